"""Errors that services raise and both the API and the web pages turn into answers.

Each carries an HTTP status, a stable machine `code` and a translated message a person can
act on. Services never build HTTP responses themselves.
"""

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str = "") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        if code:
            self.code = code


class Invalid(DomainError):
    """The input breaks a rule the person can fix (HTTP 422)."""

    status = 422
    code = "invalid"


class NotFound(DomainError):
    """The object does not exist or the caller may not see it (HTTP 404)."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The object's state does not allow this (HTTP 409)."""

    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """Slow down: try again after `retry_after` seconds (HTTP 429 with Retry-After)."""

    status = 429
    code = "rate_limited"

    def __init__(
        self, message: str | Promise, *, retry_after: int, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = max(1, retry_after)
