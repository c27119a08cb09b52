"""The Django admin's log-in form, held to the same log-in limits as the web and the API.

Without it `/admin/login/` would be the one door where passwords can be guessed without
limit, and it opens onto staff powers. A refusal is `TooManyRequests`, which the middleware
turns into the 429 page with `Retry-After`.
"""

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm

from huzhu.safety import ratelimit


class StaffLoginForm(AdminAuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            ratelimit.check_login(self.request, username)
        return super().clean()
