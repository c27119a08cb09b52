"""The Django admin's log-in: the same log-in limits and the same second factor as the web
log-in and the API.

Without it `/admin/login/` would be the one door where passwords can be guessed without
limit, and it opens onto staff powers. A refusal is `TooManyRequests`, which the middleware
turns into the 429 page with `Retry-After`. Staff with a TOTP device give its code here too.
"""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huzhu.accounts import two_factor
from huzhu.safety import ratelimit


class StaffLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            ratelimit.check_login(self.request, username)
        data = super().clean()
        user = self.get_user()
        try:
            device = two_factor.check_code(user=user, code=data.get("otp_token") or "")
        except two_factor.CodeNeeded as exc:
            raise ValidationError(str(exc.message), code="otp_required") from exc
        # django-otp's login signal marks the session as verified with this device.
        user.otp_device = device  # type: ignore[attr-defined]
        return data
