"""Log-in that knows about sanctions: a suspended or banned person's session ends at once.

Django loads the user of a session through the backend's `get_user` on every request, so
refusing it here ends every session of the person at their next request, on every server,
without finding and deleting the session rows. Passwords are still checked as usual; the
log-in views then refuse with the sanction's end date (sanctions.refuse_if_restricted).
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from huzhu.safety.sanctions import active_restriction


class SanctionAwareBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        if user is not None and active_restriction(user.pk) is not None:
            return None
        return user
