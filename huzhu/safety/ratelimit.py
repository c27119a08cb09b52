"""Rate limits: database-backed token buckets that hold across worker processes.

Each limit lets a caller do `capacity` things at once and refills them over `per_seconds`.
`HUZHU_RATE_LIMIT_SCALE` multiplies every capacity (0 turns limits off, for load tests and
imports). Callers are accounts or client addresses; behind a reverse proxy the address
comes from `X-Forwarded-For` only when the request arrives from one of
`HUZHU_TRUSTED_PROXIES`, so a client cannot choose its own address.

Limits are checked in the view, before the service runs and in a transaction of their
own, so a refused or failed request still counts (failed log-ins are what a limit is for).

Searches are the exception to the database: every page view of the feed and every API
search is one, and a bucket's row lock and write cost more than the search's own reads.
When `REDIS_URL` is set, the deployment's shared cache counts them instead (a sliding
window over two fixed ones, counted by Redis's atomic increments in one round trip:
still shared by every worker);
without Redis the database buckets count them, as every other limit.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.errors import TooManyRequests
from huzhu.safety.models import RateBucket


@dataclass(frozen=True)
class Limit:
    capacity: int
    per_seconds: int


# Generous per address: one address may be a whole compound behind a carrier's NAT.
LIMITS = {
    "signup_address": Limit(20, 3600),
    "login_address": Limit(30, 600),
    # Ten guesses at one account from one address; the owner elsewhere is not held up by
    # them. The account-wide ceiling is more than one address can reach (10 + 60 an hour),
    # so only guesses spread over many addresses can close it, and they still buy few tries.
    "login_account_address": Limit(10, 600),
    "login_account": Limit(100, 3600),
    "reset_address": Limit(10, 3600),
    "reset_target": Limit(5, 3600),
    "reset_confirm_address": Limit(20, 600),
    "phone_code_address": Limit(10, 3600),  # texts cost money and can harass: per address too
    "phone_confirm_address": Limit(20, 600),
    "post_account": Limit(20, 3600),
    "respond_account": Limit(30, 3600),
    "message_account": Limit(60, 600),
    "report_account": Limit(20, 3600),
    "guidance_address": Limit(60, 600),  # "may I share this?" is public: per address
    "feedback_account": Limit(10, 3600),
    # Naming a person to vouch for: a handful a week is the use; more is a lookup of who exists.
    "vouch_account": Limit(10, 3600),
}
# Limits an operator sets: the setting holding how many per minute.
PER_MINUTE_SETTINGS = {
    "search_address": "HUZHU_SEARCH_RATE_PER_MINUTE",
    "search_account": "HUZHU_SEARCH_RATE_PER_MINUTE",
}
# Limits counted in the shared cache when there is one (see the module's docstring).
CACHE_COUNTED = frozenset({"search_address", "search_account"})
PURGE_AFTER = timedelta(days=1)
_last_purge: list[datetime] = []


def hit(name: str, caller: str | int, *, now: datetime | None = None) -> None:
    """Spend one token of limit `name` for `caller`, or raise TooManyRequests (429)."""
    scale = settings.HUZHU_RATE_LIMIT_SCALE
    if scale <= 0:
        return
    setting = PER_MINUTE_SETTINGS.get(name)
    limit = Limit(getattr(settings, setting), 60) if setting else LIMITS[name]
    capacity = max(1.0, limit.capacity * scale)
    refill = capacity / limit.per_seconds  # tokens per second
    key = hashlib.sha256(f"{name}\0{caller}".encode()).hexdigest()
    if name in CACHE_COUNTED and settings.REDIS_URL:
        _hit_cache(key, capacity, limit.per_seconds)
        return
    now = now or timezone.now()
    with transaction.atomic():
        bucket, created = RateBucket.objects.select_for_update().get_or_create(
            key=key, defaults={"tokens": capacity, "updated_at": now}
        )
        elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
        tokens = capacity if created else min(capacity, bucket.tokens + elapsed * refill)
        if tokens < 1:
            raise TooManyRequests(
                _("Too many attempts. Please wait a little and try again."),
                retry_after=math.ceil((1 - tokens) / refill),
            )
        bucket.tokens, bucket.updated_at = tokens - 1, now
        bucket.save(update_fields=["tokens", "updated_at"])
    _purge_now_and_then(now)


def _hit_cache(key: str, capacity: float, per_seconds: int) -> None:
    """Count one request in the current window; refuse (without counting) when the last
    `per_seconds` hold `capacity` already, estimating the previous window's share of them
    as evenly spread. One round trip: Redis increments the window's counter atomically."""
    now = time.time()
    window, into = divmod(now, per_seconds)
    current = cache.make_and_validate_key(f"ratelimit:{key}:{int(window)}")
    previous_key = cache.make_and_validate_key(f"ratelimit:{key}:{int(window) - 1}")
    client = cache._cache.get_client(current, write=True)  # type: ignore[attr-defined]
    pipeline = client.pipeline(transaction=False)
    pipeline.incr(current)
    pipeline.expire(current, per_seconds * 2)
    pipeline.get(previous_key)
    count, _expired, previous_raw = pipeline.execute()
    previous = int(previous_raw or 0)
    left = 1 - into / per_seconds  # the share of the previous window still inside
    used = previous * left + count - 1  # what the last `per_seconds` held before this one
    if used + 1 <= capacity:
        return
    client.decr(current)  # a refused request spends nothing, as in the database buckets
    # Enough of the previous window must slide out, or the whole current one must end.
    excess = used + 1 - capacity
    if previous and count - 1 < capacity:
        wait = per_seconds * excess / previous
    else:
        wait = per_seconds * left + per_seconds * max(0.0, 1 - capacity / max(count - 1, 1))
    raise TooManyRequests(
        _("Too many attempts. Please wait a little and try again."),
        retry_after=min(per_seconds, max(1, math.ceil(wait))),
    )


def check_login(request: HttpRequest, username: str) -> None:
    """A log-in attempt (web, API token, admin) counts against the account named from this
    address, the address, and the account's ceiling, in that order: an attempt refused by
    the first spends nothing of the ceiling that protects the owner's other addresses."""
    account, address = username.strip().casefold(), client_address(request)
    hit("login_account_address", f"{account}\0{address}")
    hit("login_address", address)
    hit("login_account", account)


def check_search(request: HttpRequest, user_id: int | None) -> None:
    """A search counts against the address and, signed in, the account: probing where
    posts are takes many searches, reading a feed few."""
    hit("search_address", client_address(request))
    if user_id is not None:
        hit("search_account", user_id)


def check_reset(request: HttpRequest, address: str) -> None:
    """A reset request counts against the address asking and the e-mail address named."""
    hit("reset_address", client_address(request))
    hit("reset_target", address.strip().casefold())


def _purge_now_and_then(now: datetime) -> None:
    """Forget buckets nobody used for a day (they would be full again anyway)."""
    if _last_purge and now - _last_purge[0] < timedelta(minutes=10):
        return
    _last_purge[:] = [now]
    RateBucket.objects.filter(updated_at__lt=now - PURGE_AFTER).delete()


def client_address(request: HttpRequest) -> str:
    """The caller's address: the socket's peer, or the last hop a trusted proxy added."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.HUZHU_TRUSTED_PROXIES)
    if address not in trusted:
        return address
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if hop not in trusted:
            return hop  # the first address, from the right, that no proxy of ours added
    return address
