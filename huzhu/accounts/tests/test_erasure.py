"""Erasure: a person leaves; their personal data goes, the anonymous records stay."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from huzhu.accounts.erasure import replay_erasures
from huzhu.accounts.models import ErasureRecord, User
from huzhu.accounts.outbox import send_email
from huzhu.accounts.services import issue_token
from huzhu.conftest import PASSWORD, Api, draft, make_user
from huzhu.exchanges.alerts import AlertDraft, create_alert
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.relay import post_message
from huzhu.exchanges.services import respond_to_post
from huzhu.insights.feedback import FeedbackDraft, give_feedback
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.safety.appeals import add_message, file_appeal
from huzhu.safety.sanctions import impose_sanction
from huzhu.tests.dump import dump
from huzhu.trust.models import Review
from huzhu.trust.reviews import write_review
from huzhu.trust.tests.helpers import verify_phone
from huzhu.trust.tests.reviewing import completed

# Unique strings planted in every place a person leaves something; none may survive.
NAME = "Zqx Alicename"
EMAIL = "zqx.alice@example.org"
PHONE = "+8613900001111"
WORDS = (
    "Zqx need title",
    "Zqx body words",
    "Zqx message words",
    "Zqx review comment",
    "Zqx thanks note",
    "Zqx appeal words",
    "Zqx feedback words",
)
POINT = (39.912345, 116.456789)


@pytest.fixture
def alices_life(api: Api, alice: User, bob: User) -> dict[str, Any]:
    alice.display_name, alice.email = NAME, EMAIL
    alice.save()
    assert verify_phone(api.as_user(alice), PHONE, show_on_reveal=True).status_code == 200
    post = create_post(
        owner=alice,
        draft=draft(title=WORDS[0], body=WORDS[1], lat=POINT[0], lng=POINT[1]),
    )
    exchange = respond_to_post(post=post, responder=bob, quantity=1, message="I have one")
    post_message(exchange=exchange, author=alice, body=WORDS[2])
    create_alert(
        owner=alice,
        draft=AlertDraft(kind="offer", lat=POINT[0], lng=POINT[1], radius_km=3, item="ibuprofen"),
    )
    send_email(EMAIL, "Hello", "A message for Alice")
    given = completed(alice, bob)
    write_review(
        exchange=given,
        reviewer=alice,
        score=5,
        comment=WORDS[3],
        thanks=WORDS[4],
        publish_thanks=True,
    )
    mo = make_user("mo")
    warning = impose_sanction(moderator=mo, user=alice, kind="warn", rule="spam", reason="ads")
    appeal = file_appeal(user=alice, sanction=warning, message=WORDS[5])
    add_message(appeal=appeal, author=mo, body=f"You wrote: {WORDS[5]}", from_moderator=True)
    give_feedback(user=alice, draft=FeedbackDraft(rating=2, text=WORDS[6], exchange_id=given.pk))
    return {"post": post, "exchange": exchange, "token": issue_token(user=alice).secret}


def test_nothing_personal_survives_in_any_table(
    api: Api, alice: User, alices_life: dict[str, Any]
) -> None:
    before = dump()
    planted = (NAME, EMAIL, PHONE[3:], *WORDS, str(POINT[0]), str(POINT[1]))
    assert all(value in before for value in planted if value != PHONE[3:])  # the seeds are real
    assert PHONE[3:] in before  # the development outbox holds the SMS with the code
    bearer = {"Authorization": f"Bearer {alices_life['token']}"}
    assert api.client.delete("/api/v1/me", headers=bearer).status_code == 204
    after = dump()
    assert [value for value in planted if value in after] == []
    # The score stays for bob's reputation; the note is no longer published.
    review = Review.objects.get(reviewer=alice)
    assert (review.score, review.publish_thanks) == (5, False)


def test_access_ends_and_what_was_live_is_called_off(
    api: Api, alice: User, bob: User, alices_life: dict[str, Any]
) -> None:
    browser = Client()
    browser.force_login(alice)
    bearer = {"Authorization": f"Bearer {alices_life['token']}"}
    assert api.client.delete("/api/v1/me", headers=bearer).status_code == 204
    assert api.client.get("/api/v1/me", headers=bearer).status_code == 401
    assert browser.get(reverse("my_posts")).status_code == 302  # the session is gone
    token = api.post("/api/v1/auth/token", {"username": "alice", "password": PASSWORD})
    assert token.status_code == 401
    post = Post.objects.get(pk=alices_life["post"].pk)
    assert (post.status, post.title, post.quantity_reserved) == ("withdrawn", "—", 0)
    assert Exchange.objects.get(pk=alices_life["exchange"].pk).status == "cancelled"
    erased = User.objects.get(pk=alice.pk)
    assert (erased.username, erased.is_active, erased.has_usable_password()) == (
        f"erased-{alice.pk}",
        False,
        False,
    )
    assert ErasureRecord.objects.filter(user_id=alice.pk).exists()


def test_erasures_are_replayed_after_a_backup_is_restored(
    api: Api, alice: User, alices_life: dict[str, Any]
) -> None:
    bearer = {"Authorization": f"Bearer {alices_life['token']}"}
    api.client.delete("/api/v1/me", headers=bearer)
    # The restored backup predates the erasure; the erasure record is kept elsewhere.
    User.objects.filter(pk=alice.pk).update(username="alice", email=EMAIL, is_active=True)
    assert replay_erasures() == 1
    assert User.objects.get(pk=alice.pk).username == f"erased-{alice.pk}"
    assert EMAIL not in dump()
    assert replay_erasures() == 0


def test_the_web_asks_for_the_password_again(client: Client, alice: User) -> None:
    client.force_login(alice)
    url = reverse("account_erase")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"password": "not mine"})
    assert wrong.status_code == 200
    assert User.objects.get(pk=alice.pk).is_active
    right = client.post(url, {"password": PASSWORD})
    assert right.status_code == 302
    assert not User.objects.get(pk=alice.pk).is_active


def test_visitors_cannot_erase_anyone(api: Api, client: Client) -> None:
    assert api.client.delete("/api/v1/me").status_code == 401
    assert client.post(reverse("account_erase"), {"password": PASSWORD}).status_code == 302
