"""The moderation action form: shape only; the services decide what each action needs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huzhu.safety.community import RULES
from huzhu.safety.models import Report


class ActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. Kept in the audit log; a sanctioned person reads it."),
    )
    rule = forms.ChoiceField(
        label=_("Rule"),
        required=False,
        choices=[("", "—"), *[(code, text) for code, text in RULES.items()]],
    )
    days = forms.IntegerField(
        label=_("Days (suspensions)"), required=False, min_value=1, max_value=365
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, unless you chose “Something else”. Only moderators read it."),
    )
