"""Editing a post: PATCH /api/v1/posts/{id} and the owner's edit page. The rules run again,
the history records the edit, exchanges in flight keep their quantities."""

from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.services import accept_exchange, respond_to_post
from huzhu.posts.models import Post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import mark_email_verified, set_level

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _posting_checks(settings: Any, alice: User) -> None:
    settings.HUZHU_POSTING_CHECKS = True
    mark_email_verified(alice, "alice@example.org")  # her need is listed at once


def url(post: Post) -> str:
    return f"/api/v1/posts/{post.pk}"


def test_the_owner_edits_only_what_they_send(api: Api, alice: User, alices_need: Post) -> None:
    r = api.as_user(alice).patch(url(alices_need), {"title": "Ibuprofen for my mother"})
    assert r.status_code == 200
    body = r.json()
    assert body["title"] == "Ibuprofen for my mother"
    assert body["quantity"] == alices_need.quantity and body["tags"] == ["elderly"]
    last = body["status_history"][-1]
    assert (last["from_status"], last["to_status"], last["reason"]) == ("open", "open", "edited")
    alices_need.refresh_from_db()
    assert alices_need.title == "Ibuprofen for my mother" and alices_need.rank is not None


def test_others_get_404_and_anonymous_401(api: Api, bob: User, alices_need: Post) -> None:
    assert api.as_user(bob).patch(url(alices_need), {"title": "Mine now"}).status_code == 404
    assert api.patch(url(alices_need), {"title": "Mine now"}).status_code == 401
    alices_need.refresh_from_db()
    assert alices_need.title != "Mine now"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"quantity": 5}, "quantity_cap"),  # over ibuprofen's cap of 4 tablets
        ({"unit": "box"}, "quantity_cap"),  # 4 boxes are 80 tablets
        ({"title": "卖布洛芬 50元一盒"}, None),  # selling: the gift-only rule
        ({"item": "amoxicillin"}, "prescription_only"),
        ({"quantity": 0}, None),  # the schema
        ({"tags": ["not-a-tag"]}, None),
        ({"expires_at": "yesterday"}, None),
    ],
)
def test_the_rules_run_again(
    api: Api, alice: User, alices_need: Post, body: dict[str, Any], code: str | None
) -> None:
    r = api.as_user(alice).patch(url(alices_need), body)
    assert r.status_code == 422
    if code:
        assert r.json()["code"] == code
    alices_need.refresh_from_db()
    assert alices_need.quantity == 4 and alices_need.unit == "tablet"


def test_exchanges_in_flight_keep_their_quantities(api: Api, alice: User, bob: User) -> None:
    set_level(alice, Level.MEMBER)
    need = api.as_user(alice).post(
        "/api/v1/posts",
        {"kind": "need", "title": "Rice", "category": "food", "item": "rice",
         "quantity": 5, "lat": 39.9, "lng": 116.4},
    ).json()  # fmt: skip
    post = Post.objects.get(pk=need["id"])
    pledge = respond_to_post(post=post, responder=bob, quantity=3, message="")
    accept_exchange(exchange=pledge, actor=alice)
    r = api.as_user(alice).patch(url(post), {"quantity": 2})
    assert r.status_code == 409 and r.json()["code"] == "reserved"
    r = api.as_user(alice).patch(url(post), {"quantity": 4})
    assert r.status_code == 200 and r.json()["quantity"] == 4
    pledge.refresh_from_db()
    assert pledge.quantity == 3


def test_a_closed_post_cannot_be_edited(api: Api, alice: User, alices_need: Post) -> None:
    me = api.as_user(alice)
    me.post(f"{url(alices_need)}/status", {"status": "withdrawn"})
    r = me.patch(url(alices_need), {"title": "Again"})
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"


def test_an_edit_that_mentions_costs_waits_for_a_moderator(
    api: Api, alice: User, alices_need: Post
) -> None:
    r = api.as_user(alice).patch(url(alices_need), {"body": "运费我付不起，请邻居帮忙报销"})
    assert r.status_code == 200
    alices_need.refresh_from_db()
    assert alices_need.held_reason == "price_like" and alices_need.rank is None


def test_a_plain_date_is_a_medicine_expiry(api: Api, alice: User) -> None:
    set_level(alice, Level.MEMBER)
    r = api.as_user(alice).post(
        "/api/v1/posts",
        {"kind": "offer", "title": "Spare ibuprofen", "category": "medicine",
         "item": "ibuprofen", "quantity": 10, "lat": 39.9, "lng": 116.4,
         "expires_at": "2031-05-31"},
    )  # fmt: skip
    assert r.status_code == 201
    assert r.json()["expires_at"].startswith("2031-05-31T23:59:59")
    post = Post.objects.get(pk=r.json()["id"])
    r = api.as_user(alice).patch(url(post), {"expires_at": "2031-06-30"})
    assert r.status_code == 200 and r.json()["expires_at"].startswith("2031-06-30T23:59:59")


def test_the_edit_page(client: Client, alice: User, bob: User, alices_need: Post) -> None:
    client.force_login(bob)
    assert client.get(f"/posts/{alices_need.pk}/edit").status_code == 404
    client.force_login(alice)
    detail = client.get(f"/posts/{alices_need.pk}").content.decode()
    assert f'href="/posts/{alices_need.pk}/edit"' in detail
    page = client.get(f"/posts/{alices_need.pk}/edit")
    assert page.status_code == 200 and alices_need.title in page.content.decode()
    form = {"title": "Ibuprofen please", "quantity": "9", "unit": "", "body": ""}
    refused = client.post(f"/posts/{alices_need.pk}/edit", form)
    assert refused.status_code == 200 and "at most 4 tablets" in refused.content.decode()
    done = client.post(f"/posts/{alices_need.pk}/edit", {**form, "quantity": "3"})
    assert done.status_code == 302
    alices_need.refresh_from_db()
    assert (alices_need.title, alices_need.quantity) == ("Ibuprofen please", 3)
    assert "edited by the owner" in client.get(f"/posts/{alices_need.pk}").content.decode()
