"""Verification forms: shape only; `trust.verification` decides the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StartVerificationForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Verify by"),
        choices=[("phone", _("Phone (text message)")), ("email", _("E-mail"))],
        widget=forms.RadioSelect,
        initial="phone",
    )
    address = forms.CharField(
        label=_("Phone number or e-mail address"),
        max_length=254,
        help_text=_(
            "We send a 6-digit code. The phone number itself is not stored, only a keyed "
            "fingerprint that keeps it to one account."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    show_on_reveal = forms.BooleanField(
        label=_("Show my phone number to the people I exchange with, once we both agree"),
        required=False,
        help_text=_("Kept encrypted. Leave unticked and nobody ever sees the number."),
    )


class ConfirmVerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class ReviewForm(forms.Form):
    """A review after a completed exchange: `trust.reviews` decides the rules."""

    score = forms.TypedChoiceField(
        label=_("How did it go?"),
        coerce=int,
        choices=[
            (5, _("5 — very well")),
            (4, _("4 — well")),
            (3, _("3 — all right")),
            (2, _("2 — not well")),
            (1, _("1 — badly")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (only the two of you and the moderators see it)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    thanks = forms.CharField(
        label=_("A thank-you note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    publish_thanks = forms.BooleanField(
        label=_("Show my note on the stories wall, without any names"),
        required=False,
    )
