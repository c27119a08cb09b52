"""Check API responses against the OpenAPI schema, so the docs cannot drift from the code.

The test client (huzhu/conftest.py) runs every API response it sees through
`check_response`: the status code must be documented for the operation and the JSON body
must validate against the documented schema.
"""

import json
import re
from functools import cache
from typing import Any

import jsonschema

API_PREFIX = "/api/v1"


class ContractError(AssertionError):
    """An API answer that the OpenAPI schema does not document: a failed test."""


@cache
def _schema() -> dict[str, Any]:
    from huzhu.api import api

    schema: dict[str, Any] = api.get_openapi_schema(path_prefix=API_PREFIX)
    return schema


@cache
def _operations() -> list[tuple[str, re.Pattern[str], dict[str, Any]]]:
    operations = []
    for template, methods in _schema()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$")
        for method, operation in methods.items():
            operations.append((method.upper(), pattern, operation))
    return operations


def find_operation(method: str, path: str) -> dict[str, Any] | None:
    for op_method, pattern, operation in _operations():
        if op_method == method.upper() and pattern.match(path):
            return operation
    return None


def check_response(method: str, path: str, status: int, body: Any) -> None:
    """Raise ContractError if this response is not what the schema documents."""
    if not path.startswith(API_PREFIX + "/") or path.startswith(API_PREFIX + "/docs"):
        return
    if path == API_PREFIX + "/openapi.json":
        return  # the schema document itself
    # `path` is a request path, never with a query string: a "?" in it is part of an id.
    operation = find_operation(method, path)
    if operation is None:
        if status in (404, 405):
            return  # no such route: Django answers before the API does
        raise ContractError(f"{method} {path} answered {status} but is not in the schema")
    documented = {str(code): spec for code, spec in operation.get("responses", {}).items()}
    if str(status) not in documented:
        raise ContractError(
            f"{method} {path} answered {status}, which the schema does not document "
            f"(documented: {', '.join(sorted(documented))})"
        )
    content = documented[str(status)].get("content", {})
    json_schema = content.get("application/json", {}).get("schema")
    if json_schema is None:
        return
    root = {**json_schema, "components": _schema().get("components", {})}
    try:
        jsonschema.validate(body, root)
    except jsonschema.ValidationError as exc:
        raise ContractError(
            f"{method} {path} {status} body does not match the schema: {exc.message}"
        ) from exc


class ContractCheckMiddleware:
    """Test-only middleware: every API answer, from any client, must match the schema.

    The test suite installs it (huzhu/conftest.py), so tests using Django's Client directly,
    the live server and the fuzzer are all held to the contract, not only the `Api` helper.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("application/json") and response.content:
            body = json.loads(response.content)
        else:
            body = None
        check_response(request.method, request.path, response.status_code, body)
        return response
