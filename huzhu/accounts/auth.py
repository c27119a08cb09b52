"""How API callers prove who they are: a bearer token, or the web session (with CSRF)."""

import hashlib
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from huzhu.accounts.models import User
from huzhu.accounts.tokens import live_tokens, stamp_use
from huzhu.replicas import follow_writer


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = timezone.now()
        found = (
            live_tokens(now)
            .select_related("user")
            .filter(key_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None  # unknown, revoked, or idle too long: 401
        stamp_use(found, now)
        follow_writer(found.user.pk)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class LoggedInSession(SessionAuth):
    """The web session, CSRF-checked only when someone is logged in.

    Ninja's SessionAuth checks CSRF before it looks at the session, so an anonymous or
    bad-token request got 403 "CSRF" instead of the contract's 401. With nobody logged
    in there is no ambient authority for a forged request to borrow.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


# Bearer first: a token request needs no CSRF token; a cookie request does.
api_auth: list[Any] = [BearerAuth(), LoggedInSession()]


class Anonymous:
    """Last in an `optional_auth` list: lets the request through as an anonymous viewer."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        return AnonymousUser()


# For reads anyone may make, but where a logged-in caller sees more (their own posts).
optional_auth: list[Any] = [BearerAuth(), LoggedInSession(), Anonymous()]


def caller(request: HttpRequest) -> User:
    """The authenticated user of a request that passed `api_auth`."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # pragma: no cover - guarded by the route's auth
        raise TypeError("route is missing api_auth")
    return user


def viewer(request: HttpRequest) -> User | AnonymousUser:
    """Who is looking, on a route with `optional_auth`: a user or an anonymous visitor."""
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else AnonymousUser()
