"""Reads on PostgreSQL read replicas; writes, and a person's reads after a write, on the primary.

Active only when `DATABASE_REPLICA_URLS` names replicas (settings.py installs the router and
the middleware then). A read goes to a replica only when all of these hold:

- it is made while serving a safe (GET, HEAD, OPTIONS) request: the background worker,
  commands and every write request read the primary;
- it is outside any transaction on the primary: a service that reads and then writes must
  decide on the rows it will change, not on a replica's older copy;
- the person has not written in the last `HUZHU_REPLICA_PIN_SECONDS` — remembered by a
  cookie for browsers and by a cache key per account for API clients (shared between app
  servers when `REDIS_URL` is set), so nobody posts something and then cannot find it;
- its model is not one whose freshness decides access (tokens, sessions, rate buckets,
  idempotency keys, queued tasks): a token issued a moment ago must work at once.
"""

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
PIN_COOKIE = "huzhu_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALWAYS_PRIMARY = frozenset(
    {"accounts.ApiToken", "sessions.Session", "safety.RateBucket", "safety.IdempotencyKey"}
)
ALWAYS_PRIMARY_APPS = frozenset({"django_tasks_db"})

_replicas_allowed: ContextVar[bool] = ContextVar("huzhu_replicas_allowed", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != PRIMARY]


def _pin_key(user_id: int) -> str:
    return f"huzhu:primary-after-write:{user_id}"


def read_primary() -> None:
    """From here to the end of the request, read the primary."""
    _replicas_allowed.set(False)


def follow_writer(user_id: int) -> None:
    """An API caller who wrote recently reads their own writes (called once they are known)."""
    if _replicas_allowed.get() and cache.get(_pin_key(user_id)):
        read_primary()


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        aliases = replica_aliases()
        if (
            not aliases
            or not _replicas_allowed.get()
            or model._meta.label in ALWAYS_PRIMARY
            or model._meta.app_label in ALWAYS_PRIMARY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        # Random choice spreads the load; a request may read two replicas, each consistent
        # on its own, which is no worse than one replica replaying between two queries.
        return random.choice(aliases)  # noqa: S311 - load spreading, not security

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool:
        return True  # the replicas are copies of the primary: every row lives in both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaMiddleware:
    """Decides, per request, whether its reads may use a replica, and pins after writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wrote = request.method not in SAFE_METHODS
        allowed = not wrote and PIN_COOKIE not in request.COOKIES
        token = _replicas_allowed.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _replicas_allowed.reset(token)
        if wrote:
            self._pin(request, response)
        return response

    def _pin(self, request: HttpRequest, response: HttpResponse) -> None:
        seconds = settings.HUZHU_REPLICA_PIN_SECONDS
        response.set_cookie(
            PIN_COOKIE,
            "1",
            max_age=seconds,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        user_id = getattr(user, "pk", None)
        if isinstance(user_id, int):
            cache.set(_pin_key(user_id), True, seconds)
