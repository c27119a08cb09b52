"""What each level unlocks, enforced where posts and responses are created."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, draft
from huzhu.errors import Forbidden
from huzhu.posts.models import Post
from huzhu.posts.services import create_post, set_status_by_owner
from huzhu.trust.levels import Level, unlocks_for
from huzhu.trust.tests.helpers import mark_email_verified, set_level

NEED = {
    "kind": "need",
    "title": "Need an antigen test",
    "category": "test_kits",
    "item": "antigen-test",
    "quantity": 1,
    "lat": BEIJING[0],
    "lng": BEIJING[1],
}


def test_a_new_member_may_post_one_need_and_one_offer(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    assert me.post("/api/v1/posts", NEED).status_code == 201
    r = me.post("/api/v1/posts", NEED)
    assert r.status_code == 403
    assert r.json()["code"] == "trust_level"
    assert r.json()["detail"] == (
        "At TL0 (New) you may have 1 open need in each category at a time; you have one "
        "in Test kits. TL1 (Verified) allows more; see your trust page for how to get there."
    )
    offer = {**NEED, "kind": "offer", "category": "supplies", "item": None}
    assert me.post("/api/v1/posts", offer).status_code == 201
    assert me.post("/api/v1/posts", offer).status_code == 403


def test_closing_a_post_makes_room_for_the_next(alice: User) -> None:
    first = create_post(owner=alice, draft=draft())
    with pytest.raises(Forbidden):
        create_post(owner=alice, draft=draft())
    set_status_by_owner(post=first, actor=alice, to_status="withdrawn")
    assert create_post(owner=alice, draft=draft()).status == Post.Status.OPEN


def test_verifying_raises_the_limit_to_tl1s(alice: User) -> None:
    mark_email_verified(alice, "alice@example.org")
    allowed = unlocks_for(Level.VERIFIED).open_needs
    for _ in range(allowed):
        create_post(owner=alice, draft=draft())
    with pytest.raises(Forbidden, match=r"At TL1 \(Verified\) you may have 5 open needs.*TL2"):
        create_post(owner=alice, draft=draft())


def test_responses_a_day_are_counted_over_a_rolling_day(api: Api, alice: User, bob: User) -> None:
    set_level(alice, Level.MEMBER)  # alice needs several open needs for bob to answer
    needs = [create_post(owner=alice, draft=draft()).pk for _ in range(5)]
    me = api.as_user(bob)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for post_id in needs[:3]:
            assert me.post(f"/api/v1/posts/{post_id}/exchanges", {"quantity": 1}).status_code == 201
        r = me.post(f"/api/v1/posts/{needs[3]}/exchanges", {"quantity": 1})
        assert r.status_code == 403
        assert r.json()["code"] == "trust_level"
        assert "respond to 3 posts a day" in r.json()["detail"]
        assert "TL1 (Verified)" in r.json()["detail"]
    with time_machine.travel(now + timedelta(days=1, seconds=1), tick=False):
        assert me.post(f"/api/v1/posts/{needs[3]}/exchanges", {"quantity": 1}).status_code == 201


def test_tl0_allowances_come_from_settings(alice: User, settings: object) -> None:
    settings.HUZHU_TL0_OPEN_NEEDS = 2  # type: ignore[attr-defined]
    create_post(owner=alice, draft=draft())
    create_post(owner=alice, draft=draft())
    with pytest.raises(Forbidden):
        create_post(owner=alice, draft=draft())


def test_the_web_form_explains_the_refusal(client: object, alice: User) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    create_post(owner=alice, draft=draft())
    client.force_login(alice)
    r = client.post(
        "/posts/new",
        {
            "kind": "need",
            "item": "paracetamol",
            "title": "Need paracetamol",
            "quantity": "2",
            "lat": str(BEIJING[0]),
            "lng": str(BEIJING[1]),
            "precision": "1000",
        },
    )
    assert r.status_code == 200  # the form again, with the reason
    assert "TL1 (Verified) allows more" in r.content.decode()
    assert Post.objects.filter(owner=alice).count() == 1


def test_a_new_member_may_keep_one_open_need_in_each_category(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    assert me.post("/api/v1/posts", NEED).status_code == 201
    medicine = {**NEED, "category": "medicine", "item": "ibuprofen", "title": "Ibuprofen"}
    assert me.post("/api/v1/posts", medicine).status_code == 201
    r = me.post("/api/v1/posts", {**medicine, "item": "paracetamol", "title": "Paracetamol"})
    assert r.status_code == 403 and r.json()["code"] == "trust_level"


def test_the_refusal_reads_naturally_in_chinese(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    me.post("/api/v1/posts", NEED)
    r = me.post("/api/v1/posts", NEED, headers={"Accept-Language": "zh-hans"})
    detail = r.json()["detail"]
    assert "检测" in detail and "Test kits" not in detail and "needs" not in detail
