"""A body over the size limit: 413 in the contract's shape on the API, a page on the web,
one WARNING line and no traceback, whatever route it is sent to."""

import json
import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from huzhu.accounts.models import User
from huzhu.api import api as ninja_api
from huzhu.conftest import Api
from huzhu.tests.contract import API_PREFIX

OVER = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_api_body_over_the_limit_is_a_json_413(
    api: Api, alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps({"kind": "need", "title": "x" * OVER})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    with caplog.at_level(logging.INFO):
        answer = api.as_user(alice).post("/api/v1/posts", body)
    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("application/json")
    assert answer.json()["code"] == "body_too_large" and "2.5 MB" in answer.json()["detail"]
    [record] = _records(caplog)
    assert (record.levelname, record.exc_info) == ("WARNING", None)
    assert "Request Entity Too Large" in record.getMessage()


def test_an_anonymous_body_over_the_limit_is_refused_before_anything_reads_it(
    caplog: pytest.LogCaptureFixture, db: None
) -> None:
    with caplog.at_level(logging.INFO):
        answer = Client().post(
            "/api/v1/auth/signup", "{" + " " * OVER + "}", content_type="application/json"
        )
    assert answer.status_code == 413
    assert set(answer.json()) == {"detail", "code"}
    assert [r.levelname for r in _records(caplog)] == ["WARNING"]


def test_a_web_form_over_the_limit_gets_a_page(
    alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.force_login(alice)
    with caplog.at_level(logging.INFO):
        answer = client.post(
            "/posts/new?kind=need", {"title": "x" * OVER}, headers={"Accept-Language": "zh-Hans"}
        )
    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("text/html")
    assert "太大" in answer.content.decode()
    [record] = _records(caplog)
    assert (record.levelname, record.exc_info) == ("WARNING", None)


def test_a_multipart_form_whose_fields_are_over_the_limit_is_a_413(
    alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    """Multipart is not refused on its length (photos are larger); its fields are counted."""
    client = Client()
    client.force_login(alice)
    with caplog.at_level(logging.INFO):
        answer = client.post("/api/v1/posts", {"title": "x" * OVER})  # multipart by default
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"
    assert [(r.levelname, r.exc_info) for r in _records(caplog)] == [("WARNING", None)]


def test_every_operation_that_takes_a_body_documents_the_413() -> None:
    schema: dict[str, Any] = ninja_api.get_openapi_schema(path_prefix=API_PREFIX)
    with_body = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "requestBody" in operation
    ]
    assert with_body
    for path, method, operation in with_body:
        assert 413 in operation["responses"], (method, path)
