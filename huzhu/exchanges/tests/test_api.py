"""The exchanges contract: respond, accept, decline, cancel, complete — and every "no"."""

from typing import Any

import pytest

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.models import Exchange, NoShow
from huzhu.exchanges.services import accept_exchange, respond_to_post
from huzhu.exchanges.tests.conftest import make_offer, post_of
from huzhu.posts.models import Post
from huzhu.posts.services import transition_post


def respond(api: Api, user: User, post: Post, **body: Any) -> Any:
    return api.as_user(user).post(
        f"/api/v1/posts/{post.pk}/exchanges", {"quantity": 1, "message": "", **body}
    )


# --- Responding ------------------------------------------------------------------------


def test_it_pledges_to_a_need(api: Api, alices_need: Post, bob: User) -> None:
    r = respond(api, bob, alices_need, quantity=2, message="I can bring two tonight.")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "proposed"
    assert body["role"] == "giver"  # bob responds to a need: bob gives
    assert body["is_post_owner"] is False
    assert body["other"] == {
        "display_name": "Alice",
        "badge": {
            "verified": False,
            "level": 0,
            "level_name": "New",
            "completed_exchanges": 0,
            "reviews_counted": 0,
            "reviews_positive": 0,
            "enough_reviews": False,
            "positive_lower_bound": None,
            "organisation": None,
        },
    }
    assert body["quantity"] == 2
    assert body["post"]["id"] == alices_need.pk
    assert body["actions"] == ["reveal_contact", "cancel", "message"]
    assert body["contact"] is None
    assert "alice" not in r.content.decode()  # the username stays private
    exchange = Exchange.objects.get()
    assert (exchange.giver_id, exchange.receiver_id) == (bob.pk, alices_need.owner_id)
    assert exchange.messages.get().body == "I can bring two tonight."


def test_it_asks_for_an_offer(api: Api, alice: User, bob: User) -> None:
    offer = make_offer(alice)
    r = respond(api, bob, offer)
    assert r.status_code == 201, r.content
    assert r.json()["role"] == "receiver"  # bob responds to an offer: bob receives
    exchange = Exchange.objects.get()
    assert (exchange.giver_id, exchange.receiver_id) == (alice.pk, bob.pk)


def test_it_requires_authentication_to_respond(api: Api, alices_need: Post) -> None:
    r = api.post(f"/api/v1/posts/{alices_need.pk}/exchanges", {"quantity": 1})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"


def test_it_refuses_a_response_to_your_own_post(api: Api, alice: User, alices_need: Post) -> None:
    r = respond(api, alice, alices_need)
    assert r.status_code == 409
    assert r.json()["code"] == "own_post"
    assert "own post" in r.json()["detail"]


@pytest.mark.parametrize("status", ["fulfilled", "expired"])
def test_it_refuses_a_response_to_a_post_no_longer_listed(
    api: Api, alices_need: Post, bob: User, status: str
) -> None:
    transition_post(post_id=alices_need.pk, to_status=status, actor=None, reason="test")
    r = respond(api, bob, alices_need)
    assert r.status_code == 409
    assert r.json()["code"] == "not_listed"


def test_a_withdrawn_post_is_not_found(api: Api, alices_need: Post, bob: User) -> None:
    transition_post(post_id=alices_need.pk, to_status="withdrawn", actor=None, reason="test")
    assert respond(api, bob, alices_need).status_code == 404
    assert (
        api.as_user(bob).post("/api/v1/posts/999999/exchanges", {"quantity": 1}).status_code == 404
    )


def test_it_refuses_more_than_is_left(
    api: Api, alices_need: Post, bob: User, charlie: User
) -> None:
    assert respond(api, bob, alices_need, quantity=5).json()["code"] == "quantity_unavailable"
    exchange = respond_to_post(post=alices_need, responder=charlie, quantity=3, message="")
    accept_exchange(exchange=exchange, actor=alices_need.owner)
    r = respond(api, bob, alices_need, quantity=2)  # 4 needed, 3 promised: 1 left
    assert r.status_code == 409
    assert "Only 1 left" in r.json()["detail"]
    assert respond(api, bob, alices_need, quantity=1).status_code == 201


def test_one_live_exchange_per_person_and_post(api: Api, alices_need: Post, bob: User) -> None:
    assert respond(api, bob, alices_need).status_code == 201
    r = respond(api, bob, alices_need)
    assert r.status_code == 409
    assert r.json()["code"] == "already_responded"
    assert Exchange.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1001}, "quantity"),
        ({"quantity": "two"}, "quantity"),
        ({}, "quantity"),
        ({"quantity": 1, "message": "x" * 2001}, "message"),
    ],
)
def test_it_refuses_malformed_responses(
    api: Api, alices_need: Post, bob: User, body: dict[str, Any], field: str
) -> None:
    r = api.as_user(bob).post(f"/api/v1/posts/{alices_need.pk}/exchanges", body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == field


def test_unparseable_json_is_a_422(api: Api, alices_need: Post, bob: User) -> None:
    r = api.as_user(bob).post(f"/api/v1/posts/{alices_need.pk}/exchanges", "{not json")
    assert r.status_code == 422


def test_a_retry_with_the_same_idempotency_key_responds_once(
    api: Api, alices_need: Post, bob: User
) -> None:
    client = api.as_user(bob)
    path = f"/api/v1/posts/{alices_need.pk}/exchanges"
    headers = {"Idempotency-Key": "respond-1"}
    first = client.post(path, {"quantity": 1}, headers=headers)
    second = client.post(path, {"quantity": 1}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Exchange.objects.count() == 1
    other = client.post(path, {"quantity": 2}, headers=headers)
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"


# --- Reading -------------------------------------------------------------------------


def test_only_the_two_people_see_an_exchange(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, charlie: User
) -> None:
    path = f"/api/v1/exchanges/{bobs_pledge.pk}"
    assert api.as_user(bob).get(path).json()["role"] == "giver"
    as_alice = api.as_user(alice).get(path).json()
    assert as_alice["role"] == "receiver"
    assert as_alice["is_post_owner"] is True
    assert as_alice["actions"] == ["accept", "decline", "reveal_contact", "cancel", "message"]
    r = api.as_user(charlie).get(path)
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert api.get(path).status_code == 401
    assert api.as_user(bob).get("/api/v1/exchanges/999999").status_code == 404
    assert api.as_user(bob).get("/api/v1/exchanges/nope").status_code == 422


def test_it_lists_only_the_callers_exchanges(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, charlie: User
) -> None:
    alices_need = bobs_pledge.post
    other = respond_to_post(post=make_offer(alice), responder=bob, quantity=1, message="")
    path = "/api/v1/exchanges"
    mine = api.as_user(bob).get(path).json()["items"]
    assert [e["id"] for e in mine] == [other.pk, bobs_pledge.pk]
    on_post = api.as_user(bob).get(path, {"post": alices_need.pk}).json()["items"]
    assert [e["id"] for e in on_post] == [bobs_pledge.pk]
    assert api.as_user(alice).get(path, {"post": alices_need.pk}).json()["items"][0]["id"] == (
        bobs_pledge.pk
    )
    assert api.as_user(charlie).get(path, {"post": alices_need.pk}).json() == {"items": []}
    assert api.get(path).status_code == 401
    assert api.as_user(bob).get(path, {"post": "x"}).status_code == 422


# --- Accept, decline, cancel ---------------------------------------------------------


def test_accepting_reserves_and_pledges_the_post(
    api: Api, bobs_pledge: Exchange, alice: User
) -> None:
    r = api.as_user(alice).post(f"/api/v1/exchanges/{bobs_pledge.pk}/accept")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted"
    assert r.json()["accepted_at"] is not None
    post = post_of(bobs_pledge)
    assert (post.quantity_reserved, post.status) == (2, "pledged")
    history = api.get(f"/api/v1/posts/{post.pk}").json()["status_history"]
    assert [h["to_status"] for h in history] == ["open", "pledged"]


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_only_the_post_owner_accepts_or_declines(
    api: Api, bobs_pledge: Exchange, bob: User, charlie: User, action: str
) -> None:
    path = f"/api/v1/exchanges/{bobs_pledge.pk}/{action}"
    r = api.as_user(bob).post(path, {})
    assert r.status_code == 403
    assert r.json()["code"] == "not_post_owner"
    assert api.as_user(charlie).post(path, {}).status_code == 404
    assert api.post(path, {}).status_code == 401
    assert Exchange.objects.get().status == "proposed"


def test_accepting_twice_is_a_conflict(api: Api, bobs_pledge: Exchange, alice: User) -> None:
    path = f"/api/v1/exchanges/{bobs_pledge.pk}/accept"
    assert api.as_user(alice).post(path).status_code == 200
    r = api.as_user(alice).post(path)
    assert r.status_code == 409
    assert r.json()["code"] == "illegal_transition"
    assert post_of(bobs_pledge).quantity_reserved == 2


def test_accepting_more_than_is_left_is_a_conflict(
    api: Api, alices_need: Post, bobs_pledge: Exchange, alice: User, charlie: User
) -> None:
    charlies = respond_to_post(post=alices_need, responder=charlie, quantity=3, message="")
    assert api.as_user(alice).post(f"/api/v1/exchanges/{charlies.pk}/accept").status_code == 200
    r = api.as_user(alice).post(f"/api/v1/exchanges/{bobs_pledge.pk}/accept")
    assert r.status_code == 409
    assert r.json()["code"] == "quantity_unavailable"
    assert Exchange.objects.get(pk=bobs_pledge.pk).status == "proposed"  # rolled back
    assert post_of(bobs_pledge).quantity_reserved == 3


def test_a_declined_exchange_cannot_be_accepted(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    client = api.as_user(alice)
    r = client.post(f"/api/v1/exchanges/{bobs_pledge.pk}/decline", {"reason": "Already found"})
    assert r.status_code == 200
    assert r.json()["status"] == "declined"
    assert r.json()["actions"] == []
    assert client.post(f"/api/v1/exchanges/{bobs_pledge.pk}/accept").status_code == 409
    # Declined is over: bob may respond again.
    assert respond(api, bob, bobs_pledge.post).status_code == 201


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_either_side_cancels_and_the_quantity_comes_back(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, who: str
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    client = api.as_user(alice if who == "alice" else bob)
    r = client.post(f"/api/v1/exchanges/{bobs_pledge.pk}/cancel", {"reason": "Plans changed"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "cancelled"
    assert r.json()["cancel_reason"] == "Plans changed"
    post = post_of(bobs_pledge)
    assert (post.quantity_reserved, post.status) == (0, "open")
    again = client.post(f"/api/v1/exchanges/{bobs_pledge.pk}/cancel", {"reason": "x"})
    assert again.status_code == 409


def test_cancelling_needs_a_reason(api: Api, bobs_pledge: Exchange, bob: User) -> None:
    path = f"/api/v1/exchanges/{bobs_pledge.pk}/cancel"
    assert api.as_user(bob).post(path, {}).status_code == 422
    assert api.as_user(bob).post(path, {"reason": ""}).status_code == 422
    assert Exchange.objects.get().status == "proposed"


def test_cancel_reasons_are_masked(api: Api, bobs_pledge: Exchange, alice: User, bob: User) -> None:
    reason = "Call me on 138 1234 5678 instead"
    api.as_user(bob).post(f"/api/v1/exchanges/{bobs_pledge.pk}/cancel", {"reason": reason})
    seen = api.as_user(alice).get(f"/api/v1/exchanges/{bobs_pledge.pk}").json()["cancel_reason"]
    assert "5678" not in seen
    assert "[contact hidden]" in seen


# --- Hand-over and completion ---------------------------------------------------------


def test_the_receiver_completes_and_the_post_is_fulfilled(
    api: Api, alices_need: Post, alice: User, bob: User, charlie: User
) -> None:
    bobs = respond_to_post(post=alices_need, responder=bob, quantity=2, message="")
    charlies = respond_to_post(post=alices_need, responder=charlie, quantity=2, message="")
    for exchange in (bobs, charlies):
        accept_exchange(exchange=exchange, actor=alice)
    giver = api.as_user(bob)
    r = giver.post(f"/api/v1/exchanges/{bobs.pk}/handed-over", {"handover_happened": True})
    assert r.status_code == 200
    assert r.json()["handed_over_at"] is not None
    assert "handed_over" not in r.json()["actions"]
    receiver = api.as_user(alice)
    r = receiver.post(f"/api/v1/exchanges/{bobs.pk}/complete", {"handover_happened": True})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "completed"
    assert r.json()["received_at"] is not None
    assert post_of(bobs).status == "pledged"  # 2 of 4 received, 2 more promised
    receiver.post(f"/api/v1/exchanges/{charlies.pk}/complete", {"handover_happened": True})
    post = post_of(bobs)
    assert (post.status, post.quantity_reserved) == ("fulfilled", 4)


def test_only_the_receiver_completes_and_only_the_giver_hands_over(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, charlie: User
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    complete = f"/api/v1/exchanges/{bobs_pledge.pk}/complete"
    handed = f"/api/v1/exchanges/{bobs_pledge.pk}/handed-over"
    yes = {"handover_happened": True}
    assert api.as_user(bob).post(complete, yes).json()["code"] == "not_receiver"
    assert api.as_user(alice).post(handed, yes).json()["code"] == "not_giver"
    assert api.as_user(charlie).post(complete, yes).status_code == 404
    assert api.post(complete, yes).status_code == 401
    assert api.as_user(alice).post(complete, {"handover_happened": "maybe"}).status_code == 422
    assert Exchange.objects.get().status == "accepted"


def test_a_proposed_exchange_cannot_be_completed(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    yes = {"handover_happened": True}
    r = api.as_user(alice).post(f"/api/v1/exchanges/{bobs_pledge.pk}/complete", yes)
    assert r.status_code == 409
    r = api.as_user(bob).post(f"/api/v1/exchanges/{bobs_pledge.pk}/handed-over", yes)
    assert r.status_code == 409


@pytest.mark.parametrize("answer", ["alice:complete", "bob:handed-over"])
def test_no_hand_over_cancels_and_records_a_private_no_show(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, answer: str
) -> None:
    who, path = answer.split(":")
    accept_exchange(exchange=bobs_pledge, actor=alice)
    reporter, absent = (alice, bob) if who == "alice" else (bob, alice)
    r = api.as_user(reporter).post(
        f"/api/v1/exchanges/{bobs_pledge.pk}/{path}", {"handover_happened": False}
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "cancelled"
    no_show = NoShow.objects.get()
    assert (no_show.reported_by, no_show.reported_user) == (reporter, absent)
    post = post_of(bobs_pledge)
    assert (post.status, post.quantity_reserved) == ("open", 0)
    for user in (alice, bob):
        seen = api.as_user(user).get(f"/api/v1/exchanges/{bobs_pledge.pk}").content.decode()
        assert "no_show" not in seen
        assert "no-show" not in seen.lower()
    public = api.get(f"/api/v1/posts/{post.pk}").content.decode()
    assert "no_handover" not in public
    assert "no_show" not in public


@pytest.mark.parametrize("body", [{}, ""])
def test_the_contracts_empty_complete_body_means_the_hand_over_happened(
    api: Api, bobs_pledge: Exchange, alice: User, body: Any
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    r = api.as_user(alice).post(f"/api/v1/exchanges/{bobs_pledge.pk}/complete", body)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "completed"
    assert not NoShow.objects.exists()


def test_it_did_not_happen_keeps_the_reason_given(
    api: Api, bobs_pledge: Exchange, alice: User
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    answer = {"handover_happened": False, "reason": "Nobody came to the gate."}
    r = api.as_user(alice).post(f"/api/v1/exchanges/{bobs_pledge.pk}/complete", answer)
    assert r.json()["status"] == "cancelled"
    assert NoShow.objects.get().reason == "Nobody came to the gate."
