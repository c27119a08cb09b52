"""A domain error that rises out of a view becomes Django's page for it (web/domain_errors.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory

from huzhu.errors import Conflict, Forbidden, NotFound
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


def test_other_errors_are_left_to_the_view() -> None:
    request = RequestFactory().get("/")
    _middleware().process_exception(request, Conflict("Taken."))  # raises nothing: no page


@pytest.mark.django_db
def test_a_missing_post_answers_the_404_page(client: Client) -> None:
    response = client.get("/posts/999999")
    assert response.status_code == 404
    assert "web/base.html" in [t.name for t in response.templates]
