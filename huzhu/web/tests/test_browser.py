"""The core journey in a real browser: Debian's headless Chromium driven by Playwright.

Open home, switch to Chinese and back, sign up, post a need with the manual location, find
it in the nearby feed (through the browser's geolocation). Any console error, failed
request or error response fails the journey. Screenshots land in test-artifacts/.
"""

from collections.abc import Iterator

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from huzhu.conftest import PASSWORD, draft, make_user
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level
from huzhu.web.tests.browsing import CHAOYANG, log_in, open_page, screenshot

# The live server needs committed data: these tests are transactional.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from open_page(browser, live_server, javascript=True)


@pytest.fixture
def phone_without_javascript(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from open_page(browser, live_server, javascript=False)


def switch_language(page: Page) -> None:
    page.locator("form.language-switch button").click()
    page.wait_for_load_state()


def test_a_neighbour_posts_a_need_and_finds_it_nearby(phone: Page) -> None:
    page = phone
    page.goto("/")
    assert page.get_by_role("link", name="I need").is_visible()

    switch_language(page)
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("link", name="我需要").is_visible()
    screenshot(page, "home-zh-phone")
    switch_language(page)
    assert page.get_by_role("link", name="I need").is_visible()

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("neighbour")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Password again").fill("a long enough passphrase")
    page.get_by_role("button", name="Create my account").click()
    assert page.get_by_text("You are logged in.").is_visible()

    page.get_by_role("link", name="I need").click()
    assert page.get_by_label("Something I need").is_checked()
    page.get_by_label("Item", exact=True).select_option("ibuprofen")
    page.get_by_label("Title").fill("Fever medicine for my grandmother")
    page.get_by_label("How many").fill("6")
    page.get_by_label("Elderly").check()
    page.get_by_label("Choose a district").select_option("chaoyang")
    review = page.locator("[data-review]")
    assert "Fever medicine for my grandmother" in review.inner_text()
    assert "Chaoyang" in review.inner_text()
    screenshot(page, "post-form-phone")
    page.get_by_role("button", name="Post it").click()

    assert page.get_by_text("Your post is up.").is_visible()
    assert page.get_by_role("heading", name="Fever medicine for my grandmother").is_visible()
    assert page.get_by_text("6 tablets").is_visible()
    assert "near Chaoyang" in page.locator(".facts").inner_text()
    screenshot(page, "post-page-phone")
    post = Post.objects.get()
    assert (post.lat, post.lng) == (CHAOYANG.lat, CHAOYANG.lng)

    page.get_by_role("link", name="Home").click()
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url("**/?*lat=*")
    assert page.get_by_text("Within 5 km of your location").is_visible()
    card = page.locator(".card", has_text="Fever medicine for my grandmother")
    assert card.get_by_text("less than 1 km away").is_visible()
    assert card.get_by_text("Elderly").is_visible()
    screenshot(page, "feed-phone")
    card.get_by_role("link").click()
    assert page.get_by_role("heading", name="Status history").is_visible()


def zh(text: str) -> str:
    """The Chinese the page shows for `text`: the test reads the catalogue, not a copy of it."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_a_neighbour_in_chinese_posts_a_need_and_finds_it(
    browser: Browser, live_server: LiveServer
) -> None:
    """The same journey for a browser that asks for Chinese, without touching the switch."""
    for page in open_page(browser, live_server, javascript=True, locale="zh-CN"):
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        page.get_by_role("link", name=zh("Sign up")).click()
        page.get_by_label(zh("Username")).fill("linju")
        page.get_by_label(zh("Password"), exact=True).fill("a long enough passphrase")
        page.get_by_label(zh("Password again")).fill("a long enough passphrase")
        page.get_by_role("button", name=zh("Create my account")).click()
        assert page.locator(".nav-more summary", has_text=zh("Me")).is_visible()  # logged in

        page.get_by_role("link", name=zh("I need")).click()
        page.get_by_label(zh("Item"), exact=True).select_option("antigen-test")
        page.get_by_label(zh("Title")).fill("家里老人需要抗原检测")
        page.get_by_label(zh("How many")).fill("2")
        page.get_by_label(zh("Elderly")).check()
        page.get_by_label(zh("Choose a district")).select_option("chaoyang")
        screenshot(page, "post-form-zh-phone")
        page.get_by_role("button", name=zh("Post it")).click()
        assert page.get_by_text(
            zh("Your post is up. Neighbours nearby can see it now.")
        ).is_visible()
        assert page.get_by_role("heading", name="家里老人需要抗原检测").is_visible()
        screenshot(page, "post-page-zh-phone")

        page.get_by_role("link", name=zh("Home")).click()
        page.get_by_role("button", name=zh("Use my location")).click()
        page.wait_for_url("**/?*lat=*")
        card = page.locator(".card", has_text="家里老人需要抗原检测")
        assert card.locator(".chip", has_text=zh("Elderly")).is_visible()
        screenshot(page, "feed-zh-phone")


def test_everything_works_without_javascript(phone_without_javascript: Page) -> None:
    page = phone_without_javascript
    log_in(page, make_user("dora"))
    page.get_by_role("link", name="I can give").click()
    assert page.locator("[data-geolocate]").is_hidden()  # it needs JavaScript
    page.get_by_label("Item", exact=True).select_option("rice")
    page.get_by_label("Title").fill("Two bags of rice")
    page.get_by_label("How many").fill("2")
    page.get_by_text("Or type latitude and longitude").click()
    page.get_by_label("Latitude").fill(str(CHAOYANG.lat))
    page.get_by_label("Longitude").fill(str(CHAOYANG.lng))
    page.get_by_role("button", name="Post it").click()
    assert page.get_by_text("Your post is up.").is_visible()

    page.get_by_role("button", name="Withdraw").click()
    assert page.get_by_text("Your post is withdrawn.").is_visible()
    assert page.locator(".timeline").get_by_text("Withdrawn").is_visible()

    page.get_by_role("button", name="中文").click()
    assert page.get_by_role("heading", name="状态记录").is_visible()
    page.locator(".nav-more summary").click()  # the folded menu: 我的
    page.get_by_role("button", name="退出").click()
    assert page.get_by_role("link", name="登录").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "plain"])
def test_more_loads_the_next_page(
    browser: Browser, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, javascript: bool
) -> None:
    alice = make_user("alice")
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    for number in range(5):
        create_post(owner=alice, draft=draft(title=f"Post number {number}"))
    # Two posts a page through the real search and its cursor; the five posts are equally
    # urgent, so the newest (highest id) order is… by rank, then id: oldest first.
    monkeypatch.setattr("huzhu.web.views.FEED_PAGE_SIZE", 2)
    for page in open_page(browser, live_server, javascript=javascript):
        page.goto("/?kind=need")
        assert page.locator(".card").count() == 2
        page.get_by_role("link", name="More").click()
        if javascript:  # appended in place, the address stays
            page.locator(".card").nth(3).wait_for()
            assert page.locator(".card").count() == 4
            assert page.url.endswith("/?kind=need")
            page.get_by_role("link", name="More").click()
            page.locator(".card").nth(4).wait_for()
            assert page.get_by_role("link", name="More").count() == 0
        else:  # the next page on its own, once it has loaded
            page.wait_for_url("**/?kind=need&cursor=*")
            page.wait_for_load_state()
            expect(page.locator(".card")).to_have_count(2)
            assert page.get_by_text("Post number 2").is_visible()


def test_the_feed_tabs_in_chinese_on_a_phone(browser: Browser, live_server: LiveServer) -> None:
    """Needs and offers in two tabs, nearest first in one tap, one's own post first with a
    one-tap "resolved"."""
    bob = make_user("bob")
    set_level(bob, Level.MEMBER)
    near = {"lat": CHAOYANG.lat, "lng": CHAOYANG.lng}
    create_post(owner=bob, draft=draft(title="邻居求布洛芬", **near))
    create_post(
        owner=bob,
        draft=draft(
            title="多余的大米", kind="offer", category="food", item="rice", tags=(), **near
        ),
    )
    dora = make_user("dora")
    create_post(owner=dora, draft=draft(title="我家老人要退烧药", **near))
    for page in open_page(browser, live_server, javascript=True, locale="zh-CN"):
        page.goto("/login")
        page.get_by_label(zh("Username")).fill("dora")
        page.get_by_label(zh("Password")).fill(PASSWORD)
        page.get_by_role("button", name=zh("Log in")).click()
        page.goto("/?place=chaoyang")
        tabs = page.locator(".feed-tabs")
        expect(tabs.get_by_role("link", name=zh("Needs near me"))).to_have_attribute(
            "aria-current", "page"
        )
        own = page.locator(".own-posts")
        expect(own.locator(".card", has_text="我家老人要退烧药")).to_be_visible()
        feed = page.locator("#feed")
        expect(feed.locator(".card", has_text="邻居求布洛芬")).to_be_visible()
        expect(feed.get_by_text("多余的大米")).to_have_count(0)
        screenshot(page, "feed-tabs-zh-phone")

        tabs.get_by_role("link", name=zh("Offered near me")).click()
        expect(feed.locator(".card", has_text="多余的大米")).to_be_visible()
        expect(feed.get_by_text("邻居求布洛芬")).to_have_count(0)
        page.get_by_role("link", name=zh("Show nearest first")).click()
        page.wait_for_url("**/?*sort=distance*")
        assert "kind=offer" in page.url
        expect(feed.locator(".card", has_text="多余的大米")).to_be_visible()

        own.get_by_role("button", name=zh("Resolved")).click()
        expect(page.locator(".own-posts")).to_have_count(0)
        assert Post.objects.get(title="我家老人要退烧药").status == "fulfilled"


def test_switching_language_keeps_a_half_typed_form(
    browser: Browser, live_server: LiveServer
) -> None:
    dora = make_user("dora")
    for page in open_page(browser, live_server, javascript=True):
        log_in(page, dora)
        page.goto("/posts/new?kind=need")
        page.get_by_label("Title").fill("Fever medicine for my grandmother")
        page.get_by_label("How many").fill("3")
        page.get_by_label("Elderly").check()
        expect(page.get_by_label("Expiry date")).to_be_hidden()  # a need has none
        switch_language(page)
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        expect(page.get_by_label(zh("Title"))).to_have_value("Fever medicine for my grandmother")
        expect(page.get_by_label(zh("How many"))).to_have_value("3")
        expect(page.get_by_label(zh("Elderly"))).to_be_checked()
