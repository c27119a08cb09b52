"""The feed's order (posts/ranking.py): urgent and fresh needs first, waiting capped,
unconfirmed needs sinking, offers freshest first; and the issue's "done when" on the demo
city."""

import math
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.conftest import Api, draft
from huzhu.demo.city import generate_city
from huzhu.posts import ranking
from huzhu.posts.services import confirm_need, create_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

pytestmark = pytest.mark.django_db


def test_a_need_past_its_waiting_cap_sinks_below_a_fresh_one_until_confirmed(
    alice: User,
) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    start = timezone.now()
    cap = ranking.wait_cap()
    with time_machine.travel(start, tick=False):
        old = create_post(owner=alice, draft=draft(tags=("infant",), title="old infant"))
    with time_machine.travel(start + cap - timedelta(hours=1), tick=False):
        fresh = create_post(owner=alice, draft=draft(tags=(), title="fresh"))
    assert old.rank is not None and fresh.rank is not None
    assert old.rank < fresh.rank  # within the cap, waiting and tags count
    assert ranking.sink_stale_needs(now=start + cap - timedelta(minutes=1)) == 0
    assert ranking.sink_stale_needs(now=start + cap) == 1
    old.refresh_from_db()
    assert old.rank is not None and old.rank > fresh.rank
    assert ranking.sink_stale_needs(now=start + cap) == 0  # idempotent
    with time_machine.travel(start + cap + timedelta(hours=2), tick=False):
        confirmed = confirm_need(post_id=old.pk, now=timezone.now())
    assert confirmed is not None and confirmed.rank is not None
    old.refresh_from_db()
    assert old.rank == confirmed.rank < fresh.rank  # anchored anew, still tagged infant
    assert old.rank == ranking.compute_rank(old, start + cap + timedelta(hours=2))


def test_offers_rank_freshest_first_and_after_needs(alice: User) -> None:
    set_level(alice, Level.MEMBER)
    start = timezone.now()
    offer = draft(kind="offer", category="food", item="rice", tags=(), title="Spare rice")
    with time_machine.travel(start, tick=False):
        older = create_post(owner=alice, draft=offer)
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        newer = create_post(owner=alice, draft=offer)
        need = create_post(owner=alice, draft=draft())
    assert newer.rank is not None and older.rank is not None and need.rank is not None
    assert need.rank < newer.rank < older.rank


def test_capped_waiting_ends_well_before_the_unknown_penalty() -> None:
    # Sunk needs stay above `unknown` ones, and fresh ones above sunk ones, for any post
    # that lives as long as a listing may.
    assert settings.HUZHU_POST_TTL_DAYS * 86400 < ranking.STALE_PENALTY
    assert 2 * ranking.STALE_PENALTY < ranking.UNKNOWN_RANK_PENALTY
    assert ranking.OFFER_BASE - 2**31 > 2**32 + ranking.UNKNOWN_RANK_PENALTY


def _one_km_from(lat: float, lng: float) -> tuple[float, float]:
    return lat + 1.0 / (math.pi * geo.EARTH_RADIUS_KM / 180), lng


def test_done_when_a_fresh_elderly_need_is_on_the_first_page_of_the_demo_city(
    client: Client, api: Api, alice: User
) -> None:
    # The city of `make run` (huzhu demo's defaults), then a fresh need tagged 老人.
    generate_city(posts=300, users=40, seed=1)
    centre = settings.HUZHU_DEFAULT_CENTRE
    lat, lng = _one_km_from(*centre)
    need = create_post(
        owner=alice, draft=draft(title="老人发烧，求布洛芬", tags=("elderly",), lat=lat, lng=lng)
    )
    home = client.get("/", {"kind": "need"}, headers={"accept-language": "zh-hans"})
    assert home.status_code == 200
    assert f'href="/posts/{need.pk}"' in home.content.decode()
    listed = api.get(
        "/api/v1/posts", {"lat": centre[0], "lng": centre[1], "kind": "need", "sort": "urgency"}
    ).json()
    assert need.pk in [item["id"] for item in listed["items"]]
    assert len(listed["items"]) == 20  # a full first page: the need is not alone
