"""Check every page and API answer for exact coordinates that are not the viewer's.

Test-only middleware (installed for every test in huzhu/conftest.py, like the contract
check): a response fails the test if it holds both the latitude and the longitude of a
post or a saved alert's centre owned by someone other than the requester, written as
stored or rounded or truncated to 4-6 decimals. Numbers the request itself carried (a
searcher's own point echoed in a form) are not leaks. Public area centres are not exact
points, so a post whose stored point is its area centre (after erasure) is skipped, and so
is a foreign point at exactly the place of one of the viewer's own posts or alerts.

Cheap by construction: only bodies holding a number with 4 or more decimals are looked
at, and only posts and alerts whose latitude could render as one of those numbers are
read from the database.
"""

import math
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.http.request import RawPostDataException

NUMBER = re.compile(rb"-?\d{1,3}\.\d{4,}")
SCANNED_TYPES = ("application/json", "text/html", "text/csv", "text/plain")


class CoordinateLeak(AssertionError):
    """A response holds someone else's exact coordinates: a failed test."""


def renderings(value: float) -> set[str]:
    """How a stored coordinate may be written: as stored, rounded or truncated."""
    found = {repr(value), str(value)}
    for decimals in (4, 5, 6):
        found.add(f"{value:.{decimals}f}")
        truncated = math.trunc(value * 10**decimals) / 10**decimals
        found.add(f"{truncated:.{decimals}f}")
    return found


def _numbers(text: bytes) -> set[str]:
    return {match.decode() for match in NUMBER.findall(text)}


def _echoed(request: Any) -> set[str]:
    carried = request.META.get("QUERY_STRING", "").encode()
    try:
        carried += request.body
    except RawPostDataException:  # a multipart body was read as a stream; POST holds it
        carried += " ".join(str(v) for v in request.POST.values()).encode()
    return _numbers(carried)


def _window(tokens: Iterable[str]) -> Q:
    """Stored latitudes that round or truncate to one of `tokens`."""
    query = Q()
    for token in tokens:
        value = float(token)
        if not -90 <= value <= 90:
            continue
        step = 10 ** -len(token.split(".")[1])
        query |= Q(lat__gte=value - step, lat__lte=value + step)
    return query


def find_leaks(body: bytes, *, viewer_id: int | None, echoed: set[str]) -> list[str]:
    """Descriptions of the foreign exact points `body` holds."""
    from huzhu import geo
    from huzhu.exchanges.models import Alert
    from huzhu.posts.models import Post

    tokens = _numbers(body) - echoed
    if len(tokens) < 2:
        return []
    leaks: list[str] = []
    for start in range(0, len(tokens), 200):  # SQLite limits an expression's depth
        window = _window(sorted(tokens)[start : start + 200])
        if not window:
            continue
        # The viewer's own points may be shown to them (their export, their alert); a
        # foreign point at the very same place cannot be told apart from theirs.
        own = {
            *Post.objects.filter(window, owner_id=viewer_id or 0).values_list("lat", "lng"),
            *Alert.objects.filter(window, user_id=viewer_id or 0).values_list("lat", "lng"),
        }
        posts = Post.objects.filter(window).exclude(owner_id=viewer_id or 0)
        rows = posts.values_list("pk", "lat", "lng", "area_cell", "public_lat", "public_lng")
        for post_id, lat, lng, cell, *public in rows:
            # An erased person's post keeps only its public point (older erasures: the area
            # centre): no longer anyone's exact point.
            if (lat, lng) in own or (lat, lng) in (geo.area_centre(cell), tuple(public)):
                continue
            if _holds(tokens, lat, lng):
                leaks.append(f"post {post_id} at ({lat}, {lng})")
        alerts = Alert.objects.filter(window).exclude(user_id=viewer_id or 0)
        for alert_id, lat, lng in alerts.values_list("pk", "lat", "lng"):
            if (lat, lng) not in own and _holds(tokens, lat, lng):
                leaks.append(f"alert {alert_id} centred at ({lat}, {lng})")
    return leaks


def _holds(tokens: set[str], lat: float, lng: float) -> bool:
    return bool(renderings(lat) & tokens) and bool(renderings(lng) & tokens)


class CoordinateScanMiddleware:
    """Test-only: fail any response that shows someone else's exact coordinates."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if getattr(response, "streaming", False) or not content_type.startswith(SCANNED_TYPES):
            return response
        if not NUMBER.search(response.content):
            return response
        user = getattr(request, "user", None)
        viewer_id = user.pk if user is not None and user.is_authenticated else None
        leaks = find_leaks(response.content, viewer_id=viewer_id, echoed=_echoed(request))
        if leaks:
            raise CoordinateLeak(
                f"{request.method} {request.path} shows exact coordinates of someone else's "
                f"{', '.join(leaks)}: show the public area instead (posts/presenters.py)"
            )
        return response
