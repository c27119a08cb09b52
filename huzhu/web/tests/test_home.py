"""The home page: the two big buttons and the nearby feed, with its filters."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, draft
from huzhu.posts.models import Post
from huzhu.posts.search import SearchPage
from huzhu.posts.services import create_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level
from huzhu.web.tests.helpers import inline_code

XSS = "<script>alert(1)</script>"


def feed(client: Client, **params: Any) -> str:
    r = client.get("/", params)
    assert r.status_code == 200
    return r.content.decode()


@pytest.mark.django_db
def test_it_offers_the_two_big_buttons(client: Client) -> None:
    page = feed(client)
    assert 'href="/posts/new?kind=need"' in page
    assert 'href="/posts/new?kind=offer"' in page
    assert "I need" in page
    assert "I can give" in page


@pytest.mark.django_db
def test_it_has_no_inline_scripts_or_styles(client: Client) -> None:
    assert inline_code(feed(client)) == []


def test_it_lists_nearby_posts_with_public_fields_only(client: Client, alices_need: Any) -> None:
    page = feed(client)
    assert "Need ibuprofen for my father" in page
    assert f'href="/posts/{alices_need.pk}"' in page
    assert "Elderly" in page  # the tag's label
    assert "4 tablets" in page
    # Measured to the post's public point, somewhere in its 1 km cell.
    assert re.search(r"(less than 1 km|about 1(\.5)? km) away", page)
    assert "just now" in page
    assert str(BEIJING[0]) not in page
    assert str(BEIJING[1]) not in page
    assert "alice" not in page.lower()


def test_it_centres_the_feed_on_the_given_location(client: Client, alices_need: Any) -> None:
    shanghai = {"lat": 31.2304, "lng": 121.4737}
    assert "Need ibuprofen" not in feed(client, **shanghai)
    assert "Need ibuprofen" in feed(client, lat=BEIJING[0] + 0.05, lng=BEIJING[1], radius_km=10)
    assert "Need ibuprofen" not in feed(client, lat=BEIJING[0] + 0.05, lng=BEIJING[1], radius_km=1)


def test_it_centres_the_feed_on_a_chosen_district(client: Client, alices_need: Any) -> None:
    page = feed(client, place="changping", radius_km=5)  # 35 km north of the centre
    assert "Need ibuprofen" not in page
    assert "Within 5 km of Changping" in page


def test_it_filters_by_kind_category_and_tag(client: Client, alice: User) -> None:
    create_post(
        owner=alice,
        draft=draft(title="Spare rice", kind="offer", category="food", item="rice", tags=()),
    )
    create_post(
        owner=alice,
        draft=draft(
            title="Antigen tests please",
            category="test_kits",
            item="antigen-test",
            tags=("fever_now",),
        ),
    )
    assert "Spare rice" not in feed(client, kind="need")
    assert "Spare rice" in feed(client, kind="offer")
    assert "Antigen tests please" not in feed(client, category="food")
    assert "Spare rice" in feed(client, kind="offer", category="food")
    assert "Spare rice" not in feed(client, tag="fever_now")
    assert "Antigen tests please" in feed(client, tag="fever_now")


def test_it_sorts_by_urgency_or_distance(client: Client, alice: User) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    create_post(
        owner=alice,
        draft=draft(title="Far but urgent", lat=BEIJING[0] + 0.03, tags=("infant", "elderly")),
    )
    create_post(owner=alice, draft=draft(title="Near, not urgent", tags=()))
    by_urgency = feed(client)
    assert by_urgency.index("Far but urgent") < by_urgency.index("Near, not urgent")
    by_distance = feed(client, sort="distance")
    assert by_distance.index("Near, not urgent") < by_distance.index("Far but urgent")
    assert "nearest first" in by_distance


@pytest.mark.django_db
def test_it_shows_a_bad_filter_beside_its_field_and_still_lists(client: Client) -> None:
    page = feed(client, radius_km=999, kind="gift")
    assert "Select a valid choice" in page
    assert "Within 5 km of" in page


def test_it_links_to_the_next_page(
    client: Client, alices_need: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def one_page(params: Any) -> SearchPage:
        return SearchPage(hits=[(alices_need, 0.2)], next_cursor="abc123")

    monkeypatch.setattr("huzhu.web.views.search_posts", one_page)
    page = feed(client, kind="need")
    assert 'href="?kind=need&amp;cursor=abc123"' in page
    assert 'hx-select-oob="#feed-more"' in page


def test_it_escapes_user_text(client: Client, alice: User) -> None:
    create_post(owner=alice, draft=draft(title=XSS))
    page = feed(client)
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_has_a_needs_tab_by_default_and_an_offers_tab(client: Client, alice: User) -> None:
    set_level(alice, Level.MEMBER)
    create_post(owner=alice, draft=draft(title="Spare rice", kind="offer", category="food",
                                         item="rice", tags=()))  # fmt: skip
    create_post(owner=alice, draft=draft(title="Need ibuprofen"))
    home = feed(client)
    assert "Need ibuprofen" in home and "Spare rice" not in home
    assert 'href="?kind=need" aria-current="page">Needs near me</a>' in home
    assert 'href="?kind=offer">Offered near me</a>' in home
    offers = feed(client, kind="offer", cursor="")
    assert "Spare rice" in offers and "Need ibuprofen" not in offers
    assert "newest first" in offers


@pytest.mark.django_db
def test_nearest_first_is_one_link_that_keeps_the_tab_and_place(client: Client) -> None:
    page = feed(client, kind="offer", place="changping")
    assert 'href="?kind=offer&amp;place=changping&amp;sort=distance">Show nearest first</a>' in (
        page
    )
    back = feed(client, kind="offer", place="changping", sort="distance")
    assert "Show newest first</a>" in back


def test_a_members_own_open_posts_come_first_with_one_tap_resolved(
    client: Client, alice: User, bob: User
) -> None:
    mine = create_post(owner=alice, draft=draft(title="My own need"))
    create_post(owner=bob, draft=draft(title="Bob's need", tags=("infant",)))
    client.force_login(alice)
    page = feed(client)
    assert page.index("My own need") < page.index("Your open posts") + 400
    assert page.index("My own need") < page.index("Bob&#x27;s need")
    assert page.count("My own need") == 1  # not again in the feed below
    assert f'action="/posts/{mine.pk}/status"' in page
    r = client.post(f"/posts/{mine.pk}/status", {"status": "fulfilled", "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"
    mine.refresh_from_db()
    assert mine.status == "fulfilled"
    assert "Your open posts" not in feed(client)


def test_a_stale_own_need_offers_still_needed(client: Client, alice: User) -> None:
    need = create_post(owner=alice, draft=draft(title="My own need"))
    client.force_login(alice)
    assert f'action="/posts/{need.pk}/still-needed"' not in feed(client)
    Post.objects.filter(pk=need.pk).update(created_at=need.created_at - timedelta(days=2))
    assert f'action="/posts/{need.pk}/still-needed"' in feed(client)


def test_resolved_elsewhere_still_goes_to_the_post(client: Client, alice: User) -> None:
    mine = create_post(owner=alice, draft=draft(title="My own need"))
    client.force_login(alice)
    elsewhere = {"status": "fulfilled", "next": "https://x.example/"}
    r = client.post(f"/posts/{mine.pk}/status", elsewhere)
    assert r["Location"] == f"/posts/{mine.pk}"


@pytest.mark.django_db
def test_big_buttons_for_the_most_needed_items(client: Client, settings: Any) -> None:
    settings.HUZHU_MOST_NEEDED_ITEMS = ["antigen-test", "amoxicillin", "ibuprofen"]
    page = client.get("/", headers={"accept-language": "zh-hans"}).content.decode()
    assert 'href="/posts/new?kind=need&amp;item=antigen-test"' in page
    assert page.index("item=antigen-test") < page.index("item=ibuprofen")
    assert "item=amoxicillin" not in page  # prescription only: never offered
    assert ">布洛芬</a>" in page


def test_the_post_form_offers_postable_items_most_needed_first(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get("/posts/new", {"kind": "need", "item": "ibuprofen"}).content.decode()
    assert '<optgroup label="Most needed">' in page
    first = page.index('<optgroup label="Most needed">')
    assert page.index('value="ibuprofen" selected', first) < page.index("</optgroup>", first)
    assert 'value="amoxicillin"' not in page and 'value="fentanyl"' not in page
    alerts = client.get("/me/alerts").content.decode()
    assert 'value="amoxicillin"' not in alerts
