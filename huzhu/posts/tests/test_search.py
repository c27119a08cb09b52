"""Nearby search is exact: the same answer as measuring every listed post, on both databases."""

import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from h3.api import basic_int as h3_int
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.conftest import Api, draft
from huzhu.errors import Invalid
from huzhu.posts import cursors
from huzhu.posts.models import Category, Item, Post
from huzhu.posts.public_point import location_fields
from huzhu.posts.ranking import compute_rank
from huzhu.posts.search import SearchParams, bounding_box, search_posts
from huzhu.posts.services import create_post, transition_post
from huzhu.posts.tags import TAG_CODES, tag_bit, tags_to_bits
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

BEIJING = (39.9042, 116.4074)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def destination(
    lat: float, lng: float, distance_km: float, bearing_deg: float
) -> tuple[float, float]:
    """The point `distance_km` from (lat, lng) along `bearing_deg`, longitude in [-180, 180]."""
    angle, bearing = distance_km / geo.EARTH_RADIUS_KM, math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lng)
    p2 = math.asin(
        math.sin(p1) * math.cos(angle) + math.cos(p1) * math.sin(angle) * math.cos(bearing)
    )
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(p1),
        math.cos(angle) - math.sin(p1) * math.sin(p2),
    )
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def make_posts(owner: User, specs: list[dict[str, Any]], now: datetime) -> list[Post]:
    """Insert posts the way create_post stores them (cells, area, rank), many at once."""
    categories = {c.code: c for c in Category.objects.all()}
    items = {i.code: i for i in Item.objects.all()}
    posts = []
    for spec in specs:
        item = items[spec.get("item", "ibuprofen")]
        created = now - timedelta(hours=spec.get("age_hours", 1.0))
        post = Post(
            owner=owner,
            kind=spec.get("kind", "need"),
            title="test",
            category=categories[spec.get("category", item.category.code)],
            item=item,
            quantity=1,
            unit="piece",
            tag_bits=spec.get("tag_bits", 0),
            status=spec.get("status", Post.Status.OPEN),
            created_at=created,
            updated_at=created,
            closes_at=now + timedelta(hours=spec.get("closes_in_hours", 24.0)),
            lat=spec["lat"],
            lng=spec["lng"],
            area_precision_m=1000,
            **location_fields(owner.pk, spec["lat"], spec["lng"], 1000),
        )
        post.rank = compute_rank(post, now)
        posts.append(post)
    return Post.objects.bulk_create(posts)


def brute_force(params: SearchParams, now: datetime) -> list[tuple[int, float]]:
    """Every listed, open-for-now post whose public point lies within the radius, measured
    one by one, in order."""
    hits = []
    for post in Post.objects.filter(rank__isnull=False, closes_at__gt=now).select_related(
        "category"
    ):
        if params.kind and post.kind != params.kind:
            continue
        if params.category and post.category.code != params.category:
            continue
        if params.item_id and post.item_id != params.item_id:
            continue
        if params.tag and not post.tag_bits & tag_bit(params.tag):
            continue
        distance = geo.haversine_km(params.lat, params.lng, post.public_lat, post.public_lng)
        if distance <= params.radius_km:
            key = (post.rank, post.pk) if params.sort == "urgency" else (distance, post.pk)
            hits.append((key, post.pk, distance))
    return [(post_id, distance) for _, post_id, distance in sorted(hits)]


def walk_pages(params: SearchParams) -> list[tuple[int, float]]:
    """All pages of a search, following next_cursor to the end."""
    seen: list[tuple[int, float]] = []
    cursor = None
    for _ in range(1000):
        page = search_posts(SearchParams(**{**params.__dict__, "cursor": cursor}))
        assert len(page.hits) <= params.limit
        seen += [(post.pk, distance) for post, distance in page.hits]
        if page.next_cursor is None:
            return seen
        assert len(page.hits) == params.limit
        cursor = page.next_cursor
    raise AssertionError("pagination did not end")


# --- Generated cities against brute force -------------------------------------------------
centres = st.one_of(
    st.tuples(st.floats(-65, 65), st.floats(-180, 180)),
    # Near the antimeridian, where longitudes wrap from 180 to -180.
    st.tuples(st.floats(-65, 65), st.sampled_from([179.97, -179.99, 180.0])),
    st.just(BEIJING),
)
post_specs = st.fixed_dictionaries(
    {
        # Clustered near the centre, spread over the largest radius, or just past it.
        "distance_km": st.one_of(st.floats(0, 2), st.floats(0, 55), st.floats(0.9, 1.1)),
        "bearing": st.floats(0, 360),
        "kind": st.sampled_from(["need", "offer"]),
        "item": st.sampled_from(["ibuprofen", "antigen-test", "thermometer"]),
        "tags": st.one_of(st.just([]), st.lists(st.sampled_from(TAG_CODES), max_size=2)),
        "age_hours": st.floats(0, 24 * 20),
        "status": st.sampled_from(["open", "open", "pledged", "unknown", "fulfilled", "expired"]),
        "closes_in_hours": st.sampled_from([24.0, 24.0, 24.0, -1.0]),
    }
)
queries = st.fixed_dictionaries(
    {
        "radius_km": st.one_of(st.sampled_from([1.0, 5.0, 10.0, 50.0]), st.floats(1, 50)),
        "sort": st.sampled_from(["urgency", "distance"]),
        "limit": st.integers(1, 7),
        "kind": st.sampled_from([None, None, "need"]),
        "category": st.sampled_from([None, None, "medicine"]),
        "item": st.sampled_from([None, None, "antigen-test"]),
        "tag": st.sampled_from([None, None, "elderly", "fever_now"]),
        # Query from the centre or from one of the posts (duplicate points, distance 0).
        "from_post": st.booleans(),
    }
)


@pytest.mark.django_db
@EXAMPLES
@given(
    centre=centres,
    specs=st.lists(post_specs, max_size=40),
    query=queries,
    duplicates=st.integers(0, 3),
)
def test_it_matches_brute_force_on_every_page(
    alice: User,
    centre: tuple[float, float],
    specs: list[dict[str, Any]],
    query: dict[str, Any],
    duplicates: int,
) -> None:
    now = timezone.now()
    for spec in specs:
        spec["lat"], spec["lng"] = destination(*centre, spec["distance_km"], spec["bearing"])
        spec["tag_bits"] = tags_to_bits(spec["tags"])
    specs += [dict(specs[0]) for _ in range(duplicates)] if specs else []
    lat, lng = (specs[0]["lat"], specs[0]["lng"]) if query["from_post"] and specs else centre
    item = Item.objects.get(code=query["item"]) if query["item"] else None
    params = SearchParams(
        lat=lat,
        lng=lng,
        radius_km=query["radius_km"],
        kind=query["kind"],
        category=query["category"],
        item_id=item.pk if item else None,
        tag=query["tag"],
        sort=query["sort"],
        limit=query["limit"],
    )
    with transaction.atomic():
        make_posts(alice, specs, now)
        expected = brute_force(params, timezone.now())
        found = walk_pages(params)
        transaction.set_rollback(True)
    assert [post_id for post_id, _ in found] == [post_id for post_id, _ in expected]
    assert [d for _, d in found] == pytest.approx([d for _, d in expected], abs=1e-9)


@pytest.mark.django_db
def test_it_finds_a_dense_neighbourhood_in_order(alice: User) -> None:
    """A few thousand posts in a busy district: first pages of both sorts, every radius."""
    rng = random.Random(7)
    now = timezone.now()
    specs = []
    for _ in range(3000):
        lat, lng = destination(
            *BEIJING, abs(rng.gauss(0, 4)) * rng.random() ** 0.2, rng.uniform(0, 360)
        )
        bits = tag_bit(rng.choice(TAG_CODES)) if rng.random() < 0.2 else 0
        specs.append({"lat": lat, "lng": lng, "age_hours": rng.uniform(0, 480), "tag_bits": bits})
    make_posts(alice, specs, now)
    for radius in (1.0, 5.0, 10.0, 50.0):
        for sort in ("urgency", "distance"):
            for tag in (None, "infant"):
                params = SearchParams(*BEIJING, radius_km=radius, sort=sort, tag=tag, limit=50)
                page = search_posts(params)
                expected = brute_force(params, timezone.now())[:50]
                assert [(p.pk, d) for p, d in page.hits] == expected


# --- The rules around the search ------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("radius", [0.5, 50.5, 0.0, -3.0])
def test_it_refuses_a_radius_outside_1_to_50_km(radius: float) -> None:
    with pytest.raises(Invalid) as error:
        search_posts(SearchParams(*BEIJING, radius_km=radius))
    assert error.value.field == "radius_km"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        "AAAA",
        # Sealed at run time, not at collection: a seal's nonce is random, and pytest-xdist's
        # workers must collect the same test ids.
        lambda: cursors.seal(SearchParams(*BEIJING, sort="distance"), (1.5, 3)),  # another search's
        lambda: cursors.seal(SearchParams(*BEIJING, radius_km=6), (1, 3)),  # another radius's
        "dQ",
    ],
    ids=["not-base64", "short", "another-search", "another-radius", "truncated"],
)
def test_it_refuses_a_malformed_or_foreign_cursor(cursor: str | Callable[[], str]) -> None:
    given = cursor() if callable(cursor) else cursor
    with pytest.raises(Invalid) as error:
        search_posts(SearchParams(*BEIJING, cursor=given, sort="urgency"))
    assert error.value.field == "cursor"


def test_the_api_answers_422_for_a_bad_radius_and_a_bad_cursor(api: Api) -> None:
    base = {"lat": BEIJING[0], "lng": BEIJING[1]}
    assert api.get("/api/v1/posts", {**base, "radius_km": 51}).status_code == 422
    assert api.get("/api/v1/posts", {**base, "radius_km": 0.5}).status_code == 422
    response = api.get("/api/v1/posts", {**base, "cursor": "garbage!"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


@pytest.mark.django_db
def test_it_never_lists_closed_or_lapsed_posts(alice: User) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    shown = create_post(owner=alice, draft=draft(title="still open"))
    for status in ("withdrawn", "fulfilled", "expired"):
        post = create_post(owner=alice, draft=draft(title=status))
        transition_post(post_id=post.pk, to_status=status, actor=alice, reason="test")
    lapsed = create_post(owner=alice, draft=draft(title="lapsed"))
    Post.objects.filter(pk=lapsed.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    for sort in ("urgency", "distance"):
        page = search_posts(SearchParams(*BEIJING, sort=sort))
        assert [post.pk for post, _ in page.hits] == [shown.pk]


@pytest.mark.django_db
def test_it_ranks_unknown_posts_after_every_open_one(alice: User) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    stale = create_post(owner=alice, draft=draft(title="old, unanswered", tags=("infant",)))
    transition_post(post_id=stale.pk, to_status="unknown", actor=None, reason="check_in")
    fresh = create_post(owner=alice, draft=draft(title="new", tags=()))
    page = search_posts(SearchParams(*BEIJING, sort="urgency"))
    assert [post.pk for post, _ in page.hits] == [fresh.pk, stale.pk]


@pytest.mark.django_db
def test_it_returns_public_point_distances_and_no_cursor_on_the_last_page(alice: User) -> None:
    near = create_post(owner=alice, draft=draft(lat=BEIJING[0] + 0.01, lng=BEIJING[1]))
    page = search_posts(SearchParams(*BEIJING, sort="distance", limit=5))
    [(post, distance)] = page.hits
    assert post.pk == near.pk
    assert distance == pytest.approx(geo.haversine_km(*BEIJING, near.public_lat, near.public_lng))
    assert page.next_cursor is None


# --- The geometry the search stands on -------------------------------------------------------
@pytest.mark.parametrize("res", [5, 6, 7, 8])
def test_res9_range_holds_exactly_the_descendants(res: int) -> None:
    cell = h3_int.latlng_to_cell(*BEIJING, res)
    children = sorted(h3_int.cell_to_children(cell, 9))
    low, high = geo.res9_range(cell)
    assert (low, high) == (children[0], children[-1])
    neighbour = next(c for c in h3_int.grid_ring(cell, 1))
    n_low, n_high = geo.res9_range(neighbour)
    assert n_high < low or n_low > high


@pytest.mark.parametrize("res", [6, 7, 8])
def test_descendants_stay_within_the_allowed_reach(res: int) -> None:
    """The margin geo.DESCENDANT_REACH rests on: measured here, with room to spare."""
    rng = random.Random(res)
    cells = [
        h3_int.latlng_to_cell(rng.uniform(-80, 80), rng.uniform(-180, 180), res) for _ in range(6)
    ]
    cells += h3_int.grid_disk(h3_int.get_pentagons(res)[3], 1)
    for cell in cells:
        lat, lng = h3_int.cell_to_latlng(cell)
        corner = max(geo.haversine_km(lat, lng, *v) for v in h3_int.cell_to_boundary(cell))
        spread = max(
            geo.haversine_km(lat, lng, *vertex)
            for child in h3_int.cell_to_children(cell, 9)
            for vertex in h3_int.cell_to_boundary(child)
        )
        assert spread <= corner * geo.DESCENDANT_REACH / 1.1


@settings(max_examples=50, deadline=None)
@given(
    centre=centres,
    outer=st.floats(0.05, 50),
    inner_share=st.one_of(st.just(0.0), st.floats(0, 1)),
    points=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 360)), min_size=1, max_size=30),
    finest=st.sampled_from([8, 9]),
)
def test_a_cover_holds_every_point_of_its_annulus(
    centre: tuple[float, float],
    outer: float,
    inner_share: float,
    points: list[tuple[float, float]],
    finest: int,
) -> None:
    area = geo.Annulus(*centre, outer, outer * inner_share)
    cover = {c.cell for c in geo.annulus_cover(area, finest=finest, max_cells=48)}
    for share, bearing in points:
        distance = area.inner_km + share * (outer - area.inner_km)
        lat, lng = destination(*centre, distance, bearing)
        r9 = h3_int.latlng_to_cell(lat, lng, 9)
        ancestors = {h3_int.cell_to_parent(r9, res) for res in range(5, 10)}
        assert ancestors & cover, (lat, lng, distance)


def test_the_bounding_box_holds_the_circle() -> None:
    rng = random.Random(3)
    for _ in range(200):
        lat, lng, radius = rng.uniform(-80, 80), rng.uniform(-179, 179), rng.uniform(0.1, 50)
        box = bounding_box(lat, lng, radius)
        if box is None:
            continue
        for bearing in range(0, 360, 5):
            plat, plng = destination(lat, lng, radius, bearing)
            assert box[0] <= plat <= box[1]
            assert box[2] <= plng <= box[3]
