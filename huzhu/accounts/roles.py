"""Who is a moderator: the one definition every moderator right asks.

A moderator is an active staff account, read from the user row that the request loaded
(the session's backend and the bearer token both load it afresh at every request). So an
operator who removes someone's staff status removes every moderator right at that
person's next request: reading relay threads, settling disputes, the console, sanctions,
appeals, documents. The stored trust level is never asked: it lags behind on purpose
(TL4 is shown for staff, and demotions wait out a grace period).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Forbidden


def is_moderator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def moderators() -> QuerySet[User]:
    """The same rule as a query, for questions about many people at once."""
    return User.objects.filter(is_active=True, is_staff=True)


def require_moderator(user: User) -> None:
    """For services a moderator calls: the views check first; this is the backstop."""
    if not is_moderator(user):
        raise Forbidden(_("Only moderators may do this."), code="not_moderator")
