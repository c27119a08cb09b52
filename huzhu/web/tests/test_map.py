"""The members' map (/map) and the post form's map picker: public points only, pages that
work without JavaScript, and nothing inline against the CSP."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.area_map import area_map, project, unproject
from huzhu.conftest import draft
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.web.tests.helpers import inline_code

# An exact point with more digits than anything the server rounds to.
EXACT = (39.9187361, 116.3972847)


@pytest.fixture
def exact_need(alice: User) -> Post:
    return create_post(owner=alice, draft=draft(lat=EXACT[0], lng=EXACT[1]))


def _markers(page: str) -> list[dict[str, Any]]:
    found = re.search(r'<script id="map-markers" type="application/json">(.*?)</script>', page)
    assert found
    return list(json.loads(found.group(1)))


def test_anonymous_visitors_are_sent_to_log_in(client: Client, exact_need: Post) -> None:
    response = client.get("/map")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_a_member_sees_posts_at_their_public_points_only(
    client: Client, bob: User, exact_need: Post
) -> None:
    client.force_login(bob)
    page = client.get("/map").content.decode()
    markers = _markers(page)
    assert [m["url"] for m in markers] == [f"/posts/{exact_need.pk}"]
    assert markers[0]["lat"] == round(exact_need.public_lat, 4)
    assert markers[0]["lng"] == round(exact_need.public_lng, 4)
    # The exact point, at any precision finer than the cell, is absent. The public point is
    # printed, and by chance (its offset hangs on the owner's id) it may share the exact
    # point's first three decimals, so it is taken out before looking.
    scrubbed = page
    for shown in (markers[0]["lat"], markers[0]["lng"]):
        scrubbed = scrubbed.replace(f"{shown}", "").replace(f"{shown:.4f}", "")
    for digits in (4, 3):
        assert f"{EXACT[0]:.{digits}f}" not in scrubbed
        assert f"{EXACT[1]:.{digits}f}" not in scrubbed
    # The SVG's pin too is drawn at the public point.
    x, y = project(markers[0]["lat"], markers[0]["lng"])
    assert f'cx="{x}" cy="{y}"' in page
    assert "Need ibuprofen for my father" in page  # the list below the map
    assert 'href="/posts/' in page


def test_the_map_follows_the_tabs_and_offers_a_list(
    client: Client, bob: User, exact_need: Post
) -> None:
    client.force_login(bob)
    assert _markers(client.get("/map", {"kind": "offer"}).content.decode()) == []
    page = client.get("/map", {"kind": "need"}).content.decode()
    assert len(_markers(page)) == 1
    assert 'href="/?kind=need"' in page


def test_the_map_page_has_nothing_inline_and_loads_vendored_leaflet(
    client: Client, bob: User
) -> None:
    client.force_login(bob)
    response = client.get("/map")
    page = response.content.decode()
    assert inline_code(page) == []
    assert "/static/web/vendor/leaflet/leaflet.js" in page
    assert "/static/web/vendor/leaflet/leaflet.css" in page
    assert 'data-tiles=""' in page  # no tiles unless the operator hosts some
    assert "Dongcheng" in page  # the districts are drawn by the server


def test_the_map_is_drawn_in_chinese(client: Client, bob: User) -> None:
    client.force_login(bob)
    page = client.get("/map", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "附近求助和赠送的地图" in page
    assert "东城" in page


def test_operator_tiles_are_offered_to_the_browser(
    client: Client, bob: User, settings: Any
) -> None:
    settings.HUZHU_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    client.force_login(bob)
    page = client.get("/map").content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page


def test_the_post_form_carries_a_map_picker_over_the_same_fields(client: Client, bob: User) -> None:
    client.force_login(bob)
    page = client.get("/posts/new?kind=need").content.decode()
    assert "data-map-picker hidden" in page  # shown by the script only; the select stays
    assert 'name="place"' in page
    assert '<script id="map-districts" type="application/json">' in page
    assert inline_code(page) == []


def test_the_projection_round_trips() -> None:
    lat, lng = unproject(*project(39.9042, 116.4074))
    assert abs(lat - 39.9042) < 1e-3 and abs(lng - 116.4074) < 1e-3


@pytest.mark.django_db
def test_a_deployment_without_districts_gets_a_grid(settings: Any) -> None:
    settings.HUZHU_DEFAULT_CENTRE = (48.8566, 2.3522)  # no built-in districts near Paris
    drawn = area_map()
    assert drawn.districts == []
    assert drawn.grid
    south, west, north, east = drawn.bounds
    assert south < 48.8566 < north and west < 2.3522 < east


def test_the_map_counts_as_a_search_for_the_rate_limit(
    client: Client, bob: User, settings: Any
) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    settings.HUZHU_SEARCH_RATE_PER_MINUTE = 2
    client.force_login(bob)
    assert [client.get("/map").status_code for _ in range(3)] == [200, 200, 429]


def test_only_get_is_allowed(client: Client, bob: User) -> None:
    client.force_login(bob)
    assert client.post("/map").status_code == 405
