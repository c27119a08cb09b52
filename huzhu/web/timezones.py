"""Pages show times in the reader's time zone; the API stays in UTC.

The zone is the reader's own (the `huzhu_tz` cookie, which huzhu.js sets from the
browser's zone, or which a person sets by hand) or else the deployment's
`HUZHU_TIME_ZONE`. Django's template filters then convert every aware datetime they
print; `stamp` (templatetags) prints one with its offset, e.g. "2026-12-07 15:00 UTC+8".
"""

from collections.abc import Callable
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

COOKIE = "huzhu_tz"


def zone_named(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name and len(name) <= 64 else None
    except (ZoneInfoNotFoundError, ValueError):  # unknown, or not a zone key at all
        return None


def zone_for(request: HttpRequest) -> ZoneInfo:
    chosen = zone_named(unquote(request.COOKIES.get(COOKIE, "")))
    return chosen or ZoneInfo(settings.HUZHU_TIME_ZONE)


class TimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)  # the API speaks UTC
        timezone.activate(zone_for(request))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
