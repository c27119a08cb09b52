"""API tokens expire after HUZHU_TOKEN_IDLE_DAYS unused; use is stamped at most hourly;
a person lists and revokes their own tokens, never anyone else's."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huzhu.accounts.models import ApiToken, User
from huzhu.accounts.services import issue_token
from huzhu.conftest import PASSWORD, Api


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def me(secret: str) -> int:
    return Client().get("/api/v1/me", headers=bearer(secret)).status_code


def test_a_token_expires_after_the_idle_period(alice: User, settings: Any) -> None:
    settings.HUZHU_TOKEN_IDLE_DAYS = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        secret = issue_token(user=alice).secret
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert me(secret) == 200  # used: the 30 days start again
    with time_machine.travel(start + timedelta(days=58), tick=False):
        assert me(secret) == 200
    with time_machine.travel(start + timedelta(days=88, hours=1), tick=False):
        assert me(secret) == 401
        assert Client().get("/api/v1/me/tokens", headers=bearer(secret)).status_code == 401


def test_the_idle_period_is_configurable(alice: User, settings: Any) -> None:
    settings.HUZHU_TOKEN_IDLE_DAYS = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        secret = issue_token(user=alice).secret
    with time_machine.travel(start + timedelta(days=3), tick=False):
        assert me(secret) == 401


def test_use_is_stamped_at_most_once_an_hour(alice: User) -> None:
    secret = issue_token(user=alice).secret
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        me(secret)
    token = ApiToken.objects.get(user=alice)
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert me(secret) == 200
        assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        me(secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start + timedelta(minutes=61)


def test_a_person_lists_their_tokens_without_the_secrets(alice: User, bob: User) -> None:
    client = Client(HTTP_USER_AGENT="HuzhuAndroid/2.1")
    answer = client.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": PASSWORD},
        content_type="application/json",
    )
    secret = answer.json()["token"]
    other = issue_token(user=alice).secret
    issue_token(user=bob)
    listed = Client().get("/api/v1/me/tokens", headers=bearer(secret))
    assert listed.status_code == 200
    rows = listed.json()
    assert len(rows) == 2
    assert {row["label"] for row in rows} == {"HuzhuAndroid/2.1", ""}
    assert [row["current"] for row in rows if row["label"]] == [True]
    assert set(rows[0]) == {"id", "label", "created_at", "last_used_at", "expires_at", "current"}
    body = listed.content.decode()
    assert secret not in body and other not in body
    assert secret[:8] not in body


def test_a_person_revokes_one_of_their_tokens(alice: User) -> None:
    keep, lose = issue_token(user=alice), issue_token(user=alice)
    path = f"/api/v1/me/tokens/{lose.token.pk}"
    assert Client().delete(path, headers=bearer(keep.secret)).status_code == 204
    assert me(lose.secret) == 401
    assert me(keep.secret) == 200
    assert Client().delete(path, headers=bearer(keep.secret)).status_code == 404  # gone
    ids = [row["id"] for row in Api(keep.secret).get("/api/v1/me/tokens").json()]
    assert ids == [keep.token.pk]


def test_someone_elses_token_is_not_found(alice: User, charlie: User) -> None:
    alices = issue_token(user=alice)
    outsider = issue_token(user=charlie).secret
    path = f"/api/v1/me/tokens/{alices.token.pk}"
    answer = Client().delete(path, headers=bearer(outsider))
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    assert Client().delete("/api/v1/me/tokens/999999", headers=bearer(outsider)).status_code == 404
    assert me(alices.secret) == 200


def test_the_web_session_lists_and_revokes_too(alice: User) -> None:
    token = issue_token(user=alice)
    client = Client(enforce_csrf_checks=False)
    client.force_login(alice)
    rows = client.get("/api/v1/me/tokens").json()
    assert [row["current"] for row in rows] == [False]
    assert client.delete(f"/api/v1/me/tokens/{token.token.pk}").status_code == 204


@pytest.mark.parametrize("route", ["/api/v1/me/tokens", "/api/v1/me/tokens/1"])
def test_visitors_are_asked_to_log_in(db: None, route: str) -> None:
    method = Client().get if route.endswith("tokens") else Client().delete
    assert method(route).status_code == 401
