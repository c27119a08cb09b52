"""A first need gets out: verified newcomers within the cap are listed at once, caps count
units (a box of ibuprofen is 20 tablets), and refusals read naturally in Chinese."""

from typing import Any

import pytest
from django.utils import translation

from huzhu.conftest import Api, draft, make_user
from huzhu.errors import Invalid
from huzhu.posts.models import Item
from huzhu.posts.services import create_post
from huzhu.posts.units import base_quantity
from huzhu.trust.tests.helpers import mark_email_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _posting_checks(settings: Any) -> None:
    settings.HUZHU_POSTING_CHECKS = True


def test_a_verified_newcomers_need_for_4_ibuprofen_is_public_at_once(api: Api) -> None:
    newcomer = make_user("newcomer")
    mark_email_verified(newcomer, "newcomer@example.org")
    post = create_post(owner=newcomer, draft=draft(quantity=4))
    assert (post.held_reason, post.hidden_at) == ("", None)
    assert post.rank is not None
    listed = api.get("/api/v1/posts", {"lat": post.lat, "lng": post.lng, "kind": "need"}).json()
    assert [item["id"] for item in listed["items"]] == [post.pk]


def test_an_unverified_newcomers_scarce_need_still_waits() -> None:
    post = create_post(owner=make_user("newcomer"), draft=draft(quantity=4))
    assert post.held_reason == "new_account_scarce" and post.rank is None


def test_a_box_counts_its_tablets() -> None:
    ibuprofen = Item.objects.get(code="ibuprofen")
    assert base_quantity(ibuprofen, 1, "box") == 20
    assert base_quantity(ibuprofen, 3, None) == base_quantity(ibuprofen, 3, "tablet") == 3


@pytest.mark.parametrize(("quantity", "unit"), [(20, "tablet"), (1, "box"), (1, "pack")])
def test_the_cap_counts_units(quantity: int, unit: str) -> None:
    owner = make_user("alice")
    with pytest.raises(Invalid) as refused:
        create_post(owner=owner, draft=draft(quantity=quantity, unit=unit))
    assert refused.value.code == "quantity_cap"


def test_a_unit_the_cap_cannot_count_is_refused_with_the_units_it_can() -> None:
    with pytest.raises(Invalid) as refused:
        create_post(owner=make_user("alice"), draft=draft(quantity=1, unit="bag"))
    assert refused.value.code == "unit" and refused.value.field == "unit"
    assert "tablets, boxes or packs" in refused.value.message


def test_the_refusal_reads_naturally_in_chinese(api: Api) -> None:
    me = api.as_user(make_user("alice"))
    body = {
        "kind": "need",
        "title": "求布洛芬",
        "category": "medicine",
        "item": "ibuprofen",
        "quantity": 5,
        "lat": 39.9,
        "lng": 116.4,
    }
    r = me.post("/api/v1/posts", body, headers={"Accept-Language": "zh-hans"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "布洛芬 4 片" in detail
    assert "tablet" not in detail and "Ibuprofen" not in detail
    with translation.override("en"), pytest.raises(Invalid) as refused:
        create_post(owner=make_user("bob"), draft=draft(quantity=5))
    assert "at most 4 tablets of Ibuprofen" in refused.value.message
