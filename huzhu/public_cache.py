"""Anonymous feeds, searches and posts, shared for a few seconds (`HUZHU_PUBLIC_CACHE_SECONDS`).

What a visitor sees on the home page (`GET /`), a post's page (`GET /posts/{id}`) or gets from
`GET /api/v1/posts` and `GET /api/v1/posts/{id}` depends on nothing of theirs: it is computed
from public points only (a post's owner is never shown), for the query string they send, in
their language and time zone. So the answer rendered for one visitor is kept in Django's
cache (Redis when `REDIS_URL` is set, so every app server shares it; per process otherwise)
and served to the next visitor who asks the same thing, for the stated lifetime at most.

- **Who shares**: only requests with no session cookie, no `Authorization` header and no
  pending flash messages. A signed-in person never gets a shared answer as a whole; what in
  theirs is public is a shared part (`shared_part`: the feed's cards, a search's hits, a
  post as anyone sees it), never one computed before their own last write, so they always
  see their own writes at once.
- **The key**: route, path (which post), the exact query string (point, radius, filters,
  tab, sort, cursor, limit), the active language and time zone. Nothing else goes into
  the answer.
- **Honesty**: an answer lives at most the lifetime, then it is computed afresh, so a
  withdrawn, fulfilled, expired or hidden post leaves every shared answer within it (and
  new posts reach visitors within it). Posts taken out by moderation (`set_hidden`),
  deleted, or erased with their owner's account leave at once: they bump a generation that
  every entry is checked against.
- **The page's CSRF token** (the language switch's form) is per visitor: it is stored as a
  marker and each answer gets the visitor's own token, so the body is otherwise the bytes
  the view rendered.
- **Conditional GET**: each entry carries an ETag (a hash of what it stores); a matching
  `If-None-Match` answers 304. Browsers may keep an API answer for what is left of the
  entry's life (`Cache-Control: public, max-age=<left>`, `Vary: Cookie, Authorization,
  Accept-Language`); a page holds a per-visitor token, so only the visitor's own browser
  keeps it, and revalidates (`private, max-age=0, must-revalidate`).
- **Rate limits** still count: on a limited route (the feed and the search) a hit spends the
  caller's search token like a miss does; a refused caller falls through to the view, which
  answers the 429 as always. Reading a post is not limited, shared or not.
"""

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from prometheus_client import Counter

from huzhu.errors import TooManyRequests
from huzhu.public_generation import GENERATION_KEY, bump_generation
from huzhu.replicas import SAFE_METHODS
from huzhu.safety import ratelimit


@dataclass(frozen=True)
class Route:
    name: str  # in the metrics' labels
    limited: bool  # the view spends a search token (safety/ratelimit.py), so a hit does too


ROUTES = {"/": Route("home", limited=True), "/api/v1/posts": Route("search", limited=True)}
# One post, by id: the page and the API's answer.
POST_ROUTES = (
    (re.compile(r"/posts/[0-9]+"), Route("post-page", limited=False)),
    (re.compile(r"/api/v1/posts/[0-9]+"), Route("post", limited=False)),
)
TOKEN_MARKER = b"\x00huzhu-csrf-token\x00"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
# What `{% csrf_token %}` renders; its value is masked afresh on every render.
TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')

LOOKUPS = Counter(
    "huzhu_public_cache_lookups",
    "Shared anonymous answers looked up, by route and result (hit or miss).",
    ["route", "result"],
)


@dataclass(frozen=True)
class Entry:
    body: bytes  # with TOKEN_MARKER where the visitor's CSRF token goes
    content_type: str
    etag: str
    expires: float  # time.time() when it stops being served
    generation: int


def route_of(request: HttpRequest) -> Route | None:
    """The shareable route `request` asks for, or None when its answer is its own."""
    if settings.HUZHU_PUBLIC_CACHE_SECONDS <= 0 or request.method != "GET":
        return None
    route = ROUTES.get(request.path) or next(
        (route for pattern, route in POST_ROUTES if pattern.fullmatch(request.path)), None
    )
    if route is None or "HTTP_AUTHORIZATION" in request.META:
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return None
    return route


def key_for(request: HttpRequest, route: Route) -> str:
    parts = (
        route.name,
        request.path,
        request.META.get("QUERY_STRING", ""),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"public-cache:{digest}"


class PublicCacheMiddleware:
    """Serves and stores shared anonymous answers; innermost, so the view's own middleware
    (CSRF, locale, time zone, gzip) runs around a hit exactly as around a miss."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            _note_write(request, response)
            return response
        route = route_of(request)
        if route is None:
            return self.get_response(request)
        key = key_for(request, route)
        found: dict[str, Any] = cache.get_many([key, GENERATION_KEY])
        current = int(found.get(GENERATION_KEY, 0))
        entry = found.get(key)
        now = time.time()
        if isinstance(entry, Entry) and entry.generation == current and entry.expires > now:
            if route.limited:
                try:
                    ratelimit.check_search(request, None)
                except TooManyRequests:
                    return self.get_response(request)  # the view refuses it, as always
            LOOKUPS.labels(route.name, "hit").inc()
            return _answer(request, entry, now)
        LOOKUPS.labels(route.name, "miss").inc()
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        entry = _entry(response, now, current)
        cache.set(key, entry, settings.HUZHU_PUBLIC_CACHE_SECONDS)
        return _answer(request, entry, now)


T = TypeVar("T")


@dataclass(frozen=True)
class Part(Generic[T]):
    value: T
    made: float  # time.time() when it was computed
    expires: float
    generation: int


def shared_part(
    request: HttpRequest,
    name: str,
    build: Callable[[], T],
    *,
    member_id: int | None = None,
    fresh: Callable[[T], bool] | None = None,
) -> T:
    """What `build` computes from public data alone for this request's path, query string,
    language and time zone, shared with everyone who asks the same, signed in or not, on the
    same terms as a shared answer (lifetime, generation). A page or answer that is not
    shared as a whole (a member's) keeps its personal parts fresh and takes the rest from
    here — except that a part computed before `member_id`'s last write is computed afresh,
    so a person always sees their own writes at once. `fresh`, when given, is asked of a
    stored part too: a cheap check (a post's version) that it still tells the truth."""
    lifetime = settings.HUZHU_PUBLIC_CACHE_SECONDS
    if lifetime <= 0:
        return build()
    if name in {route.name for route in ROUTES.values()}:
        raise ValueError(f"{name!r} would share the key of a whole shared answer")
    key = key_for(request, Route(name, limited=False))
    wrote = _wrote_key(member_id) if member_id is not None else ""
    found: dict[str, Any] = cache.get_many([key, GENERATION_KEY, *([wrote] if wrote else [])])
    current = int(found.get(GENERATION_KEY, 0))
    part = found.get(key)
    now = time.time()
    if (
        isinstance(part, Part)
        and part.generation == current
        and part.expires > now
        and part.made > float(found.get(wrote, 0.0))
        and (fresh is None or fresh(part.value))
    ):
        LOOKUPS.labels(name, "hit").inc()
        return part.value  # type: ignore[no-any-return]
    LOOKUPS.labels(name, "miss").inc()
    value = build()
    cache.set(key, Part(value, now, now + lifetime, current), lifetime)
    return value


def _wrote_key(member_id: int) -> str:
    return f"public-cache:wrote:{member_id}"


def _note_write(request: HttpRequest, response: HttpResponse) -> None:
    """Remembers when a signed-in person last changed something (any write that did not
    fail), for as long as a shared part lives: parts older than it are not theirs to see."""
    lifetime = settings.HUZHU_PUBLIC_CACHE_SECONDS
    if lifetime <= 0 or response.status_code >= 400:
        return
    # An API caller is known once their token is checked (request.auth), after middleware.
    person = getattr(request, "auth", None) or getattr(request, "user", None)
    person_id = getattr(person, "pk", None) if getattr(person, "is_authenticated", False) else None
    if isinstance(person_id, int):
        cache.set(_wrote_key(person_id), time.time(), lifetime + 1)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    # A view that set a cookie or a session value of its own made the answer personal.
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        and not response.has_header("Cache-Control")
        and not (session is not None and session.modified)
    )


def _entry(response: HttpResponse, now: float, gen: int) -> Entry:
    body = TOKEN_INPUT.sub(rb"\1" + TOKEN_MARKER + rb"\2", response.content)
    return Entry(
        body=body,
        content_type=response["Content-Type"],
        etag=hashlib.sha256(body).hexdigest()[:32],
        expires=now + settings.HUZHU_PUBLIC_CACHE_SECONDS,
        generation=gen,
    )


def _answer(request: HttpRequest, entry: Entry, now: float) -> HttpResponse:
    personal = TOKEN_MARKER in entry.body
    # A page's bytes differ by the visitor's token: its ETag is weak (same page, not bytes).
    etag = f'W/"{entry.etag}"' if personal else f'"{entry.etag}"'
    given = request.headers.get("If-None-Match", "")
    if given and entry.etag in {
        tag.strip().removeprefix("W/").strip('"') for tag in given.split(",")
    }:
        response = HttpResponse(status=304)
    else:
        body = entry.body
        if personal:
            body = body.replace(TOKEN_MARKER, get_token(request).encode())
        response = HttpResponse(body, content_type=entry.content_type)
    response["ETag"] = etag
    left = max(0, int(entry.expires - now))
    if personal:
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
    else:
        response["Cache-Control"] = f"public, max-age={left}"
    response["Vary"] = "Cookie, Authorization, Accept-Language"
    return response


def _post_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    bump_generation()


def connect_signals(post_model: type) -> None:
    post_delete.connect(_post_deleted, sender=post_model, dispatch_uid="public-cache-delete")
