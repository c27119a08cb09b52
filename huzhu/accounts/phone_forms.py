"""Sign in or sign up by phone: shape only; `trust.phone_signin` decides the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )


class PhoneCodeForm(PhoneForm):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    display_name = forms.CharField(
        label=_("Name others see (new accounts only)"),
        max_length=40,
        required=False,
        help_text=_("Leave it empty and we choose a pseudonym for you."),
    )
