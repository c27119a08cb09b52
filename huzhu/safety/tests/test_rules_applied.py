"""The rules engine where people write: posts, responses and relay messages refuse trade."""

from typing import Any

import pytest

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.models import Exchange, Message
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.models import Post

NEED: dict[str, Any] = {
    "kind": "need",
    "title": "Need ibuprofen for my father",
    "body": "Fever since last night.",
    "category": "medicine",
    "item": "ibuprofen",
    "quantity": 2,
    "lat": 39.9042,
    "lng": 116.4074,
    "tags": [],
}


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("title", "布洛芬 20元一盒", "gift_only"),
        ("body", "Will pay cash, $10", "gift_only"),
        ("title", "高价收购抗原", "gift_only"),
        ("body", "我还有阿莫西林，也可以给你", "prescription_only"),
        ("title", "Spare Xanax", "prescription_only"),
        ("body", "还有头孢克肟", "prescription_only"),
    ],
)
def test_a_post_that_trades_or_names_a_prescription_medicine_is_refused(
    api: Api, alice: User, field: str, text: str, code: str
) -> None:
    r = api.as_user(alice).post("/api/v1/posts", {**NEED, field: text})
    assert r.status_code == 422, r.content
    assert (r.json()["code"], r.json()["errors"][0]["field"]) == (code, field)
    assert Post.objects.count() == 0


def test_the_refusal_speaks_the_persons_language(api: Api, alice: User) -> None:
    r = api.as_user(alice).post(
        "/api/v1/posts", {**NEED, "title": "出售布洛芬"}, headers={"Accept-Language": "zh-hans"}
    )
    assert r.status_code == 422
    assert "互助" in r.json()["detail"] and "出售" in r.json()["detail"]


def test_ordinary_numbers_pass(api: Api, alice: User) -> None:
    body = "孩子发烧39.5度，药店都买不到了。200mg 的也可以，保质期到2025年6月以后就好。"
    r = api.as_user(alice).post("/api/v1/posts", {**NEED, "body": body})
    assert r.status_code == 201, r.content


@pytest.fixture
def bobs_pledge(alices_need: Post, bob: User) -> Exchange:
    return respond_to_post(post=alices_need, responder=bob, quantity=1, message="I have some.")


def test_a_message_asking_for_payment_first_is_refused(
    api: Api, bobs_pledge: Exchange, alice: User
) -> None:
    path = f"/api/v1/exchanges/{bobs_pledge.pk}/messages"
    r = api.as_user(alice).post(path, {"body": "先微信转账50块再给你"})
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["errors"][0]["field"]) == ("gift_only", "body")
    assert Message.objects.filter(exchange=bobs_pledge).count() == 1  # only bob's first


def test_a_response_offering_money_is_refused(api: Api, alices_need: Post, bob: User) -> None:
    r = api.as_user(bob).post(
        f"/api/v1/posts/{alices_need.pk}/exchanges", {"quantity": 1, "message": "I'll pay $20"}
    )
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["errors"][0]["field"]) == ("gift_only", "message")
    assert Exchange.objects.count() == 0
