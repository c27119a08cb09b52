"""Held posts: visible to their author (told why) and moderators only, never in search, until
a moderator releases or rejects them (audited). And the low-reviews queue."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, draft
from huzhu.posts.models import Post
from huzhu.posts.services import create_post, set_hidden
from huzhu.safety.models import AuditEntry
from huzhu.safety.tests.helpers import moderator

FREE_BUT_POSTAGE = "Free masks, just cover the postage"


@pytest.fixture
def held(alice: User, settings: Any) -> Post:
    settings.HUZHU_POSTING_CHECKS = True
    User.objects.filter(pk=alice.pk).update(date_joined=timezone.now() - timedelta(days=30))
    post = create_post(
        owner=alice,
        draft=draft(
            kind="offer", title=FREE_BUT_POSTAGE, category="supplies", item="n95-mask", quantity=5
        ),
    )
    assert post.held_reason == "price_like"
    return post


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _search_ids(api: Api) -> list[int]:
    answer = api.get("/api/v1/posts", {"lat": BEIJING[0], "lng": BEIJING[1], "radius_km": 5})
    assert answer.status_code == 200
    return [item["id"] for item in answer.json()["items"]]


def test_a_held_post_is_the_authors_and_the_moderators_only(
    held: Post, api: Api, alice: User, charlie: User
) -> None:
    assert held.pk not in _search_ids(api)
    assert held.pk not in _search_ids(api.as_user(charlie))
    assert api.as_user(charlie).get(f"/api/v1/posts/{held.pk}").status_code == 404
    assert api.get(f"/api/v1/posts/{held.pk}").status_code == 404
    own = api.as_user(alice).get(f"/api/v1/posts/{held.pk}", headers={"Accept-Language": "zh-hans"})
    assert own.status_code == 200
    body = own.json()
    assert (body["under_review"], body["held_reason"]) == (True, "price_like")
    assert "管理员" in body["held_message"]  # told why, in her language
    assert api.as_user(moderator()).get(f"/api/v1/posts/{held.pk}").status_code == 200
    page = _client(alice).get(f"/posts/{held.pk}", headers={"Accept-Language": "en"})
    assert "waits for a moderator" in page.content.decode()
    audit = AuditEntry.objects.get(target_id=held.pk, action=AuditEntry.Action.HOLD)
    assert (audit.automated, audit.rule) == (True, "price_like")


def test_a_moderator_releases_a_held_post_into_search(held: Post, api: Api) -> None:
    mo = _client(moderator())
    queue = mo.get("/moderation", headers={"Accept-Language": "en"})
    assert FREE_BUT_POSTAGE in queue.content.decode().split("Hidden posts")[0]
    assert mo.post(f"/moderation/held/{held.pk}/release", {"reason": ""}).status_code == 422
    answer = mo.post(f"/moderation/held/{held.pk}/release", {"reason": "local pick-up only"})
    assert answer.status_code == 302
    held.refresh_from_db()
    assert (held.hidden_at, held.held_reason) == (None, "")
    assert held.pk in _search_ids(api)
    assert AuditEntry.objects.filter(target_id=held.pk, action="release").count() == 1
    again = mo.post(f"/moderation/held/{held.pk}/release", {"reason": "twice"})
    assert again.status_code == 409


def test_a_moderator_rejects_a_held_post_citing_a_rule(held: Post, api: Api, alice: User) -> None:
    mo = _client(moderator())
    no_rule = mo.post(f"/moderation/held/{held.pk}/reject", {"reason": "asks for money"})
    assert no_rule.status_code == 422
    answer = mo.post(
        f"/moderation/held/{held.pk}/reject", {"reason": "asks for money", "rule": "gift_only"}
    )
    assert answer.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.held_reason) == ("withdrawn", "price_like")
    assert held.hidden_at is not None
    assert held.pk not in _search_ids(api)
    entry = AuditEntry.objects.get(target_id=held.pk, action="reject")
    assert entry.rule == "gift_only"
    assert mo.post(f"/moderation/held/{held.pk}/release", {"reason": "x"}).status_code == 409
    assert api.as_user(alice).get(f"/api/v1/posts/{held.pk}").status_code == 200


def test_only_a_release_shows_a_held_post_again(held: Post) -> None:
    # Dismissing reports on a post un-hides it through set_hidden; a held post stays held.
    assert set_hidden(post_id=held.pk, hidden=False, now=timezone.now()) is None
    held.refresh_from_db()
    assert held.held_reason == "price_like"
    assert held.hidden_at is not None


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_only_staff_decide_held_posts(held: Post, alice: User, charlie: User, who: str) -> None:
    client = _client(alice if who == "alice" else charlie)
    for action in ("release", "reject", "nonsense"):
        answer = client.post(f"/moderation/held/{held.pk}/{action}", {"reason": "mine"})
        assert answer.status_code == 404
    held.refresh_from_db()
    assert held.held_reason == "price_like"


def test_an_unknown_held_action_or_post_is_404(held: Post) -> None:
    mo = _client(moderator())
    assert mo.post(f"/moderation/held/{held.pk}/publish", {"reason": "x"}).status_code == 404
    assert mo.post("/moderation/held/999999/release", {"reason": "x"}).status_code == 404


def test_the_web_form_says_a_held_post_waits(alice: User, settings: Any) -> None:
    settings.HUZHU_POSTING_CHECKS = True
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(alice)
    form = {
        "kind": "offer",
        "title": FREE_BUT_POSTAGE,
        "category": "supplies",
        "quantity": "2",
        "lat": "39.9",
        "lng": "116.4",
        "precision": "1000",
    }
    answer = client.post("/posts/new", form, follow=True)
    page = answer.content.decode()
    assert "waits for a moderator" in page, page[:3000]
    assert "Neighbours nearby can see it now" not in page
    assert Post.objects.get(owner=alice).held_reason == "price_like"
