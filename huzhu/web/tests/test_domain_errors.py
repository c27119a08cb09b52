"""A domain error that rises out of a view becomes Django's page for it (web/domain_errors.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory

from huzhu.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from huzhu.web.domain_errors import DomainErrorPagesMiddleware


def _middleware() -> DomainErrorPagesMiddleware:
    return DomainErrorPagesMiddleware(lambda request: HttpResponse())


def test_not_found_is_the_404_page() -> None:
    request = RequestFactory().get("/")
    with pytest.raises(Http404, match="Post not found"):
        _middleware().process_exception(request, NotFound("Post not found."))


def test_forbidden_is_the_403_page() -> None:
    request = RequestFactory().get("/")
    with pytest.raises(PermissionDenied, match="Not yours"):
        _middleware().process_exception(request, Forbidden("Not yours."))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status"), [(Conflict("Taken."), 409), (Invalid("Too long."), 422)]
)
def test_a_fixable_error_that_rises_is_a_page_with_its_status_not_a_500(
    error: Conflict | Invalid, status: int
) -> None:
    request = RequestFactory().get("/")
    response = _middleware().process_exception(request, error)
    assert response is not None and response.status_code == status
    assert error.message in response.content.decode()


def test_other_errors_are_left_to_their_handlers() -> None:
    request = RequestFactory().get("/")
    assert (
        _middleware().process_exception(request, TooManyRequests("Slow down.", retry_after=5))
        is None
    )
    assert _middleware().process_exception(request, ValueError("bug")) is None


@pytest.mark.django_db
def test_a_missing_post_answers_the_404_page(client: Client) -> None:
    response = client.get("/posts/999999")
    assert response.status_code == 404
    assert "web/base.html" in [t.name for t in response.templates]
