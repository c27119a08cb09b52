"""The organisers' heat map: who may see it, what it counts, and what it never shows."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import make_user
from huzhu.insights.heatmap import heat_cells
from huzhu.insights.heatmap_svg import slippy_tile
from huzhu.posts.models import Post
from huzhu.posts.services import PostDraft, create_post

# Exact points a few hundred metres apart in one resolution-7 cell of Chaoyang.
NEAR = [(39.92131 + i * 0.00017, 116.44343 + i * 0.00013) for i in range(12)]
FAR = (39.99871, 116.28779)  # Haidian, another cell


def post(name: str, where: tuple[float, float], kind: str = "need", **kw: object) -> Post:
    values: dict[str, object] = {
        "kind": kind,
        "title": f"{kind} {name}",
        "body": "",
        "category": "medicine",
        "item": "ibuprofen",
        "quantity": 2,
        "lat": where[0],
        "lng": where[1],
        # Medicine offers need an expiry date; needs take the default.
        **({"expires_at": timezone.now() + timedelta(days=60)} if kind == "offer" else {}),
        **kw,
    }
    return create_post(owner=make_user(name), draft=PostDraft(**values))  # type: ignore[arg-type]


@pytest.fixture
def organiser(db: None) -> Client:
    mo = make_user("mo")
    User.objects.filter(pk=mo.pk).update(is_staff=True)
    client = Client()
    client.force_login(mo)
    return client


@pytest.fixture
def city(db: None) -> list[Post]:
    """12 people need medicine in one Chaoyang cell, 11 offer there; 3 need food in Haidian."""
    needs = [post(f"n{i}", where) for i, where in enumerate(NEAR)]
    offers = [post(f"o{i}", where, kind="offer") for i, where in enumerate(NEAR[:11])]
    food = [post(f"f{i}", FAR, category="food", item="rice") for i in range(3)]
    return needs + offers + food


def test_it_is_for_organisers_only(alice: User) -> None:
    assert Client().get("/organisers/heatmap").status_code == 404
    member = Client()
    member.force_login(alice)
    assert member.get("/organisers/heatmap").status_code == 404


def test_it_counts_cells_with_enough_people(city: list[Post]) -> None:
    cells = heat_cells(now=timezone.now(), days=30)
    shown = [cell for cell in cells if not cell.few]
    assert [(cell.needs, cell.offers, cell.balance) for cell in shown] == [(12, 11, "short")]
    few = [cell for cell in cells if cell.few]
    # Haidian's 3 people: no count, but the balance reads at any scale (3 needs, no offer).
    assert [(cell.needs, cell.offers, cell.balance) for cell in few] == [(None, None, "unmet")]


def test_a_small_area_shows_its_balance_without_a_count(db: None) -> None:
    post("n0", FAR)
    for i in range(2):
        post(f"o{i}", FAR, kind="offer")
    (area,) = heat_cells(now=timezone.now(), days=30)
    assert area.few and (area.needs, area.offers, area.balance) == (None, None, "covered")


def test_a_small_count_in_a_shown_cell_is_few(db: None) -> None:
    for i, where in enumerate(NEAR):
        post(f"n{i}", where)
    post("giver", NEAR[0], kind="offer")
    (cell,) = heat_cells(now=timezone.now(), days=30)
    assert (cell.needs, cell.offers, cell.balance) == (12, None, "unmet")


def test_it_filters_by_category_and_period(city: list[Post]) -> None:
    food = heat_cells(now=timezone.now(), days=30, category="food")
    assert len(food) == 1 and food[0].few
    later = timezone.now() + timedelta(days=8)
    assert heat_cells(now=later, days=7) == []
    assert len(heat_cells(now=later, days=30)) == 2


def test_fulfilled_and_withdrawn_posts_are_not_unmet(city: list[Post]) -> None:
    Post.objects.filter(pk=city[0].pk).update(status=Post.Status.FULFILLED)
    shown = [cell for cell in heat_cells(now=timezone.now(), days=30) if not cell.few]
    assert [cell.needs for cell in shown] == [11]


def test_the_page_shows_few_and_no_exact_coordinate(city: list[Post], organiser: Client) -> None:
    response = organiser.get("/organisers/heatmap", {"days": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "style=" not in html
    assert "12 needs, 11 offers" in html and ">12/11<" in html
    # Haidian's 3 people: their balance, paler, without their count, in the map and the table.
    assert html.count('class="heat heat--unmet heat--uncounted"') == 1
    assert html.count("heat--uncounted") == 2  # the area and the legend swatch
    assert "3 needs" not in html and "<td>3</td>" not in html
    numbers = set(re.findall(r"-?\d+\.\d+", html))
    for p in city:
        lat, lng = p.lat, p.lng  # the private point
        assert f"{lat:.4f}" not in html and f"{lng:.4f}" not in html
        assert not any(abs(float(n) - lat) < 0.01 or abs(float(n) - lng) < 0.01 for n in numbers)


def test_the_filter_form_refuses_bad_values(organiser: Client) -> None:
    assert organiser.get("/organisers/heatmap", {"days": "365"}).status_code == 422
    assert organiser.get("/organisers/heatmap", {"days": "7", "category": "x"}).status_code == 422
    assert (
        organiser.get("/organisers/heatmap", {"days": "7", "category": "food"}).status_code == 200
    )


def test_a_tile_layer_is_a_link_when_configured(organiser: Client, settings: object) -> None:
    assert "tile" not in organiser.get("/organisers/heatmap").content.decode()
    settings.HUZHU_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"  # type: ignore[attr-defined]
    html = organiser.get("/organisers/heatmap").content.decode()
    z, x, y = slippy_tile((39.9042, 116.4074), 12)
    assert f"https://tiles.example.org/{z}/{x}/{y}.png" in html
    assert (z, x, y) == (12, 3372, 1552)


def test_areas_are_named_districts_not_h3_ids(city: list[Post], organiser: Client) -> None:
    areas = heat_cells(now=timezone.now(), days=30)
    assert [(a.cell, a.district) for a in areas] == [("chaoyang", True), ("haidian", True)]
    html = organiser.get("/organisers/heatmap", {"days": "30"}).content.decode()
    assert '<th scope="row">Chaoyang</th>' in html and '<th scope="row">Haidian</th>' in html
    assert not re.search(r"\b87[0-9a-f]{13}\b", html)  # no H3 id where a district is known
    zh = organiser.get(
        "/organisers/heatmap", {"days": "30"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert '<th scope="row">朝阳区</th>' in zh
    assert "30 天" in zh and "30 days" not in zh  # the period's choices too, per request


def test_a_cell_near_no_district_keeps_its_h3_id(organiser: Client) -> None:
    for i in range(2):
        post(f"far{i}", (41.5, 117.9))  # far beyond every district
    (area,) = heat_cells(now=timezone.now(), days=30)
    assert not area.district and area.name == area.cell and area.few
