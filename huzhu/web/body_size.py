"""A request body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB) is answered 413, not a crash.

Django raises `RequestDataTooBig` when the body is read, which ends as a bare 400 and an
ERROR traceback per request: noise an attacker can make at will, and a wrong status. Here
a body announced larger than the limit is refused before anything reads it; one that turns
out larger (chunked, or a form's fields in a multipart upload) is caught when the view
reads it. The API answers in the contract's error shape, pages with a page. Each refusal
is logged once, by Django's own line for every 4xx ("Request Entity Too Large: <path>",
WARNING, no traceback), so nothing is logged here. Multipart uploads are not refused on
their announced length alone: the limit counts only their form fields, and photos have a
cap of their own (`HUZHU_DOCUMENT_MAX_BYTES`).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _announced_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    message = _("The request is too large: at most %(mb).1f MB.") % {"mb": limit / 2**20}
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "code": "body_too_large"}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class BodyTooLargeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        if limit is not None and not multipart and _announced_length(request) > limit:
            return too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        return None
