"""The masked relay and consent to reveal: contact details stay hidden until both say yes."""

from typing import Any

import pytest

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.models import Exchange, Message
from huzhu.exchanges.services import accept_exchange, cancel_exchange, complete_exchange
from huzhu.exchanges.tests.conftest import reload
from huzhu.posts.models import Post
from huzhu.trust.tests.helpers import mark_email_verified

PHONE = "138 1234 5678"
WECHAT = "lily_2024"
HIDDEN = "[contact hidden]"


def thread(api: Api, user: User, exchange: Exchange) -> Any:
    r = api.as_user(user).get(f"/api/v1/exchanges/{exchange.pk}/messages")
    assert r.status_code == 200, r.content
    return r.json()


def write(api: Api, user: User, exchange: Exchange, body: str) -> Any:
    return api.as_user(user).post(f"/api/v1/exchanges/{exchange.pk}/messages", {"body": body})


def reveal(api: Api, user: User, exchange: Exchange) -> Any:
    return api.as_user(user).post(f"/api/v1/exchanges/{exchange.pk}/reveal-contact")


def test_the_two_people_talk_in_the_thread(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    r = write(api, alice, bobs_pledge, "Thank you! Tonight at 7 by the gate?")
    assert r.status_code == 201, r.content
    as_bob = thread(api, bob, bobs_pledge)
    assert [(m["body"], m["is_own"]) for m in as_bob["items"]] == [
        ("I have some.", True),
        ("Thank you! Tonight at 7 by the gate?", False),
    ]
    assert as_bob["read_only"] is False
    assert as_bob["revealed"] is False


def test_outsiders_and_visitors_cannot_read_or_write(
    api: Api, bobs_pledge: Exchange, charlie: User
) -> None:
    path = f"/api/v1/exchanges/{bobs_pledge.pk}/messages"
    assert api.as_user(charlie).get(path).status_code == 404
    assert write(api, charlie, bobs_pledge, "hello").status_code == 404
    assert api.get(path).status_code == 401
    assert api.post(path, {"body": "hello"}).status_code == 401
    assert Message.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "x" * 2001}, {"body": 5}])
def test_malformed_messages_are_refused(
    api: Api, bobs_pledge: Exchange, bob: User, body: dict[str, Any]
) -> None:
    r = api.as_user(bob).post(f"/api/v1/exchanges/{bobs_pledge.pk}/messages", body)
    assert r.status_code == 422


def test_a_blank_message_is_refused(api: Api, bobs_pledge: Exchange, bob: User) -> None:
    r = write(api, bob, bobs_pledge, "   ")
    assert r.status_code == 422


@pytest.mark.parametrize("ending", ["declined", "cancelled", "completed"])
def test_the_thread_is_read_only_once_the_exchange_has_ended(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, ending: str
) -> None:
    if ending == "declined":
        alice_api = api.as_user(alice)
        alice_api.post(f"/api/v1/exchanges/{bobs_pledge.pk}/decline", {})
    elif ending == "cancelled":
        cancel_exchange(exchange=bobs_pledge, actor=bob, reason="sorry")
    else:
        accept_exchange(exchange=bobs_pledge, actor=alice)
        complete_exchange(exchange=reload(bobs_pledge), actor=alice, handover_happened=True)
    r = write(api, bob, bobs_pledge, "one more thing")
    assert r.status_code == 409
    assert r.json()["code"] == "ended"
    as_alice = thread(api, alice, bobs_pledge)
    assert as_alice["read_only"] is True
    assert len(as_alice["items"]) == 1
    assert reveal(api, bob, bobs_pledge).status_code == 409


def test_contact_details_are_stored_as_written_and_served_masked(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    write(api, bob, bobs_pledge, f"Call me on {PHONE} or WeChat: {WECHAT}")
    stored = Message.objects.order_by("id").last()
    assert stored is not None
    assert PHONE in stored.body
    for user in (alice, bob):
        last = thread(api, user, bobs_pledge)["items"][-1]
        assert PHONE not in last["body"]
        assert WECHAT not in last["body"]
        assert last["body"] == f"Call me on {HIDDEN} or WeChat: {HIDDEN}"
        assert last["masked"] is True


def test_one_sided_consent_reveals_nothing(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    mark_email_verified(alice, "alice@example.org")
    mark_email_verified(bob, "bob@example.org")
    write(api, bob, bobs_pledge, f"My number: {PHONE}")
    r = reveal(api, bob, bobs_pledge)
    assert r.status_code == 200
    body = r.json()
    assert body["consent"] == {"mine": True, "theirs": False}
    assert body["contact"] is None
    assert "reveal_contact" not in body["actions"]
    for user in (alice, bob):
        seen = api.as_user(user).get(f"/api/v1/exchanges/{bobs_pledge.pk}").content.decode()
        seen += (
            api.as_user(user).get(f"/api/v1/exchanges/{bobs_pledge.pk}/messages").content.decode()
        )
        assert "example.org" not in seen
        assert PHONE not in seen
    assert api.as_user(alice).get(f"/api/v1/exchanges/{bobs_pledge.pk}").json()["consent"] == {
        "mine": False,
        "theirs": True,
    }


def test_consent_is_idempotent(api: Api, bobs_pledge: Exchange, bob: User) -> None:
    first = reveal(api, bob, bobs_pledge).json()
    consented_at = reload(bobs_pledge).giver_consented_at
    second = reveal(api, bob, bobs_pledge)
    assert second.status_code == 200
    assert second.json()["consent"] == first["consent"]
    assert reload(bobs_pledge).giver_consented_at == consented_at


def test_when_both_consent_each_sees_the_others_contact(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    mark_email_verified(alice, "alice@example.org")
    write(api, bob, bobs_pledge, f"My number: {PHONE}")
    write(api, alice, bobs_pledge, "I am at 南京西路1234号")
    reveal(api, bob, bobs_pledge)
    r = reveal(api, alice, bobs_pledge)
    assert r.json()["consent"] == {"mine": True, "theirs": True}
    # Alice sees bob's typed number (bob has no e-mail address) ...
    assert r.json()["contact"] == {"email": None, "phone": None, "details": [PHONE]}
    # ... and bob sees alice's verified e-mail and the address she typed.
    as_bob = api.as_user(bob).get(f"/api/v1/exchanges/{bobs_pledge.pk}").json()
    assert as_bob["contact"] == {
        "email": "alice@example.org",
        "phone": None,
        "details": ["南京西路1234号"],
    }
    bodies = [m["body"] for m in thread(api, bob, bobs_pledge)["items"]]
    assert f"My number: {PHONE}" in bodies
    assert "I am at 南京西路1234号" in bodies
    assert thread(api, bob, bobs_pledge)["revealed"] is True


def test_reveal_is_for_participants_only(api: Api, bobs_pledge: Exchange, charlie: User) -> None:
    assert reveal(api, charlie, bobs_pledge).status_code == 404
    assert api.post(f"/api/v1/exchanges/{bobs_pledge.pk}/reveal-contact").status_code == 401
    assert reload(bobs_pledge).giver_consented_at is None


def test_public_post_text_is_masked(api: Api, alice: User) -> None:
    body = {
        "kind": "need",
        "title": "退烧药 微信 lily_2024",
        "body": "Call 13812345678 or see www.example.com. Fever 39.5度, 200mg ok.",
        "category": "medicine",
        "item": "ibuprofen",
        "quantity": 2,
        "lat": 39.9,
        "lng": 116.4,
    }
    created = api.as_user(alice).post("/api/v1/posts", body).json()
    seen = api.get(f"/api/v1/posts/{created['id']}").json()
    assert seen["title"] == f"退烧药 微信 {HIDDEN}"
    assert seen["body"] == f"Call {HIDDEN} or see {HIDDEN}. Fever 39.5度, 200mg ok."
    listed = api.get("/api/v1/posts", {"lat": 39.9, "lng": 116.4}).json()["items"]
    assert "13812345678" not in str(listed)
    assert Post.objects.get().body.startswith("Call 13812345678")  # stored as written
