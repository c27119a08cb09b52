"""The JSON API at /api/v1: mounts each app's router and answers every error in one shape.

Errors are `{"detail": ..., "code": ...}` (plus `errors` per field on 422), as docs/API.md says.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from huzhu.accounts.api import router as accounts_router
from huzhu.errors import DomainError, TooManyRequests
from huzhu.exchanges.alerts_api import posts_router as post_alerts_router
from huzhu.exchanges.alerts_api import router as alerts_router
from huzhu.exchanges.api import post_router as post_exchanges_router
from huzhu.exchanges.api import router as exchanges_router
from huzhu.exchanges.notifications_api import preferences_router
from huzhu.exchanges.notifications_api import router as notifications_router
from huzhu.insights.api import router as insights_router
from huzhu.insights.feedback_api import router as feedback_router
from huzhu.posts.api import router as posts_router
from huzhu.posts.catalogue_api import router as catalogue_router
from huzhu.safety.api import router as safety_router
from huzhu.safety.guidance_api import router as guidance_router
from huzhu.trust.api import router as trust_router
from huzhu.trust.reviews_api import router as reviews_router
from huzhu.trust.vouch_api import router as vouch_router


class NulCharacter(ValueError):
    """Text with a NUL character: PostgreSQL cannot store it (SQLite can), so it is bad
    input (422) on both databases rather than a server error on one."""


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _nul_message() -> str:
    return _("Text may not contain NUL characters.")


class TextParser(Parser):
    """Ninja's JSON body and query string parsing, refusing NUL characters anywhere."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if _has_nul(data):
            raise NulCharacter  # Ninja answers 400 "cannot parse"; on_http_error makes it 422
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        if _has_nul(parsed):
            raise ValidationError([{"loc": ("query",), "msg": _nul_message()}])
        return parsed


class HuzhuAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Every operation that takes a body also answers 413 above the size limit
        (web/body_size.py answers it before the operation runs)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        too_large = {
            "description": "The body is over the size limit (`body_too_large`).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for methods in schema["paths"].values():
            for operation in methods.values():
                if "requestBody" in operation:
                    operation["responses"].setdefault(413, too_large)
        return schema


api = HuzhuAPI(
    title="Huzhu API",
    parser=TextParser(),
    version="1",
    urls_namespace="api",
    description="Mutual-aid exchange: needs, offers, exchanges. Errors are {detail, code}.",
)
api.add_router("/", accounts_router)
api.add_router("/posts", posts_router)
api.add_router("/", catalogue_router)  # GET /catalogue
api.add_router("/posts", post_exchanges_router)  # POST /posts/{id}/exchanges
api.add_router("/exchanges", exchanges_router)
api.add_router("/exchanges", reviews_router)  # /exchanges/{id}/review and /reviews
api.add_router("/notifications", notifications_router)
api.add_router("/", safety_router)  # POST /reports
api.add_router("/guidance", guidance_router)
api.add_router("/", trust_router)
api.add_router("/", vouch_router)  # /users/{id}/vouch, /users/{id}/organisation, /me/vouches
api.add_router("/me", preferences_router)  # /me/notification-preferences
api.add_router("/alerts", alerts_router)
api.add_router("/posts", post_alerts_router)  # /posts/{id}/matches and /still-needed
api.add_router("/", insights_router)  # GET /stats
api.add_router("/", feedback_router)  # POST /feedback, GET /improvements


def error_body(detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {"errors": [{"field": exc.field, "message": exc.message}]} if exc.field else {}
    response = api.create_response(
        request, error_body(exc.message, exc.code, **extra), status=exc.status
    )
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # Ninja prefixes locations with the parameter source ("body", "query", the argument name).
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(err.get("loc", ())), "message": str(err.get("msg", ""))}
        for err in exc.errors
    ]
    first = errors[0] if errors else {"field": "body", "message": _("Invalid input.")}
    detail = f"{first['field']}: {first['message']}"
    return api.create_response(request, error_body(detail, "invalid", errors=errors), status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        error_body(_("Log in or send a valid bearer token."), "unauthenticated"),
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(_("Not found."), "not_found"), status=404)


@api.exception_handler(MultiPartParserError)
def on_unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django answers a multipart body it cannot parse with a bare 400; the contract calls
    # bad input 422, with a message that says what to send instead.
    message = _("The upload could not be read as a form: send the file as multipart/form-data.")
    return api.create_response(
        request,
        error_body(message, "invalid_form", errors=[{"field": "body", "message": message}]),
        status=422,
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, NulCharacter):
        return api.create_response(
            request,
            error_body(
                _nul_message(), "invalid", errors=[{"field": "body", "message": _nul_message()}]
            ),
            status=422,
        )
    if exc.status_code == 400:
        # Ninja's only 400 is a body it cannot parse; the contract calls bad input 422.
        return api.create_response(
            request,
            error_body(_("The request body is not valid JSON."), "invalid_json"),
            status=422,
        )
    return api.create_response(
        request, error_body(str(exc), f"http_{exc.status_code}"), status=exc.status_code
    )
