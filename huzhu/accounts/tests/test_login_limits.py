"""Every log-in form (web, API token, admin) spends the same limits: ten wrong passwords for
an account from one address answer 429, while the owner elsewhere still gets in."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD
from huzhu.errors import TooManyRequests
from huzhu.safety.ratelimit import LIMITS, check_login

ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"
PER_ADDRESS = LIMITS["login_account_address"].capacity  # 10


@pytest.fixture
def limits_on(settings: Any) -> Any:
    settings.HUZHU_RATE_LIMIT_SCALE = 1  # the production limits themselves
    return settings


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user(
        username="operator", password=PASSWORD, display_name="Op", is_staff=True
    )


def token_attempt(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def web_attempt(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post("/login", {"username": username, "password": password})


def admin_attempt(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
    )


def test_ten_wrong_tokens_then_429_with_retry_after(alice: User, limits_on: Any) -> None:
    for _ in range(PER_ADDRESS):
        assert token_attempt(ATTACKER, "alice", "wrong").status_code == 401
    refused = token_attempt(ATTACKER, "alice", PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1


def test_the_attacker_cannot_lock_the_owner_out_from_elsewhere(alice: User, limits_on: Any) -> None:
    for _ in range(PER_ADDRESS):
        token_attempt(ATTACKER, "alice", "wrong")
    assert token_attempt(ATTACKER, "alice", PASSWORD).status_code == 429
    assert token_attempt(OWNER, "alice", PASSWORD).status_code == 200
    assert web_attempt(OWNER, "alice", PASSWORD).status_code == 302


def test_ten_wrong_web_log_ins_then_a_page_that_says_wait(alice: User, limits_on: Any) -> None:
    for _ in range(PER_ADDRESS):
        assert web_attempt(ATTACKER, "alice", "wrong").status_code == 200  # the form again
    refused = web_attempt(ATTACKER, "alice", PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many attempts" in refused.content.decode()
    assert "_auth_user_id" not in refused.client.session


def test_admin_log_in_refuses_the_eleventh_attempt_even_with_the_right_password(
    staff: User, limits_on: Any
) -> None:
    for _ in range(PER_ADDRESS):
        answer = admin_attempt(ATTACKER, "operator", "wrong")
        assert answer.status_code == 200
        assert "_auth_user_id" not in answer.client.session
    refused = admin_attempt(ATTACKER, "operator", PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many attempts" in refused.content.decode()
    assert "_auth_user_id" not in refused.client.session
    assert admin_attempt(OWNER, "operator", PASSWORD).status_code == 302  # the owner, elsewhere


def test_guesses_spent_at_one_form_count_at_the_others(alice: User, limits_on: Any) -> None:
    for attempt in (token_attempt, web_attempt, admin_attempt) * 4:
        attempt(ATTACKER, "alice", "wrong")
    assert token_attempt(ATTACKER, "alice", PASSWORD).status_code == 429
    assert web_attempt(ATTACKER, "alice", PASSWORD).status_code == 429


def test_one_guess_a_minute_keeps_only_the_guessers_address_out(db: None, limits_on: Any) -> None:
    """The old finding: one wrong password a minute locked the owner out for good."""
    factory = RequestFactory()
    attacker, owner = factory.post("/", REMOTE_ADDR=ATTACKER), factory.post("/", REMOTE_ADDR=OWNER)
    start = timezone.now()
    refused = 0
    for minute in range(24 * 60):  # a day of it
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            try:
                check_login(attacker, "alice")
            except TooManyRequests:
                refused += 1
            if minute % 60 == 59:
                check_login(owner, "alice")  # never refused
    assert refused == 0  # one a minute is what a single address is allowed, no more


def test_the_ceiling_holds_against_guesses_from_many_addresses(db: None, limits_on: Any) -> None:
    factory = RequestFactory()
    ceiling = LIMITS["login_account"].capacity
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(ceiling):
            check_login(factory.post("/", REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}"), "alice")
        with pytest.raises(TooManyRequests):
            check_login(factory.post("/", REMOTE_ADDR=OWNER), "alice")


def test_the_token_routes_429_is_in_the_openapi_schema(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "429" in responses
