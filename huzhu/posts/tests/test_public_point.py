"""The public point: inside the precision cell, fixed, and blind to the exact point."""

import importlib
import random
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone
from h3.api import basic_int as h3_int

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, draft
from huzhu.exchanges.alerts import AlertDraft, create_alert, matching_alerts
from huzhu.exchanges.matching import matches_for
from huzhu.posts.models import Post
from huzhu.posts.public_point import location_fields, point_in_cell, public_point
from huzhu.posts.services import create_post
from huzhu.posts.tests.test_search import make_posts
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level


def same_cell_points(resolution: int, count: int) -> list[tuple[float, float]]:
    """`count` different points of the cell holding Beijing's centre."""
    cell = h3_int.latlng_to_cell(*BEIJING, resolution)
    points = [
        (BEIJING[0] + dy * 0.001, BEIJING[1] + dx * 0.001)
        for dy in range(-3, 4)
        for dx in range(-3, 4)
    ]
    inside = [p for p in points if h3_int.latlng_to_cell(*p, resolution) == cell]
    assert len(inside) >= count
    return inside[:count]


@pytest.mark.parametrize("precision_m", sorted(geo.AREA_RESOLUTIONS))
def test_it_lies_in_the_precision_cell_and_ignores_where_in_it_the_point_is(
    precision_m: int,
) -> None:
    resolution = geo.AREA_RESOLUTIONS[precision_m]
    points = same_cell_points(resolution, 5)
    found = {public_point(7, lat, lng, resolution) for lat, lng in points}
    assert len(found) == 1
    [(lat, lng)] = found
    assert h3_int.latlng_to_cell(lat, lng, resolution) == h3_int.latlng_to_cell(
        *points[0], resolution
    )


def test_it_differs_between_owners_and_is_not_the_bare_centre() -> None:
    cell = h3_int.latlng_to_cell(*BEIJING, 7)
    centre = h3_int.cell_to_latlng(cell)
    found = {point_in_cell(owner, cell) for owner in range(1, 40)}
    assert len(found) == 39 and centre not in found
    # Averaging many people's points in a cell converges on the cell, not on anyone.
    mean = (sum(p[0] for p in found) / 39, sum(p[1] for p in found) / 39)
    assert geo.haversine_km(*mean, *centre) < 0.4


def test_it_depends_on_the_server_secret(settings: Any) -> None:
    cell = h3_int.latlng_to_cell(*BEIJING, 7)
    before = point_in_cell(1, cell)
    settings.SECRET_KEY = "another secret, another set of public points"
    assert point_in_cell(1, cell) != before


def test_it_stays_in_its_cell_everywhere_on_earth() -> None:
    for lat in range(-85, 90, 5):
        for lng in range(-180, 180, 7):
            for resolution in geo.AREA_RESOLUTIONS.values():
                cell = h3_int.latlng_to_cell(lat, lng, resolution)
                assert h3_int.latlng_to_cell(*point_in_cell(3, cell), resolution) == cell


@pytest.mark.django_db
def test_a_post_stores_it_and_indexes_it_not_the_exact_point(alice: User) -> None:
    set_level(alice, Level.MEMBER)  # two open needs
    first, second = same_cell_points(7, 2)
    one = create_post(owner=alice, draft=draft(lat=first[0], lng=first[1]))
    two = create_post(owner=alice, draft=draft(lat=second[0], lng=second[1]))
    assert (one.public_lat, one.public_lng) == (two.public_lat, two.public_lng)
    assert (one.lat, one.lng) != (two.lat, two.lng)
    assert one.h3_r9 == two.h3_r9 == h3_int.latlng_to_cell(one.public_lat, one.public_lng, 9)
    assert one.area_cell == h3_int.latlng_to_cell(one.lat, one.lng, 7)


@pytest.mark.django_db
def test_the_migration_fills_existing_posts(alice: User, bob: User) -> None:
    """Runs 0010's function on this database (the suite runs on SQLite and PostgreSQL)
    over posts whose public columns still hold the exact point, as before the migration."""
    specs = [{"lat": lat, "lng": lng} for lat, lng in same_cell_points(5, 3)]
    posts = make_posts(alice, specs, timezone.now()) + make_posts(bob, specs, timezone.now())
    for post in posts[3:]:  # bob's: at 5 km precision
        cell = h3_int.latlng_to_cell(post.lat, post.lng, 5)
        Post.objects.filter(pk=post.pk).update(area_precision_m=5000, area_cell=cell)
    r9 = h3_int.latlng_to_cell(*BEIJING, 9)
    Post.objects.update(public_lat=0.0, public_lng=0.0, h3_r9=r9, cell_r5=0, cell_r8=0)
    migration = importlib.import_module("huzhu.posts.migrations.0010_fill_public_points")
    migration.fill(apps, connection.schema_editor())
    for post in Post.objects.filter(pk__in=[p.pk for p in posts]):
        expected = location_fields(post.owner_id, post.lat, post.lng, post.area_precision_m)
        assert {name: getattr(post, name) for name in expected} == expected


@pytest.mark.django_db
def test_scrambling_every_exact_point_changes_nothing_anyone_else_observes(
    alice: User, bob: User, client: Client
) -> None:
    """The exact point is read by no search, distance, order, cursor, feed, match or alert:
    moving every exact point to the other side of the world (keeping the public points)
    leaves all of them as they were."""
    rng = random.Random(18)
    specs = [
        {"lat": BEIJING[0] + rng.uniform(-0.1, 0.1), "lng": BEIJING[1] + rng.uniform(-0.1, 0.1)}
        for _ in range(30)
    ]
    offers = [{**spec, "kind": "offer"} for spec in specs[:10]]
    make_posts(alice, specs[10:], timezone.now())
    make_posts(bob, offers, timezone.now())
    need = Post.objects.filter(owner=alice).first()
    assert need is not None
    alert = create_alert(
        owner=bob, draft=AlertDraft("need", *BEIJING, radius_km=6.5, item="ibuprofen")
    )

    def observed() -> list[Any]:
        seen: list[Any] = []
        for sort in ("urgency", "distance"):
            query: dict[str, Any] = {"lat": BEIJING[0], "lng": BEIJING[1], "sort": sort}
            query["radius_km"] = 7.5
            page = Api().get("/api/v1/posts", {**query, "limit": 7}).json()
            second = Api().get(
                "/api/v1/posts", {**query, "limit": 7, "cursor": page["next_cursor"]}
            )
            seen += [page["items"], second.json()["items"]]
            feed = client.get("/", {**query, "radius_km": 10}).content.decode()
            seen.append(re.findall(r'href="/posts/(\d+)"|about [0-9.]+ km away', feed))
        fresh = Post.objects.get(pk=need.pk)
        seen.append([(m.post.pk, m.distance_km) for m in matches_for(fresh)])
        seen.append([a.pk for p in Post.objects.all() for a in matching_alerts(p)])
        return seen

    before = observed()
    assert before[0] and before[1] and before[-2] and alert.pk in before[-1]
    Post.objects.update(lat=-33.8688, lng=151.2093)  # Sydney
    assert observed() == before
