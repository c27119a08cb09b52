"""The feed's search box in a real browser: typed, then Enter, with htmx (the feed swapped in
place, the address pushed) and without JavaScript (a plain GET of the page)."""

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from huzhu.conftest import draft, make_user
from huzhu.posts.services import create_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level
from huzhu.web.tests.browsing import CHAOYANG, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "plain"])
def test_searching_the_feed_by_a_brand_name_in_chinese(
    browser: Browser, live_server: LiveServer, javascript: bool
) -> None:
    bob = make_user("bob")
    set_level(bob, Level.MEMBER)
    near = {"lat": CHAOYANG.lat, "lng": CHAOYANG.lng}
    create_post(owner=bob, draft=draft(title="老人发烧急需", **near))  # ibuprofen
    create_post(
        owner=bob,
        draft=draft(title="求抗原", category="test_kits", item="antigen-test", **near),
    )
    for page in open_page(browser, live_server, javascript=javascript, locale="zh-CN"):
        page.goto("/?place=chaoyang")
        feed = page.locator("#feed")
        expect(feed.get_by_text("求抗原")).to_be_visible()
        page.locator("#id_q").fill("芬必得")  # a brand of ibuprofen, one of its aliases
        page.locator("#id_q").press("Enter")
        page.wait_for_url("**/?*q=*")
        expect(feed.get_by_text("老人发烧急需")).to_be_visible()
        expect(feed.get_by_text("求抗原")).to_have_count(0)
        assert "place=chaoyang" in page.url  # the search stays where the feed was
        screenshot(page, f"feed-search-zh-{'htmx' if javascript else 'plain'}")

        page.locator("#id_q").fill("青霉素")
        page.locator("#id_q").press("Enter")
        expect(feed.locator(".empty")).to_contain_text("青霉素")
