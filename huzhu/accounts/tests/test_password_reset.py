"""Forgot password: a one-time code by verified e-mail or SMS; the same answer whether or not the
account exists; a reset ends every session and token. And log-in answers alike too."""

import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, TestCase
from django.utils import timezone

from huzhu.accounts.models import ApiToken, OutboxMessage, PasswordReset, User
from huzhu.conftest import Api
from huzhu.trust.tests.helpers import PHONE, mark_email_verified

NEW_PASSWORD = "a brand new long passphrase"
RESET = "/api/v1/auth/reset"
CONFIRM = "/api/v1/auth/reset/confirm"


@pytest.fixture
def verified_alice(alice: User) -> User:
    mark_email_verified(alice, "alice@example.org")
    return alice


def ask(address: str, **headers: str) -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Api().post(RESET, {"address": address}, headers=headers)


def code_in_mail(to: str) -> str:
    body = OutboxMessage.objects.filter(to=to).latest("created_at").body
    found = re.search(r"[:：]\s*(\S+)", body)
    assert found is not None, body
    return found.group(1)


def test_the_answer_is_the_same_for_every_address(verified_alice: User, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(email="bob@example.org")  # typed, never verified
    answers = [
        ask(address, **{"Accept-Language": "en"})
        for address in ("alice@example.org", "bob@example.org", "nobody@example.org")
    ]
    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.content for answer in answers}) == 1
    assert "If an account has this verified e-mail address" in answers[0].json()["detail"]
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["alice@example.org"]


def test_a_code_sets_a_new_password_once_and_ends_every_session_and_token(
    verified_alice: User,
) -> None:
    browser = Client()
    browser.force_login(verified_alice)
    token = Api().as_user(verified_alice)
    assert token.get("/api/v1/me").status_code == 200
    assert ask("ALICE@Example.org").status_code == 202  # case does not matter
    code = code_in_mail("alice@example.org")
    done = Api().post(CONFIRM, {"code": code, "password": NEW_PASSWORD})
    assert done.status_code == 200, done.content
    assert token.get("/api/v1/me").status_code == 401
    assert browser.get("/me/sanctions").status_code == 302  # the session ended: log in again
    assert not ApiToken.objects.filter(user=verified_alice, revoked_at__isnull=True).exists()
    login = Api().post("/api/v1/auth/token", {"username": "alice", "password": NEW_PASSWORD})
    assert login.status_code == 200
    again = Api().post(CONFIRM, {"code": code, "password": "yet another passphrase"})
    assert (again.status_code, again.json()["code"]) == (422, "invalid_code")


def test_a_code_expires(verified_alice: User) -> None:
    ask("alice@example.org")
    code = code_in_mail("alice@example.org")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        late = Api().post(CONFIRM, {"code": code, "password": NEW_PASSWORD})
    assert (late.status_code, late.json()["code"]) == (422, "invalid_code")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "made-up-code", "password": NEW_PASSWORD}, "code"),
        ({"code": "", "password": NEW_PASSWORD}, "code"),
        ({"password": NEW_PASSWORD}, "code"),
        ({"code": "x"}, "password"),
    ],
)
def test_a_bad_confirmation_names_the_field(db: None, body: dict[str, str], field: str) -> None:
    answer = Api().post(CONFIRM, body)
    assert answer.status_code == 422
    assert field in answer.content.decode()


def test_a_weak_password_keeps_the_code(verified_alice: User) -> None:
    ask("alice@example.org")
    code = code_in_mail("alice@example.org")
    weak = Api().post(CONFIRM, {"code": code, "password": "123"})
    assert weak.status_code == 422 and weak.json()["code"] == "invalid"
    assert Api().post(CONFIRM, {"code": code, "password": NEW_PASSWORD}).status_code == 200


@pytest.mark.parametrize("address", ["", "not-an-address", "a@b@c"])
def test_a_malformed_address_is_422(db: None, address: str) -> None:
    answer = Api().post(RESET, {"address": address})
    assert answer.status_code == 422 and "address" in answer.content.decode()


def test_resets_are_rate_limited_per_address_asked(db: None, settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    answers = [ask("someone@example.org").status_code for _ in range(6)]
    assert answers == [202] * 5 + [429]
    assert ask("other@example.org").status_code == 202


def test_the_pages_answer_the_same_and_reset(verified_alice: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    pages = []
    for address in ("alice@example.org", "nobody@example.org"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            page = client.post("/reset", {"address": address})
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.content.decode())
        pages.append((page.status_code, text))
    assert pages[0] == pages[1]
    assert pages[0][0] == 200
    assert "If an account has this verified e-mail address" in pages[0][1]
    code = code_in_mail("alice@example.org")
    body = {"code": code, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert client.post("/reset/confirm", {**body, "code": "wrong"}).status_code == 422
    assert client.post("/reset/confirm", body).status_code == 302
    verified_alice.refresh_from_db()
    assert verified_alice.check_password(NEW_PASSWORD)
    assert client.get("/login").status_code == 200


def _median_seconds(call: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return sorted(times)[runs // 2]


def test_log_in_answers_alike_whether_or_not_the_account_exists(alice: User) -> None:
    def token(username: str) -> Any:
        return Api().post("/api/v1/auth/token", {"username": username, "password": "wrong!"})

    known, unknown = token("alice"), token("nobody")
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.status_code == 401
    # An unknown name still costs a password hash, so timing does not tell them apart.
    slow, fast = sorted(
        [_median_seconds(lambda: token("alice")), _median_seconds(lambda: token("nobody"))]
    )
    assert fast > slow / 3, (fast, slow)
    page = Client(headers={"Accept-Language": "en"})
    answers = {
        name: page.post("/login", {"username": name, "password": "wrong!"})
        for name in ("alice", "nobody")
    }
    assert answers["alice"].status_code == answers["nobody"].status_code == 200
    assert "Wrong username or password" in answers["nobody"].content.decode()


def test_reset_requests_take_about_as_long_whether_or_not_anyone_gets_a_code(
    verified_alice: User,
) -> None:
    slow, fast = sorted(
        [
            _median_seconds(lambda: ask("alice@example.org")),
            _median_seconds(lambda: ask("nobody@example.org")),
        ]
    )
    assert fast > slow / 5, (fast, slow)


def test_a_phone_only_member_resets_by_sms(db: None) -> None:
    """A member who signed up by phone sets a password with a code by SMS."""
    from huzhu.trust.tests.test_phone_signin import sign_in

    token = sign_in(PHONE, locale="en").json()["token"]
    unknown, known = ask("+8613912345678"), ask("138 1234 5678")
    assert unknown.status_code == known.status_code == 202
    assert unknown.content == known.content
    sms = OutboxMessage.objects.filter(to=PHONE).latest("id")
    assert "/reset/confirm" in sms.body
    assert not OutboxMessage.objects.filter(to="+8613912345678").exists()
    code = re.search(r"password is (\S+) \(", sms.body)
    assert code is not None, sms.body
    answer = Api().post(CONFIRM, {"code": code.group(1), "password": NEW_PASSWORD})
    assert answer.status_code == 200, answer.content
    user = User.objects.get()
    assert user.check_password(NEW_PASSWORD)
    assert Api(token).get("/api/v1/me").status_code == 401  # every token ended


def test_a_number_nobody_verified_gets_nothing(alice: User) -> None:
    assert ask("+8613812345678").status_code == 202
    assert not OutboxMessage.objects.exists()
    assert not PasswordReset.objects.exists()
