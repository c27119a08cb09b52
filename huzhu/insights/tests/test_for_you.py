"""The "for you" feed: off by default, why each card is shown, what it never shows, and
that reset and opt-out delete what it stored."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.utils import timezone

from huzhu.accounts.consents import Consents, update_consents
from huzhu.accounts.models import User
from huzhu.conftest import Api, draft, make_user
from huzhu.exchanges.services import respond_to_post
from huzhu.insights.for_you import feed_for
from huzhu.insights.models import ForYouInterest, ForYouProfile
from huzhu.posts.models import Post
from huzhu.posts.services import create_post, transition_post

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
BOTH = Consents(for_you_feed=True, activity_recommendations=True)


def offer(owner: User, **kw: Any) -> Post:
    # Medicine offers need the expiry date printed on the pack.
    kw.setdefault("expires_at", timezone.now() + timedelta(days=365))
    return create_post(owner=owner, draft=draft(kind="offer", title="Spare", tags=(), **kw))


def withdraw(post: Post) -> None:
    with transaction.atomic():
        transition_post(post_id=post.pk, to_status="withdrawn", actor=post.owner, reason="")


@pytest.fixture
def helper(db: None) -> User:
    """bob offered rice (long gone) and now offers ibuprofen."""
    bob = make_user("bob")
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        withdraw(offer(bob, category="food", item="rice", unit="kg"))
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        offer(bob)
    return bob


def ids(user: User) -> list[int]:
    return [s.post.pk for s in feed_for(user).suggestions]


def test_it_is_off_by_default(helper: User) -> None:
    response = Api().as_user(helper).get("/api/v1/me/for-you")
    assert response.status_code == 409
    assert response.json()["code"] == "consent_required"
    client = Client()
    client.force_login(helper)
    page = client.get("/for-you").content.decode()
    assert "/me/consents" in page
    assert not ForYouInterest.objects.exists()


def test_it_shows_open_needs_for_what_you_offered_and_says_why(helper: User) -> None:
    update_consents(user=helper, consents=BOTH)
    ibuprofen = create_post(owner=make_user("alice"), draft=draft())
    rice = create_post(owner=make_user("carol"), draft=draft(category="food", item="rice"))
    unrelated = create_post(
        owner=make_user("dan"), draft=draft(category="food", item="drinking-water")
    )
    body = Api().as_user(helper).get("/api/v1/me/for-you").json()
    reasons = {item["id"]: item["reason"] for item in body["items"]}
    assert reasons == {
        ibuprofen.pk: "You offered Ibuprofen before.",
        rice.pk: "You offered Rice before.",
    }
    assert unrelated.pk not in reasons
    assert "lat" not in body["items"][0] and body["items"][0]["area"]["precision_m"] >= 1000


def test_it_never_shows_own_acted_on_or_no_longer_open_posts(helper: User) -> None:
    update_consents(user=helper, consents=BOTH)
    own = create_post(owner=helper, draft=draft())
    shown = create_post(owner=make_user("alice"), draft=draft())
    responded = create_post(owner=make_user("carol"), draft=draft())
    respond_to_post(post=responded, responder=helper, quantity=1, message="")
    pledged = create_post(owner=make_user("dan"), draft=draft())
    fulfilled = create_post(owner=make_user("erin"), draft=draft())
    with transaction.atomic():
        transition_post(post_id=pledged.pk, to_status="pledged", actor=None, reason="test")
        transition_post(post_id=fulfilled.pk, to_status="fulfilled", actor=None, reason="test")
    assert ids(helper) == [shown.pk]
    assert {own.pk, responded.pk, pledged.pk, fulfilled.pk}.isdisjoint(ids(helper))


def test_without_the_activity_consent_it_learns_nothing(helper: User) -> None:
    update_consents(user=helper, consents=Consents(for_you_feed=True))
    create_post(owner=make_user("alice"), draft=draft())
    feed = feed_for(helper)
    assert feed.suggestions == [] and not feed.learning
    assert not ForYouInterest.objects.filter(user=helper).exists()


def test_reset_forgets_the_profile_and_older_offers(helper: User) -> None:
    update_consents(user=helper, consents=BOTH)
    need = create_post(owner=make_user("alice"), draft=draft())
    api = Api().as_user(helper)
    assert (
        api.put("/api/v1/me/for-you", {"place": "chaoyang"}).json()["place"]["code"] == "chaoyang"
    )
    assert ids(helper) == [need.pk]
    assert api.delete("/api/v1/me/for-you").status_code == 204
    assert not ForYouInterest.objects.filter(user=helper).exists()
    assert ForYouProfile.objects.get(user=helper).place_code == ""
    assert ids(helper) == []  # offers made before the reset are not learned again
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=1), tick=False):
        withdraw(Post.objects.get(owner=helper, kind="offer", status="open"))
        offer(helper)  # a new offer is learned
        assert ids(helper) == [need.pk]


def test_turning_the_feed_off_deletes_what_it_stored(helper: User) -> None:
    update_consents(user=helper, consents=BOTH)
    create_post(owner=make_user("alice"), draft=draft())
    Api().as_user(helper).put("/api/v1/me/for-you", {"place": "haidian"})
    feed_for(helper)
    assert ForYouInterest.objects.filter(user=helper).exists()
    update_consents(user=helper, consents=Consents(activity_recommendations=True))
    assert not ForYouInterest.objects.filter(user=helper).exists()
    assert not ForYouProfile.objects.filter(user=helper).exists()


def test_refusing_the_use_of_activity_deletes_what_was_learned(helper: User) -> None:
    update_consents(user=helper, consents=BOTH)
    feed_for(helper)
    assert ForYouInterest.objects.filter(user=helper).count() == 2
    update_consents(user=helper, consents=Consents(for_you_feed=True))
    assert not ForYouInterest.objects.filter(user=helper).exists()


def test_choosing_a_place_checks_consent_and_the_place(helper: User) -> None:
    api = Api().as_user(helper)
    assert api.put("/api/v1/me/for-you", {"place": "centre"}).status_code == 409
    update_consents(user=helper, consents=BOTH)
    bad = api.put("/api/v1/me/for-you", {"place": "atlantis"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "place"
    missing = api.put("/api/v1/me/for-you", {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "place"
    assert Api().get("/api/v1/me/for-you").status_code == 401


def test_the_page_shows_reasons_and_resets(helper: User) -> None:
    update_consents(user=helper, consents=BOTH)
    create_post(owner=make_user("alice"), draft=draft())
    client = Client()
    client.force_login(helper)
    page = client.get("/for-you").content.decode()
    assert "You offered Ibuprofen before." in page
    assert client.post("/for-you", {"place": "haidian"}).status_code == 302
    assert ForYouProfile.objects.get(user=helper).place_code == "haidian"
    assert client.post("/for-you/reset").status_code == 302
    assert not ForYouInterest.objects.filter(user=helper).exists()
    zh = Client(headers={"accept-language": "zh-hans"})
    zh.force_login(helper)
    assert "为你推荐" in zh.get("/for-you").content.decode()
