"""Sign-up and log-in forms: shape only; `accounts.services` decides the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class NewPasswordForm(forms.Form):
    """A new password typed twice: sign-up and password reset share it."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class SignupForm(NewPasswordForm):
    field_order = ("username", "display_name", "password", "password_again")

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Private: you use it to log in, nobody else sees it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        required=False,
        help_text=_("What others see. Leave it empty and we choose a friendly pseudonym."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def field_for_error(self, service_field: str, code: str) -> str | None:
        if code == "username_taken":
            return "username"
        return service_field if service_field in self.fields else None


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=200,
    )

    def __init__(self, *args: Any, has_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_password:  # signed up by phone: no password to type
            self.fields["password"].label = _("Your display name, to confirm")
            self.fields["password"].widget = forms.TextInput(attrs={"autocomplete": "off"})


class ConsentsForm(forms.Form):
    """The consent centre. Unticked is "no": every purpose is off until ticked."""

    for_you_feed = forms.BooleanField(
        label=_("Show me a personalised “for you” feed"),
        required=False,
        help_text=_("Open needs near an area you choose, with the reason each one is shown."),
    )
    activity_recommendations = forms.BooleanField(
        label=_("Use what I offered to choose what the feed shows"),
        required=False,
        help_text=_("Without this the feed learns nothing and stays empty."),
    )
    public_thanks = forms.BooleanField(
        label=_("Thank-you notes about me may be shown in public"),
        required=False,
        help_text=_("Your display name may appear on the stories wall with the note."),
    )
