"""Disputes: either side opens one on an accepted exchange; a moderator settles it.

Bob pledged 2 of the 4 tablets alice needs (bob gives, alice receives); `mo` is a moderator.
"""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from huzhu.accounts.erasure import erase_account
from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.models import Exchange, ExchangeStatusChange, Notification
from huzhu.exchanges.sentences import describe
from huzhu.exchanges.services import accept_exchange, respond_to_post
from huzhu.exchanges.tests.conftest import post_of, reload
from huzhu.posts.models import Post
from huzhu.web.tests.helpers import inline_code

S = Exchange.Status


@pytest.fixture
def disputed(api: Api, accepted: Exchange, bob: User) -> Exchange:
    r = dispute(api, bob, accepted, "She never came to the door.")
    assert r.status_code == 200, r.content
    return reload(accepted)


def dispute(api: Api, user: User, exchange: Exchange, reason: str) -> Any:
    return api.as_user(user).post(f"/api/v1/exchanges/{exchange.pk}/dispute", {"reason": reason})


def settle(api: Api, user: User, exchange: Exchange, outcome: str, reason: str = "Checked") -> Any:
    return api.as_user(user).post(
        f"/api/v1/exchanges/{exchange.pk}/settle", {"outcome": outcome, "reason": reason}
    )


# --- Opening a dispute -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_either_side_disputes_an_accepted_exchange(
    api: Api, accepted: Exchange, alice: User, bob: User, who: str
) -> None:
    actor, other = (alice, bob) if who == "alice" else (bob, alice)
    r = dispute(api, actor, accepted, "  Not what we agreed.  ")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "disputed"
    assert body["holds_quantity"] is True
    assert "dispute" not in body["actions"]
    assert "cancel" not in body["actions"]
    last = body["status_history"][-1]
    assert (last["from_status"], last["to_status"], last["reason"]) == (
        "accepted",
        "disputed",
        "disputed",
    )
    assert last["note"] == "Not what we agreed."
    assert post_of(accepted).quantity_reserved == 2  # still held while a moderator looks
    told = Notification.objects.get(user=other, kind=Notification.Kind.DISPUTED)
    assert told.exchange_id == accepted.pk
    assert not Notification.objects.filter(user=actor, kind=Notification.Kind.DISPUTED).exists()


def test_the_dispute_action_shows_only_on_accepted_exchanges(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    path = f"/api/v1/exchanges/{bobs_pledge.pk}"
    assert "dispute" not in api.as_user(bob).get(path).json()["actions"]
    accept_exchange(exchange=reload(bobs_pledge), actor=alice)
    assert "dispute" in api.as_user(bob).get(path).json()["actions"]


@pytest.mark.parametrize("status", [S.PROPOSED, S.DISPUTED, S.COMPLETED, S.CANCELLED, S.DECLINED])
def test_only_an_accepted_exchange_can_be_disputed(
    api: Api, bobs_pledge: Exchange, bob: User, status: str
) -> None:
    Exchange.objects.filter(pk=bobs_pledge.pk).update(status=status)
    r = dispute(api, bob, bobs_pledge, "Something is off.")
    assert r.status_code == 409
    assert r.json()["code"] == "illegal_transition"
    assert reload(bobs_pledge).status == status


def test_an_outsider_cannot_dispute(api: Api, accepted: Exchange, charlie: User) -> None:
    assert dispute(api, charlie, accepted, "Nosy.").status_code == 404
    assert reload(accepted).status == S.ACCEPTED


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 301}])
def test_a_dispute_needs_a_reason(
    api: Api, accepted: Exchange, bob: User, body: dict[str, Any]
) -> None:
    r = api.as_user(bob).post(f"/api/v1/exchanges/{accepted.pk}/dispute", body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "reason"
    assert reload(accepted).status == S.ACCEPTED


def test_a_disputed_exchange_is_not_ended_by_its_participants(
    api: Api, disputed: Exchange, alice: User, bob: User
) -> None:
    path = f"/api/v1/exchanges/{disputed.pk}"
    r = api.as_user(bob).post(f"{path}/cancel", {"reason": "forget it"})
    assert (r.status_code, r.json()["code"]) == (409, "illegal_transition")
    r = api.as_user(alice).post(f"{path}/complete", {"handover_happened": True})
    assert (r.status_code, r.json()["code"]) == (409, "illegal_transition")
    assert reload(disputed).status == S.DISPUTED


# --- Settling ----------------------------------------------------------------------------


def test_a_moderator_settles_as_completed(
    api: Api, disputed: Exchange, alice: User, bob: User, mo: User
) -> None:
    r = settle(api, mo, disputed, "completed", "Photos show it was handed over.")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["role"], body["other"], body["contact"]) == (
        "completed",
        "moderator",
        None,
        None,
    )
    assert body["parties"]["giver"]["display_name"] == "Bob"
    assert body["status_history"][-1]["reason"] == "settled"
    assert body["status_history"][-1]["note"] == "Photos show it was handed over."
    post = post_of(disputed)
    assert post.quantity_reserved == 2  # handed over: not available again
    assert post.status == Post.Status.PLEDGED  # 2 of 4 completed, nothing else going
    for person in (alice, bob):
        assert Notification.objects.filter(user=person, kind=Notification.Kind.SETTLED).exists()


def test_a_moderator_settles_as_cancelled(
    api: Api, disputed: Exchange, alice: User, bob: User, mo: User
) -> None:
    r = settle(api, mo, disputed, "cancelled", "Nothing was handed over.")
    assert r.status_code == 200, r.content
    assert r.json()["cancel_reason"] == "Nothing was handed over."
    exchange = reload(disputed)
    assert (exchange.status, exchange.cancelled_by_id) == (S.CANCELLED, mo.pk)
    post = post_of(disputed)
    assert post.quantity_reserved == 0  # given back to the post
    assert post.status == Post.Status.OPEN
    settled = Notification.objects.filter(kind=Notification.Kind.SETTLED)
    assert sorted(settled.values_list("user_id", flat=True)) == sorted([alice.pk, bob.pk])
    assert not Notification.objects.filter(kind=Notification.Kind.CANCELLED).exists()


def test_settling_as_completed_can_fulfil_the_post(
    api: Api, alices_need: Post, alice: User, charlie: User, mo: User
) -> None:
    exchange = respond_to_post(post=alices_need, responder=charlie, quantity=4, message="")
    accept_exchange(exchange=reload(exchange), actor=alice)
    assert dispute(api, alice, exchange, "Only half arrived.").status_code == 200
    assert settle(api, mo, exchange, "completed").status_code == 200
    post = post_of(exchange)
    assert (post.status, post.quantity_reserved) == (Post.Status.FULFILLED, 4)


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_a_participant_cannot_settle(api: Api, disputed: Exchange, who: str, request: Any) -> None:
    r = settle(api, request.getfixturevalue(who), disputed, "completed")
    assert (r.status_code, r.json()["code"]) == (403, "not_moderator")
    assert reload(disputed).status == S.DISPUTED


def test_a_moderator_who_is_a_participant_cannot_settle(api: Api, disputed: Exchange) -> None:
    User.objects.filter(username="bob").update(is_staff=True)
    r = settle(api, User.objects.get(username="bob"), disputed, "completed")
    assert r.status_code == 403
    assert reload(disputed).status == S.DISPUTED


def test_an_outsider_cannot_settle(api: Api, disputed: Exchange, charlie: User) -> None:
    assert settle(api, charlie, disputed, "cancelled").status_code == 404
    assert reload(disputed).status == S.DISPUTED


@pytest.mark.parametrize("status", [S.PROPOSED, S.ACCEPTED, S.COMPLETED, S.CANCELLED])
def test_only_a_disputed_exchange_can_be_settled(
    api: Api, bobs_pledge: Exchange, mo: User, status: str
) -> None:
    Exchange.objects.filter(pk=bobs_pledge.pk).update(status=status)
    r = settle(api, mo, bobs_pledge, "completed")
    assert (r.status_code, r.json()["code"]) == (409, "illegal_transition")
    assert reload(bobs_pledge).status == status


def test_a_dispute_is_settled_once(api: Api, disputed: Exchange, mo: User) -> None:
    assert settle(api, mo, disputed, "cancelled").status_code == 200
    assert settle(api, mo, disputed, "completed").status_code == 409
    assert reload(disputed).status == S.CANCELLED
    assert post_of(disputed).quantity_reserved == 0  # released once, not twice


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "ok"}, "outcome"),
        ({"outcome": "declined", "reason": "ok"}, "outcome"),
        ({"outcome": "completed"}, "reason"),
        ({"outcome": "completed", "reason": ""}, "reason"),
        ({"outcome": "completed", "reason": " "}, "reason"),
        ({"outcome": "completed", "reason": "x" * 301}, "reason"),
    ],
)
def test_a_settlement_needs_an_outcome_and_a_reason(
    api: Api, disputed: Exchange, mo: User, body: dict[str, Any], field: str
) -> None:
    r = api.as_user(mo).post(f"/api/v1/exchanges/{disputed.pk}/settle", body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == field
    assert reload(disputed).status == S.DISPUTED


def test_both_notifications_read_in_the_readers_language(
    api: Api, disputed: Exchange, alice: User, mo: User
) -> None:
    settle(api, mo, disputed, "completed")
    kinds = (Notification.Kind.DISPUTED, Notification.Kind.SETTLED)
    found = list(Notification.objects.filter(user=alice, kind__in=kinds))
    assert len(found) == 2
    for notification in found:
        assert "Bob" in describe(notification)
        with translation.override("zh-hans"):
            assert "管理员" in describe(notification)


# --- The web form ------------------------------------------------------------------------


def test_the_exchange_page_opens_a_dispute_without_javascript(
    client: Client, accepted: Exchange, alice: User, bob: User
) -> None:
    client.force_login(bob)
    html = client.get(f"/exchanges/{accepted.pk}").content.decode()
    assert inline_code(html) == []
    assert f'action="/exchanges/{accepted.pk}/dispute"' in html
    r = client.post(f"/exchanges/{accepted.pk}/dispute", {"reason": "She never came."})
    assert r.status_code == 302
    assert reload(accepted).status == S.DISPUTED
    html = client.get(r["Location"]).content.decode()
    assert "A moderator will look at it" in html
    assert "She never came." in html  # the reason, in the status history
    assert f'action="/exchanges/{accepted.pk}/dispute"' not in html


def test_the_web_form_refuses_an_empty_reason(
    client: Client, accepted: Exchange, bob: User
) -> None:
    client.force_login(bob)
    r = client.post(f"/exchanges/{accepted.pk}/dispute", {"reason": "  "})
    assert r.status_code == 422
    assert "Say briefly what went wrong." in r.content.decode()
    assert reload(accepted).status == S.ACCEPTED


def test_the_web_form_is_for_the_two_people_and_accepted_exchanges(
    client: Client, bobs_pledge: Exchange, bob: User, charlie: User
) -> None:
    client.force_login(charlie)
    assert client.post(f"/exchanges/{bobs_pledge.pk}/dispute", {"reason": "x"}).status_code == 404
    client.force_login(bob)
    r = client.post(f"/exchanges/{bobs_pledge.pk}/dispute", {"reason": "Too early."})
    assert r.status_code == 409
    assert reload(bobs_pledge).status == S.PROPOSED


def test_the_dispute_form_speaks_chinese(client: Client, accepted: Exchange, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(locale="zh-hans")
    client.force_login(User.objects.get(pk=bob.pk))
    html = client.get(f"/exchanges/{accepted.pk}", headers={"Accept-Language": "zh-hans"})
    assert "请管理员" in html.content.decode()


def test_erasing_an_account_erases_its_dispute_reason_and_leaves_the_dispute(
    disputed: Exchange, bob: User
) -> None:
    erase_account(user=User.objects.get(pk=bob.pk))
    assert not ExchangeStatusChange.objects.filter(note__contains="door").exists()
    assert reload(disputed).status == S.DISPUTED  # still the moderator's to settle
