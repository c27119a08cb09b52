"""The moderation action form: shape only; the services decide what each action needs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huzhu.safety.community import RULES


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
