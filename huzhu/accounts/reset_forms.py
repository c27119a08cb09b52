"""Forgot-password forms: shape only; `trust.reset` decides the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huzhu.accounts.forms import NewPasswordForm


class ResetForm(forms.Form):
    address = forms.CharField(
        label=_("Verified e-mail address or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class ResetConfirmForm(NewPasswordForm):
    field_order = ("code", "password", "password_again")

    code = forms.CharField(
        label=_("Code from the e-mail or SMS"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("New password")
