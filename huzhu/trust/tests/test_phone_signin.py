"""Signing in, or up, with a phone number and a code by SMS (trust/phone_signin.py)."""

from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import Api
from huzhu.safety.sanctions import impose_sanction
from huzhu.trust.models import Verification, VerifiedPhone
from huzhu.trust.tests.helpers import (
    PHONE,
    last_code,
    make_moderator,
    sent_on_commit,
    verify_phone,
)

OTHER = "+8613912345678"


def ask(phone: str, **headers: str) -> Any:
    with sent_on_commit():
        return Api().post("/api/v1/auth/phone", {"phone": phone}, headers=headers)


def confirm(phone: str, code: str, **extra: Any) -> Any:
    return Api().post("/api/v1/auth/phone/confirm", {"phone": phone, "code": code, **extra})


def sign_in(phone: str = PHONE, **extra: Any) -> Any:
    assert ask(phone).status_code == 202
    return confirm(phone, last_code(OutboxMessage.objects.latest("id").to), **extra)


def test_a_new_number_gets_a_phone_verified_account_and_a_token(db: None) -> None:
    answer = sign_in("138 1234 5678", display_name="Mei", locale="en")
    assert answer.status_code == 200, answer.content
    assert answer.json()["created"] is True
    me = Api(answer.json()["token"])
    assert me.get("/api/v1/me").json()["display_name"] == "Mei"
    trust = me.get("/api/v1/me/trust").json()
    assert trust["level"] == 1
    assert trust["verified_methods"] == ["phone"]
    user = User.objects.get()
    assert not user.has_usable_password()
    assert VerifiedPhone.objects.get(user=user).sealed_contact  # so Huzhu can text her


def test_the_same_number_signs_in_the_same_account(db: None) -> None:
    first = sign_in()
    second = sign_in()
    assert second.status_code == 200
    assert second.json()["created"] is False
    assert User.objects.count() == 1
    assert Api(second.json()["token"]).get("/api/v1/me").json()["id"] == User.objects.get().pk
    assert first.json()["token"] != second.json()["token"]


def test_a_number_verified_by_a_password_account_signs_that_account_in(
    api: Api, alice: User
) -> None:
    assert verify_phone(api.as_user(alice)).status_code == 200
    answer = sign_in()
    assert answer.json()["created"] is False
    assert Api(answer.json()["token"]).get("/api/v1/me").json()["username"] == "alice"
    assert User.objects.count() == 1


def test_the_answer_is_the_same_whether_or_not_the_number_has_an_account(
    api: Api, alice: User
) -> None:
    verify_phone(api.as_user(alice))
    known, unknown = ask(PHONE), ask(OTHER)
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert OutboxMessage.objects.filter(to=OTHER).count() == 1


def test_a_wrong_code_is_refused_and_counts_a_try(db: None) -> None:
    ask(PHONE)
    right = last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    answer = confirm(PHONE, wrong)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "code"
    assert Verification.objects.get().attempts == 1
    assert not User.objects.exists()


def test_too_many_wrong_codes_end_the_code(db: None, settings: Any) -> None:
    settings.HUZHU_VERIFY_MAX_ATTEMPTS = 2
    ask(PHONE)
    right = last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    confirm(PHONE, wrong)
    confirm(PHONE, wrong)
    assert confirm(PHONE, right).status_code == 409
    assert not User.objects.exists()


def test_an_expired_code_is_refused(db: None) -> None:
    ask(PHONE)
    code = last_code(PHONE)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        answer = confirm(PHONE, code)
    assert answer.status_code == 409
    assert answer.json()["code"] == "code_expired"


def test_a_code_works_once_and_only_for_its_number(db: None) -> None:
    ask(PHONE)
    code = last_code(PHONE)
    assert confirm(OTHER, code).status_code == 422
    assert confirm(PHONE, code).status_code == 200
    assert confirm(PHONE, code).json()["code"] == "invalid_code"  # used


def test_no_code_was_asked_for(db: None) -> None:
    answer = confirm(PHONE, "123456")
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_code"


def test_a_flood_of_codes_to_one_number_is_slowed(db: None) -> None:
    assert ask(PHONE).status_code == 202
    again = ask(PHONE)
    assert again.status_code == 429
    assert int(again["Retry-After"]) > 0
    assert OutboxMessage.objects.filter(to=PHONE).count() == 1


def test_the_hourly_cap_per_number_holds(db: None, settings: Any) -> None:
    settings.HUZHU_VERIFY_PER_HOUR = 2
    start = timezone.now()
    for minute in (0, 2):
        with time_machine.travel(start + timedelta(minutes=minute)):
            assert ask(PHONE).status_code == 202
    with time_machine.travel(start + timedelta(minutes=4)):
        refused = ask(PHONE)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 3000


def test_one_address_cannot_text_many_numbers(db: None, settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    numbers = [f"+86139{n:08d}" for n in range(10)]
    answers = [ask(number).status_code for number in numbers]
    assert answers == [202] * 10
    refused = ask("+8613712345678")
    assert refused.status_code == 429
    assert "Retry-After" in refused


def test_malformed_numbers_and_bodies_are_422(db: None) -> None:
    assert Api().post("/api/v1/auth/phone", {"phone": "call me"}).status_code == 422
    assert Api().post("/api/v1/auth/phone", {}).status_code == 422
    assert confirm(PHONE, "123456", locale="fr").status_code == 422


def test_a_suspended_account_is_refused(api: Api, alice: User) -> None:
    verify_phone(api.as_user(alice))
    impose_sanction(
        moderator=make_moderator(), user=alice, kind="suspend", rule="spam", reason="ads", days=3
    )
    answer = sign_in()
    assert answer.status_code == 403


def test_the_pages_sign_up_by_phone(db: None) -> None:
    client = Client()
    page = client.get("/login")
    assert "/login/phone" in page.content.decode()
    assert "/login/phone" in client.get("/signup").content.decode()
    with sent_on_commit():
        sent = client.post("/login/phone", {"phone": PHONE})
    assert sent.status_code == 200
    assert 'name="code"' in sent.content.decode()
    wrong = client.post("/login/phone", {"phone": PHONE, "code": "99999x"})
    assert wrong.status_code == 422
    done = client.post(
        "/login/phone", {"phone": PHONE, "code": last_code(PHONE), "next": "/me/inbox"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/me/inbox"
    assert client.get("/me/inbox").status_code == 200
    assert User.objects.get().verified_phone.phone_hash


def test_a_phone_only_member_can_erase_the_account_on_the_web(db: None) -> None:
    answer = sign_in(PHONE, display_name="Mei")
    user = User.objects.get()
    client = Client()
    client.force_login(user)
    assert "display name" in client.get("/me/erase").content.decode()
    assert client.post("/me/erase", {"password": "Wrong"}).status_code == 200
    assert User.objects.get().is_active
    assert client.post("/me/erase", {"password": "Mei"}).status_code == 302
    assert not VerifiedPhone.objects.exists()
    assert Api(answer.json()["token"]).get("/api/v1/me").status_code == 401


def test_a_suspended_phone_only_member_appeals_after_a_right_code(db: None) -> None:
    from huzhu.safety.models import Appeal

    sign_in(PHONE)
    mei = User.objects.get()
    impose_sanction(
        moderator=make_moderator(), user=mei, kind="suspend", rule="spam", reason="ads", days=3
    )
    client = Client()
    assert client.get("/login/phone/appeal").status_code == 302  # nothing proven yet
    with sent_on_commit():
        client.post("/login/phone", {"phone": PHONE})
    refused = client.post("/login/phone", {"phone": PHONE, "code": last_code(PHONE)})
    assert refused.status_code == 422
    assert "/login/phone/appeal" in refused.content.decode()
    assert client.get("/login/phone/appeal").status_code == 200
    sent = client.post("/login/phone/appeal", {"body": "It was not spam."})
    assert sent.status_code == 302
    assert Appeal.objects.get().sanction.user == mei
    assert Client().get("/login/phone/appeal").status_code == 302  # another browser: no
