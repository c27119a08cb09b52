"""The home feed's search box (posts/keywords.py): item names in both languages, the
catalogue's aliases and title words, within the tab and the radius; an empty state that says
what to do; the API's `q` by the same rule."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, draft
from huzhu.posts.keywords import keyword_sql
from huzhu.posts.services import create_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

IBUPROFEN = "Fever medicine for grandma"  # a title that names no item


def feed(client: Client, **params: Any) -> str:
    r = client.get("/", params)
    assert r.status_code == 200
    return r.content.decode()


@pytest.fixture
def posts(alice: User, bob: User) -> None:
    set_level(alice, Level.MEMBER)
    create_post(owner=alice, draft=draft(title=IBUPROFEN, item="ibuprofen"))
    create_post(
        owner=alice,
        draft=draft(title="Antigen kits", category="test_kits", item="antigen-test", tags=()),
    )
    create_post(
        owner=bob,
        draft=draft(
            title="Spare ibuprofen",
            kind="offer",
            item="ibuprofen",
            tags=(),
            expires_at=timezone.now() + timedelta(days=300),
        ),
    )
    create_post(
        owner=bob,
        draft=draft(title="Rice for 老人 upstairs", category="food", item="rice", quantity=1),
    )


@pytest.mark.parametrize("q", ["布洛芬", "芬必得", "ibuprofen", "IBUPROFEN", " Advil "])
def test_an_item_is_found_by_any_of_its_names(client: Client, posts: None, q: str) -> None:
    page = feed(client, q=q)
    assert IBUPROFEN in page
    assert "Antigen kits" not in page
    assert "Rice for" not in page


@pytest.mark.parametrize("q", ["grandma", "Fever MEDICINE", "老人"])
def test_words_of_the_title_are_found(client: Client, posts: None, q: str) -> None:
    page = feed(client, q=q)
    assert ("Rice for 老人" in page) == (q == "老人")
    assert (IBUPROFEN in page) == (q != "老人")


def test_the_search_stays_within_the_tab_and_the_radius(client: Client, posts: None) -> None:
    assert "Spare ibuprofen" not in feed(client, q="布洛芬")
    offers = feed(client, q="布洛芬", kind="offer")
    assert "Spare ibuprofen" in offers
    assert IBUPROFEN not in offers
    far = {"lat": BEIJING[0] + 0.1, "lng": BEIJING[1], "radius_km": 3}
    assert IBUPROFEN not in feed(client, q="布洛芬", **far)
    # The tabs keep the keyword; one link drops it.
    page = feed(client, q="布洛芬")
    assert "q=%E5%B8%83%E6%B4%9B%E8%8A%AC" in page
    assert "Only posts matching “布洛芬”" in page
    assert 'href="?">Show everything' in page


def test_an_empty_search_says_what_to_do(client: Client, posts: None) -> None:
    page = feed(client, q="布洛芬", lat=BEIJING[0] + 0.1, lng=BEIJING[1], radius_km=5)
    assert "Nothing for “布洛芬” within 5 km." in page
    assert "radius_km=10" in page  # look farther
    assert 'href="/posts/new?kind=need"' in page


def test_the_empty_state_speaks_chinese(client: Client, posts: None) -> None:
    client.cookies["django_language"] = "zh-hans"
    page = feed(client, q="no such thing")
    assert "5 公里内没有“no such thing”" in page
    assert "发布需求" in page


def test_keyword_characters_are_not_patterns(client: Client, posts: None) -> None:
    for q in ["%", "_", "\\", "'", "100%"]:
        page = feed(client, q=q)
        assert IBUPROFEN not in page
        assert "Antigen kits" not in page


def test_a_too_long_keyword_is_shown_beside_its_field(client: Client, posts: None) -> None:
    page = feed(client, q="x" * 101)
    assert "at most 100 characters" in page
    assert IBUPROFEN in page  # the search runs without it


def test_the_feed_search_counts_against_the_search_limit(
    client: Client, posts: None, settings: Any
) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    settings.HUZHU_SEARCH_RATE_PER_MINUTE = 2
    assert client.get("/", {"q": "布洛芬"}).status_code == 200
    assert client.get("/", {"q": "芬必得"}).status_code == 200
    r = client.get("/", {"q": "ibuprofen"})
    assert r.status_code == 429
    assert r.headers["Retry-After"]


def test_the_api_searches_by_the_same_rule(client: Client, posts: None) -> None:
    def titles(**params: Any) -> list[str]:
        query: dict[str, Any] = {"lat": BEIJING[0], "lng": BEIJING[1], **params}
        r = client.get("/api/v1/posts", query)
        assert r.status_code == 200, r.content
        return [hit["title"] for hit in r.json()["items"]]

    assert set(titles(q="芬必得")) == {IBUPROFEN, "Spare ibuprofen"}
    assert titles(q="芬必得", kind="offer") == ["Spare ibuprofen"]
    assert titles(q="kits") == ["Antigen kits"]
    too_long: dict[str, Any] = {"lat": 1, "lng": 1, "q": "x" * 101}
    assert client.get("/api/v1/posts", too_long).status_code == 422


@pytest.mark.django_db
def test_no_keyword_is_no_filter() -> None:
    assert keyword_sql("") is None
    assert keyword_sql("   ") is None
