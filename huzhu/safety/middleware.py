"""Web pages answer a rate limit with a page of their own (the API has its own handler)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huzhu.errors import TooManyRequests


class TooManyRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TooManyRequests):
            return None
        response = render(request, "429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
