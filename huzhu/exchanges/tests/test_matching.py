"""Matching: offers for a new need, needs for a new offer, shown only to the post's owner."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, draft, make_user
from huzhu.exchanges.matching import giver_standing, match_score, matches_for
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.services import accept_exchange, complete_exchange, respond_to_post
from huzhu.exchanges.tests.conftest import make_offer
from huzhu.geo import haversine_km
from huzhu.posts.models import Post
from huzhu.posts.presenters import public_distance_km
from huzhu.posts.services import create_post

KM_PER_DEGREE_LAT = 111.2


@pytest.fixture(autouse=True)
def _several_open_posts_each(settings: Any) -> None:
    """Matching needs several open offers per person nearby; trust/ tests the quotas."""
    settings.HUZHU_TL0_OPEN_NEEDS = settings.HUZHU_TL0_OPEN_OFFERS = 100


def at(km: float) -> dict[str, Any]:
    return {"lat": BEIJING[0] + km / KM_PER_DEGREE_LAT, "lng": BEIJING[1]}


def offer(owner: User, km: float, **overrides: Any) -> Post:
    return make_offer(owner, **at(km), **overrides)


def ids(post: Post) -> list[int]:
    return [m.post.pk for m in matches_for(post)]


def public_km(one: Post, other: Post) -> float:
    """What matching measures: public point to public point (each within ~2.6 km of its
    exact point in a 1 km cell, so the tests space posts out by more than twice that)."""
    return haversine_km(one.public_lat, one.public_lng, other.public_lat, other.public_lng)


def test_a_need_is_shown_nearby_offers_of_its_item(alice: User, bob: User, settings: Any) -> None:
    settings.HUZHU_MATCH_RADIUS_KM = 20
    charlie, dora = make_user("charlie"), make_user("dora")
    near = offer(bob, 12)
    nearer = offer(charlie, 1)
    far = offer(dora, 30)  # beyond HUZHU_MATCH_RADIUS_KM
    other_item = offer(dora, 0.1, item="paracetamol")
    own = offer(alice, 0.1)
    need = create_post(owner=alice, draft=draft())
    found = ids(need)
    assert found == [nearer.pk, near.pk]
    for missing in (far, other_item, own):
        assert missing.pk not in found
    assert {m.reason for m in matches_for(need)} == {"item"}


def test_a_need_without_an_item_is_shown_offers_in_its_category(alice: User, bob: User) -> None:
    ibuprofen = offer(bob, 1)
    kits = make_offer(bob, category="test_kits", item="antigen-test", **at(1))
    need = create_post(owner=alice, draft=draft(item=None, title="Any fever medicine"))
    assert ids(need) == [ibuprofen.pk]
    assert kits.pk not in ids(need)


def test_a_giver_with_a_record_comes_a_little_ahead(alice: User, bob: User) -> None:
    charlie = make_user("charlie")
    newcomer = offer(charlie, 0.7)
    proven = offer(bob, 1.0)
    # Bob once gave to dora: one completed exchange as the giver.
    dora = make_user("dora")
    dora_need = create_post(owner=dora, draft=draft())
    exchange = respond_to_post(post=dora_need, responder=bob, quantity=1, message="")
    accept_exchange(exchange=exchange, actor=dora)
    complete_exchange(
        exchange=Exchange.objects.get(pk=exchange.pk), actor=dora, handover_happened=True
    )
    assert giver_standing({bob.pk, charlie.pk}) == {bob.pk: 1}
    assert match_score(1.0, 1) < match_score(0.6, 0)
    need = create_post(owner=alice, draft=draft())
    scores = {
        proven.pk: match_score(public_km(need, proven), 1),
        newcomer.pk: match_score(public_km(need, newcomer), 0),
    }
    assert ids(need) == sorted(scores, key=lambda pk: (scores[pk], pk))


def test_an_offer_is_shown_the_most_urgent_needs_it_could_meet(alice: User, bob: User) -> None:
    charlie = make_user("charlie")
    plain = create_post(owner=bob, draft=draft(tags=(), **at(1)))
    urgent = create_post(owner=charlie, draft=draft(tags=("infant", "elderly"), **at(3)))
    any_medicine = create_post(owner=charlie, draft=draft(item=None, tags=(), **at(2)))
    other_item = create_post(owner=bob, draft=draft(item="paracetamol", **at(1)))
    gift = make_offer(alice, **at(0))
    found = ids(gift)
    assert found[0] == urgent.pk
    assert set(found) == {urgent.pk, plain.pk, any_medicine.pk}
    assert other_item.pk not in found
    reasons = {m.post.pk: m.reason for m in matches_for(gift)}
    assert reasons[any_medicine.pk] == "category"


def test_closed_posts_get_no_suggestions(alice: User, bob: User) -> None:
    offer(bob, 1)
    need = create_post(owner=alice, draft=draft())
    Post.objects.filter(pk=need.pk).update(status="withdrawn")
    assert matches_for(Post.objects.get(pk=need.pk)) == []


def test_the_api_shows_matches_to_the_owner_only(api: Api, alice: User, bob: User) -> None:
    gift = offer(bob, 1.2)
    need = create_post(owner=alice, draft=draft())
    path = f"/api/v1/posts/{need.pk}/matches"
    r = api.as_user(alice).get(path)
    assert r.status_code == 200, r.content
    [item] = r.json()["items"]
    distance = public_distance_km(public_km(need, gift))
    assert (item["id"], item["match"], item["distance_km"]) == (gift.pk, "item", distance)
    assert "lat" not in item
    assert "lng" not in item
    assert api.as_user(bob).get(path).status_code == 404
    assert api.get(path).status_code == 401
    assert api.as_user(alice).get("/api/v1/posts/999999/matches").status_code == 404


def test_the_owner_sees_suggestions_right_after_posting(client: Client, alice: User) -> None:
    gift = offer(make_user("bob"), 1, title="Spare Advil")
    client.force_login(alice)
    form = {
        "kind": "need",
        "item": "ibuprofen",
        "title": "Need ibuprofen",
        "quantity": "2",
        "place": "centre",
        "precision": "1000",
    }
    r = client.post("/posts/new", form, follow=True)
    html = r.content.decode()
    assert "People nearby who can help" in html
    assert "Spare Advil" in html
    assert f'href="/posts/{gift.pk}"' in html
    # Others looking at the need see no suggestions.
    need = Post.objects.get(owner=alice)
    client.force_login(make_user("eve"))
    assert "People nearby who can help" not in client.get(f"/posts/{need.pk}").content.decode()


def test_an_offer_page_suggests_needs(client: Client, alice: User, bob: User) -> None:
    create_post(owner=bob, draft=draft(title="Ibuprofen for grandma"))
    gift = make_offer(alice, expires_at=timezone.now() + timedelta(days=90))
    client.force_login(alice)
    html = client.get(f"/posts/{gift.pk}").content.decode()
    assert "People nearby who need this" in html
    assert "Ibuprofen for grandma" in html


def test_a_match_radius_outside_search_range_is_clamped(
    alice: User, bob: User, settings: Any
) -> None:
    gift = offer(bob, 30)
    need = create_post(owner=alice, draft=draft())
    settings.HUZHU_MATCH_RADIUS_KM = 500
    assert ids(need) == [gift.pk]  # searched within 50 km
    settings.HUZHU_MATCH_RADIUS_KM = 0
    assert ids(need) == []  # within 1 km
