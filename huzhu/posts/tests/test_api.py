"""The posts contract: create, read with history, owner status changes — and every "no"."""

import json
from typing import Any

import pytest

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api
from huzhu.posts.models import Post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

NEED: dict[str, Any] = {
    "kind": "need",
    "title": "Need ibuprofen for my father",
    "body": "Fever since last night.",
    "category": "medicine",
    "item": "布洛芬",
    "quantity": 4,
    "tags": ["elderly", "fever_now"],
    "lat": BEIJING[0],
    "lng": BEIJING[1],
}


def test_it_creates_a_need_with_an_approximate_area(api: Api, alice: User) -> None:
    r = api.as_user(alice).post("/api/v1/posts", NEED)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "open"
    assert body["item"]["code"] == "ibuprofen"
    assert body["unit"] == "tablet"  # the item's default unit
    assert body["tags"] == ["elderly", "fever_now"]
    assert body["area"]["precision_m"] == 1000
    assert (body["area"]["lat"], body["area"]["lng"]) != BEIJING
    assert "lat" not in body
    assert "lng" not in body
    assert str(BEIJING[0]) not in r.content.decode()
    assert "alice" not in r.content.decode()


def test_it_finds_items_by_alias_in_either_language(api: Api, alice: User) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    client = api.as_user(alice)
    for alias in ("Advil", "芬必得", "IBUPROFEN"):
        r = client.post("/api/v1/posts", {**NEED, "item": alias})
        assert r.status_code == 201, alias
        assert r.json()["item"]["code"] == "ibuprofen"


def test_it_requires_authentication_to_post(api: Api) -> None:
    r = api.post("/api/v1/posts", NEED)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"
    assert Post.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "gift"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": "x" * 2001}, "body"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1001}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"lat": 90.5}, "lat"),
        ({"lng": -180.5}, "lng"),
        ({"tags": ["vip"]}, "tags.0"),
        ({"category": "weapons"}, "category"),
        ({"item": "unobtainium"}, "item"),
        ({"item": "rice"}, "category"),
        ({"item": "amoxicillin"}, "item"),
        ({"precision_m": 10}, "precision_m"),
        ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"kind": "offer"}, "expires_at"),  # a medicine offer needs the pack's expiry date
    ],
)
def test_it_refuses_invalid_fields_naming_them(
    api: Api, alice: User, change: dict[str, Any], field: str
) -> None:
    r = api.as_user(alice).post("/api/v1/posts", {**NEED, **change})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["detail"]
    assert field in [error["field"] for error in body["errors"]]
    assert Post.objects.count() == 0


def test_it_refuses_a_missing_field(api: Api, alice: User) -> None:
    body = {key: value for key, value in NEED.items() if key != "lat"}
    r = api.as_user(alice).post("/api/v1/posts", body)
    assert r.status_code == 422
    assert "lat" in [error["field"] for error in r.json()["errors"]]


def test_it_explains_why_prescription_medicine_is_refused(api: Api, alice: User) -> None:
    r = api.as_user(alice).post("/api/v1/posts", {**NEED, "item": "paxlovid"})
    assert r.status_code == 422
    assert r.json()["code"] == "prescription_only"
    assert "pharmacy" in r.json()["detail"]


def test_it_accepts_a_medicine_offer_with_an_expiry_date(api: Api, alice: User) -> None:
    offer = {**NEED, "kind": "offer", "tags": [], "expires_at": "2031-06-30T00:00:00Z"}
    r = api.as_user(alice).post("/api/v1/posts", offer)
    assert r.status_code == 201, r.content
    assert r.json()["expires_at"].startswith("2031-06-30")


def test_it_shows_a_post_with_its_history_to_anyone(api: Api, alices_need: Post) -> None:
    r = api.get(f"/api/v1/posts/{alices_need.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["is_own"] is False
    assert [h["to_status"] for h in body["status_history"]] == ["open"]


def test_it_404s_a_post_that_does_not_exist(api: Api) -> None:
    r = api.get("/api/v1/posts/999999")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_owner_marks_fulfilled_and_history_records_it(
    api: Api, alice: User, alices_need: Post
) -> None:
    r = api.as_user(alice).post(f"/api/v1/posts/{alices_need.pk}/status", {"status": "fulfilled"})
    assert r.status_code == 200, r.content
    history = r.json()["status_history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "open"),
        ("open", "fulfilled"),
    ]
    assert r.json()["is_own"] is True


def test_outsider_cannot_change_status(api: Api, charlie: User, alices_need: Post) -> None:
    r = api.as_user(charlie).post(f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    assert r.status_code == 404
    alices_need.refresh_from_db()
    assert alices_need.status == "open"


def test_anonymous_cannot_change_status(api: Api, alices_need: Post) -> None:
    r = api.post(f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    assert r.status_code == 401


def test_illegal_transition_is_a_conflict(api: Api, alice: User, alices_need: Post) -> None:
    client = api.as_user(alice)
    assert (
        client.post(f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"}).status_code
        == 200
    )
    r = client.post(f"/api/v1/posts/{alices_need.pk}/status", {"status": "fulfilled"})
    assert r.status_code == 409
    assert r.json()["code"] == "illegal_transition"
    assert alices_need.status_history.count() == 2


@pytest.mark.parametrize("status", ["open", "pledged", "expired", "unknown", ""])
def test_owner_cannot_set_other_statuses(
    api: Api, alice: User, alices_need: Post, status: str
) -> None:
    r = api.as_user(alice).post(f"/api/v1/posts/{alices_need.pk}/status", {"status": status})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "status"


def test_withdrawn_post_is_hidden_from_others_but_not_its_owner(
    api: Api, alice: User, charlie: User, alices_need: Post
) -> None:
    owner = api.as_user(alice)
    owner.post(f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    assert api.as_user(charlie).get(f"/api/v1/posts/{alices_need.pk}").status_code == 404
    assert api.get(f"/api/v1/posts/{alices_need.pk}").status_code == 404
    assert owner.get(f"/api/v1/posts/{alices_need.pk}").status_code == 200


def test_nearby_list_shows_no_exact_location_or_identity(api: Api, alices_need: Post) -> None:
    r = api.get("/api/v1/posts", {"lat": 39.91, "lng": 116.41, "radius_km": 5})
    assert r.status_code == 200
    (item,) = r.json()["items"]
    assert item["id"] == alices_need.pk
    assert item["distance_km"] >= 0.5
    text = json.dumps(r.json())
    assert str(alices_need.lat) not in text
    assert str(alices_need.lng) not in text
    assert "alice" not in text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": 39.9, "lng": 116.4, "radius_km": 0.5}, "radius_km"),
        ({"lat": 39.9, "lng": 116.4, "radius_km": 51}, "radius_km"),
        ({"lat": 91, "lng": 116.4}, "lat"),
        ({"lat": 39.9}, "lng"),
        ({"lat": 39.9, "lng": 116.4, "sort": "price"}, "sort"),
        ({"lat": 39.9, "lng": 116.4, "limit": 101}, "limit"),
        ({"lat": 39.9, "lng": 116.4, "tag": "vip"}, "tag"),
        ({"lat": 39.9, "lng": 116.4, "item": "unobtainium"}, "item"),
    ],
)
def test_nearby_list_refuses_bad_queries(api: Api, params: dict[str, Any], field: str) -> None:
    r = api.get("/api/v1/posts", params)
    assert r.status_code == 422, r.content
    assert field in [error["field"] for error in r.json()["errors"]]


def test_a_retried_create_with_the_same_idempotency_key_makes_one_post(
    api: Api, alice: User
) -> None:
    client = api.as_user(alice)
    headers = {"Idempotency-Key": "need-1"}
    first = client.post("/api/v1/posts", NEED, headers=headers)
    again = client.post("/api/v1/posts", NEED, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Post.objects.count() == 1


def test_an_idempotency_key_reused_for_another_body_is_refused(api: Api, alice: User) -> None:
    client = api.as_user(alice)
    headers = {"Idempotency-Key": "need-2"}
    assert client.post("/api/v1/posts", NEED, headers=headers).status_code == 201
    r = client.post("/api/v1/posts", {**NEED, "quantity": 2}, headers=headers)
    assert r.status_code == 409
    assert r.json()["code"] == "idempotency_key_reused"
    assert Post.objects.count() == 1


def test_a_failed_create_does_not_burn_its_idempotency_key(api: Api, alice: User) -> None:
    client = api.as_user(alice)
    headers = {"Idempotency-Key": "need-3"}
    assert (
        client.post("/api/v1/posts", {**NEED, "item": "paxlovid"}, headers=headers).status_code
        == 422
    )
    assert client.post("/api/v1/posts", NEED, headers=headers).status_code == 201


def test_keys_are_per_user(api: Api, alice: User, bob: User) -> None:
    headers = {"Idempotency-Key": "same"}
    a = api.as_user(alice).post("/api/v1/posts", NEED, headers=headers)
    b = api.as_user(bob).post("/api/v1/posts", NEED, headers=headers)
    assert a.json()["id"] != b.json()["id"]
