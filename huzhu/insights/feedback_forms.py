"""Forms of the feedback pages: shape only; insights/feedback.py decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huzhu.insights.feedback import MAX_TEXT
from huzhu.insights.models import Theme

RATINGS = [
    (5, _("5 — very good")),
    (4, _("4 — good")),
    (3, _("3 — all right")),
    (2, _("2 — poor")),
    (1, _("1 — very poor")),
]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How is Huzhu working for you?"),
        coerce=int,
        choices=RATINGS,
        widget=forms.RadioSelect,
    )
    theme = forms.ChoiceField(
        label=_("What is it mostly about?"),
        required=False,
        choices=[("", _("Choose if you like")), *Theme.choices],
    )
    text = forms.CharField(
        label=_("Anything to add?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Organisers read this. Phone numbers and addresses are hidden."),
    )
    exchange_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class HandleForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", "—"), *Theme.choices])
    done = forms.BooleanField(label=_("Handled: take it off the queue"), required=False)


class ImprovementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("What changed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    themes = forms.MultipleChoiceField(
        label=_("Feedback themes it answers"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
    )
