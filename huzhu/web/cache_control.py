"""Private answers are never stored by a browser's or a proxy's cache.

Every response to a signed-in request (a session, or a bearer token in `Authorization`)
and every response under a private path, whoever asks, carries `Cache-Control: no-store`
(with Django's other never-cache headers): the person's own data, exchanges, messages,
inbox, trust, verifications, exports and the tokens `/api/v1/auth/` hands out. Public pages
answered to visitors keep whatever caching they had.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

PRIVATE_PREFIXES = (
    "/api/v1/me",
    "/api/v1/auth/",
    "/api/v1/exchanges",
    "/api/v1/notifications",
    "/api/v1/alerts",
    "/me/",
    "/exchanges/",
    "/for-you",
    "/moderation/",
    "/organisers/",
    "/admin/",
    "/reset",
)
PRIVATE_PATHS = {"/moderation"}  # the queue; "/moderation-log" is public


def is_private(request: HttpRequest) -> bool:
    path = request.path
    if path.startswith(PRIVATE_PREFIXES) or path in PRIVATE_PATHS:
        return True
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session to look up: a visitor's answer stays free of Vary: Cookie
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request):
            add_never_cache_headers(response)
        return response
