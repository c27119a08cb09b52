"""The person behind a request, typed as Huzhu's User (or anonymous)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from huzhu.accounts.models import User


def viewer(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    return user if isinstance(user, User) else AnonymousUser()


def signed_in_user(request: HttpRequest) -> User:
    """For views behind `login_required`: the request's user, as a `User`."""
    user = request.user
    if not isinstance(user, User):  # a view forgot login_required
        raise TypeError("signed_in_user needs a signed-in request")
    return user
