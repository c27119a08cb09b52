"""The contract checker itself must be able to fail, or it proves nothing."""

import pytest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory

from huzhu.tests.contract import ContractCheckMiddleware, ContractError, check_response


def test_it_accepts_a_documented_answer() -> None:
    check_response("GET", "/api/v1/posts/1", 404, {"detail": "Not found.", "code": "not_found"})


def test_it_refuses_an_undocumented_status() -> None:
    with pytest.raises(ContractError, match="does not document"):
        check_response("GET", "/api/v1/posts/1", 418, {"detail": "teapot", "code": "x"})


def test_it_refuses_a_body_of_the_wrong_shape() -> None:
    with pytest.raises(ContractError, match="does not match"):
        check_response("GET", "/api/v1/posts/1", 404, {"message": "Not found."})


def test_it_refuses_an_api_route_missing_from_the_schema() -> None:
    with pytest.raises(ContractError, match="not in the schema"):
        check_response("PUT", "/api/v1/posts/1", 200, {})


def test_the_middleware_holds_every_api_answer_to_the_schema(rf: RequestFactory) -> None:
    def teapot(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"detail": "teapot", "code": "teapot"}, status=418)

    middleware = ContractCheckMiddleware(teapot)
    with pytest.raises(ContractError):
        middleware(rf.get("/api/v1/posts/1"))
    assert middleware(rf.get("/not-the-api")).status_code == 418
