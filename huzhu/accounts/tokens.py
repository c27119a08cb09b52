"""Which API tokens still work, and a person's own list of them.

A token works until it is revoked or has gone unused for `HUZHU_TOKEN_IDLE_DAYS`. Its use
is stamped at most once an hour (`STAMP_EVERY`): a write on every request would serialise
readers on SQLite, and an hour is nothing against days of idleness.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import ApiToken, User
from huzhu.errors import NotFound

STAMP_EVERY = timedelta(hours=1)


def expires_at(token: ApiToken) -> datetime:
    return (token.last_used_at or token.created_at) + timedelta(days=settings.HUZHU_TOKEN_IDLE_DAYS)


def live_tokens(now: datetime | None = None) -> QuerySet[ApiToken]:
    cutoff = (now or timezone.now()) - timedelta(days=settings.HUZHU_TOKEN_IDLE_DAYS)
    used_lately = Q(last_used_at__gte=cutoff) | Q(last_used_at__isnull=True, created_at__gte=cutoff)
    return ApiToken.objects.filter(used_lately, revoked_at__isnull=True)


def stamp_use(token: ApiToken, now: datetime) -> None:
    """Record that `token` was used, unless that was recorded within the hour."""
    if token.last_used_at is None or now - token.last_used_at >= STAMP_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's working tokens, newest first."""
    return live_tokens().filter(user=user).order_by("-created_at", "-pk")


def access_own_token(user: User, token_id: int) -> ApiToken:
    """One of the person's working tokens; anyone else's, or none, is NotFound (404)."""
    found = tokens_of(user).filter(pk=token_id).first()
    if found is None:
        raise NotFound(_("No such token."))
    return found
