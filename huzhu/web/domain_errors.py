"""Pages answer the domain's "not found" and "forbidden" in one place, so views let them rise.

A service or query raises `NotFound` when an object does not exist or the viewer may not see
it, and `Forbidden` when they may see it but not do this; pages answer Django's 404 and 403.
Errors a person can fix (`Invalid`, `Conflict`) are shown by the views beside the form; one
that a view lets rise gets a page with its message and its status (422, 409), not a 500.
`TooManyRequests` is left to its own middleware (safety/middleware.py). The API answers all of
them itself (huzhu/api.py) and never reaches this middleware.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from huzhu.errors import Conflict, Forbidden, Invalid, NotFound


class DomainErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Raised here, Django's own handlers render the 404 and 403 pages as for any view.
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, Conflict | Invalid):
            context = {"message": exception.message}
            return render(request, "problem.html", context, status=exception.status)
        return None
