"""Phone and e-mail verification: codes through the outbox, expiry, tries, cooldown, and
one phone per account."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import Api
from huzhu.trust.models import Verification, VerifiedEmail, VerifiedPhone
from huzhu.trust.tasks import recompute_levels
from huzhu.trust.tests.helpers import PHONE, confirm, last_code, start, verify_phone


def test_it_verifies_a_new_user_by_phone_and_shows_tl1_with_what_tl2_misses(
    api: Api, alice: User
) -> None:
    me = api.as_user(alice)
    assert me.get("/api/v1/me/trust").json()["level"] == 0
    started = start(me, "phone", "138 1234 5678")
    assert started.status_code == 201
    assert started.json()["status"] == "pending"
    # The code arrives through the outbox, as `huzhu outbox --to +8613812345678` prints it.
    confirmed = confirm(me, started.json()["id"], last_code(PHONE))
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
    trust = me.get("/api/v1/me/trust").json()
    assert trust["level"] == 1
    assert trust["name"] == "Verified"
    assert trust["verified_methods"] == ["phone"]
    missing = {c["code"]: c["text"] for c in trust["next_level"]["missing"]}
    assert trust["next_level"]["level"] == 2
    assert missing == {
        "completed_exchanges": "completed exchanges 0 / 3",
        "account_days": "days since you joined 0 / 7",
        "good_reviews": "good reviews from members in good standing 0 / 1",
    }
    assert trust["unlocks"]["open_needs"] > 1


@pytest.mark.parametrize(
    "written", ["13812345678", "138-1234-5678", "+86 138 1234 5678", "008613812345678"]
)
def test_it_normalises_phone_numbers_to_e164(api: Api, alice: User, written: str) -> None:
    assert start(api.as_user(alice), "phone", written).status_code == 201
    assert OutboxMessage.objects.get().to == PHONE


def test_it_reads_numbers_without_country_code_in_the_configured_region(
    api: Api, alice: User, settings: object
) -> None:
    settings.HUZHU_PHONE_REGION = "GB"  # type: ignore[attr-defined]
    assert start(api.as_user(alice), "phone", "07400 123456").status_code == 201
    assert OutboxMessage.objects.get().to == "+447400123456"


@pytest.mark.parametrize(
    ("method", "address"), [("phone", "12345"), ("phone", "call me"), ("email", "not-an-address")]
)
def test_it_refuses_malformed_addresses(api: Api, alice: User, method: str, address: str) -> None:
    r = start(api.as_user(alice), method, address)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "address"
    assert not Verification.objects.exists()


def test_it_stores_neither_the_code_nor_the_number(api: Api, alice: User) -> None:
    start(api.as_user(alice), "phone", PHONE)
    verification = Verification.objects.get()
    code = last_code(PHONE)
    row = " ".join(str(v) for v in Verification.objects.values().get().values())
    assert code not in verification.code_hash
    assert "13812345678" not in row


def test_a_code_works_until_it_expires_after_ten_minutes(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = start(me, "phone", PHONE).json()["id"]
        code = last_code(PHONE)  # once expired, the outbox blanks it out
    with time_machine.travel(now + timedelta(minutes=10), tick=False):
        r = confirm(me, first, code)
        assert r.status_code == 409
        assert r.json()["code"] == "code_expired"
        second = start(me, "phone", PHONE).json()["id"]
    with time_machine.travel(now + timedelta(minutes=19, seconds=59), tick=False):
        assert confirm(me, second, last_code(PHONE)).status_code == 200


def test_five_wrong_codes_use_up_the_verification(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    verification_id = start(me, "phone", PHONE).json()["id"]
    right = last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        r = confirm(me, verification_id, wrong)
        assert r.status_code == 422
        assert f"{left} tries left" in r.json()["detail"]
    r = confirm(me, verification_id, wrong)
    assert r.status_code == 422
    assert "No tries left" in r.json()["detail"]
    r = confirm(me, verification_id, right)  # the right code, too late
    assert r.status_code == 409
    assert r.json()["code"] == "too_many_attempts"
    assert Verification.objects.get().attempts == 5
    assert not VerifiedPhone.objects.exists()


def test_a_new_code_waits_for_the_cooldown_and_replaces_the_old_one(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = start(me, "phone", PHONE).json()["id"]
        old_code = last_code(PHONE)
    with time_machine.travel(now + timedelta(seconds=45), tick=False):
        r = start(me, "phone", PHONE)
        assert r.status_code == 429
        assert r["Retry-After"] == "15"
        assert r.json()["code"] == "resend_cooldown"
    with time_machine.travel(now + timedelta(seconds=60), tick=False):
        second = start(me, "phone", PHONE)
        assert second.status_code == 201
        r = confirm(me, first, old_code)
        assert r.status_code == 409
        assert r.json()["code"] == "superseded"
        assert confirm(me, second.json()["id"], last_code(PHONE)).status_code == 200


def test_nobody_floods_one_number_with_codes(
    api: Api, alice: User, bob: User, charlie: User
) -> None:
    now = timezone.now()
    senders = [alice, bob, charlie, alice, bob]
    for minute, user in enumerate(senders):
        with time_machine.travel(now + timedelta(minutes=minute * 2), tick=False):
            assert start(api.as_user(user), "phone", PHONE).status_code == 201
    with time_machine.travel(now + timedelta(minutes=11), tick=False):
        r = start(api.as_user(charlie), "phone", PHONE)
        assert r.status_code == 429
        assert int(r["Retry-After"]) == 49 * 60
    assert OutboxMessage.objects.count() == 5


def test_one_phone_verifies_one_account(api: Api, alice: User, bob: User) -> None:
    assert verify_phone(api.as_user(alice)).status_code == 200
    r = verify_phone(api.as_user(bob), "+86 138-1234-5678")
    assert r.status_code == 409
    assert r.json()["code"] == "phone_taken"
    assert "account recovery" in r.json()["detail"]
    assert list(VerifiedPhone.objects.values_list("user", flat=True)) == [alice.pk]
    assert api.as_user(bob).get("/api/v1/me/trust").json()["level"] == 0


def test_one_phone_one_account_holds_across_a_key_rotation(
    api: Api, alice: User, bob: User, settings: object
) -> None:
    settings.HUZHU_IDENTITY_KEYS = "1:first-secret"  # type: ignore[attr-defined]
    verify_phone(api.as_user(alice))
    settings.HUZHU_IDENTITY_KEYS = "1:first-secret,2:second-secret"  # type: ignore[attr-defined]
    r = verify_phone(api.as_user(bob))
    assert r.status_code == 409
    assert r.json()["code"] == "phone_taken"


def test_verifying_again_with_the_same_phone_is_fine(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert verify_phone(me).status_code == 200
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        assert verify_phone(me, show_on_reveal=True).status_code == 200
    assert VerifiedPhone.objects.get(user=alice).sealed_phone


def test_it_verifies_an_email_address_and_sends_notifications_there(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    started = start(me, "email", " Alice@Example.org ")
    assert started.status_code == 201
    message = OutboxMessage.objects.get(to="alice@example.org")
    assert message.channel == "email"
    assert confirm(me, started.json()["id"], last_code("alice@example.org")).status_code == 200
    assert VerifiedEmail.objects.get(user=alice).address == "alice@example.org"
    assert User.objects.get(pk=alice.pk).email == "alice@example.org"
    assert me.get("/api/v1/me/trust").json()["verified_methods"] == ["email"]


def test_a_verification_is_only_its_owners(api: Api, alice: User, bob: User) -> None:
    verification_id = start(api.as_user(alice), "phone", PHONE).json()["id"]
    r = confirm(api.as_user(bob), verification_id, last_code(PHONE))
    assert r.status_code == 404
    assert confirm(api.as_user(bob), 10**9, "123456").status_code == 404
    assert confirm(api, verification_id, "123456").status_code == 401
    assert Verification.objects.get().attempts == 0


def test_confirming_twice_is_a_conflict(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    verification_id = start(me, "email", "alice@example.org").json()["id"]
    code = last_code("alice@example.org")
    assert confirm(me, verification_id, code).status_code == 200
    r = confirm(me, verification_id, code)
    assert r.status_code == 409
    assert r.json()["code"] == "already_confirmed"


def test_it_refuses_malformed_bodies(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    assert me.post("/api/v1/me/verifications", {"method": "fax", "address": "1"}).status_code == 422
    assert me.post("/api/v1/me/verifications", {"method": "phone"}).status_code == 422
    verification_id = start(me, "phone", PHONE).json()["id"]
    assert me.post(f"/api/v1/me/verifications/{verification_id}/confirm", {}).status_code == 422


def test_the_nightly_task_forgets_codes_never_confirmed(api: Api, alice: User, bob: User) -> None:
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=2), tick=False):
        start(api.as_user(alice), "email", "alice@example.org")
        verify_phone(api.as_user(bob))
    with time_machine.travel(now - timedelta(hours=2), tick=False):
        start(api.as_user(alice), "phone", PHONE)
    recompute_levels.call()
    kept = Verification.objects.order_by("id")
    assert [(v.user_id, v.method, v.status) for v in kept] == [
        (bob.pk, "phone", "confirmed"),
        (alice.pk, "phone", "pending"),
    ]
