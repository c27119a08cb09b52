"""The maps in a real browser, on a phone in Chinese: the members' map shows the posts'
markers (Leaflet over the server-drawn districts, no tiles), and the post form's map picker,
used with the keyboard, chooses the district a need is posted from. Any console error (a CSP
violation among them), failed request or error response fails the journey."""

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from huzhu.conftest import PASSWORD, draft, make_user
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.web.tests.browsing import ARTIFACTS, CHAOYANG, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def log_in_zh(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label(zh("Username")).fill(username)
    page.get_by_label(zh("Password")).fill(PASSWORD)
    page.get_by_role("button", name=zh("Log in")).click()
    page.wait_for_load_state()


def test_a_member_sees_the_map_and_posts_a_need_with_the_picker(
    browser: Browser, live_server: LiveServer
) -> None:
    giver, asker = make_user("giver"), make_user("asker")
    need = create_post(owner=giver, draft=draft(lat=CHAOYANG.lat, lng=CHAOYANG.lng))
    for i, (dlat, dlng) in enumerate([(0.02, -0.03), (-0.015, 0.02), (0.01, 0.035)]):
        create_post(
            owner=make_user(f"neighbour{i}"),
            draft=draft(title=f"需要退烧药 {i}", lat=CHAOYANG.lat + dlat, lng=CHAOYANG.lng + dlng),
        )
    for page in open_page(browser, live_server, javascript=True, locale="zh-CN"):
        log_in_zh(page, asker.username)
        page.goto("/?place=chaoyang")
        page.get_by_role("link", name=zh("Show on a map")).click()
        expect(page.get_by_role("heading", name=zh("Map of posts nearby"))).to_be_visible()
        expect(page.locator(".leaflet-container")).to_be_visible()
        expect(page.locator("[data-map-fallback]")).to_be_hidden()
        expect(page.locator(".map-pin--need")).to_have_count(4)
        pins = page.locator(f'.map-pin--need[title="{need.title}"]')
        expect(page.locator(".leaflet-overlay-pane svg .area-district").first).to_be_attached()
        screenshot(page, "map-zh-phone")
        pins.click()
        expect(page.locator(".leaflet-popup a", has_text=need.title)).to_be_visible()

        page.goto("/posts/new?kind=need")
        page.get_by_label(zh("Item"), exact=True).select_option("antigen-test")
        page.get_by_label(zh("How many")).fill("2")
        district = page.locator(".map-district", has_text=zh("Haidian"))
        district.focus()  # with the keyboard: Tab reaches it, Enter chooses it
        page.keyboard.press("Enter")
        expect(page.get_by_label(zh("Choose a district"))).to_have_value("haidian")
        expect(page.locator("[data-map-status]")).to_contain_text(zh("Haidian"))
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("[data-map-picker]").screenshot(path=ARTIFACTS / "map-picker-zh-phone.png")
        page.get_by_role("button", name=zh("Post it")).click()
        expect(
            page.get_by_text(zh("Your post is up. Neighbours nearby can see it now."))
        ).to_be_visible()
    posted = Post.objects.get(owner=asker)
    assert posted.item is not None and posted.item.code == "antigen-test"
    haidian_lat = 39.9593
    assert abs(posted.lat - haidian_lat) < 0.01  # the district's point, as the select gives


def test_without_javascript_the_map_is_the_servers_svg_and_a_list(
    browser: Browser, live_server: LiveServer
) -> None:
    giver, viewer = make_user("giver"), make_user("viewer")
    need = create_post(owner=giver, draft=draft(lat=CHAOYANG.lat, lng=CHAOYANG.lng))
    for page in open_page(browser, live_server, javascript=False, locale="zh-CN"):
        log_in_zh(page, viewer.username)
        page.goto("/map?place=chaoyang")
        expect(page.locator("[data-map-fallback] svg")).to_be_visible()
        expect(page.locator("[data-map-fallback] svg a .area-pin--need")).to_have_count(1)
        page.locator(".map-list").get_by_role("link", name=need.title).click()
        expect(page.get_by_role("heading", name=need.title)).to_be_visible()
        page.goto("/posts/new?kind=need")
        expect(page.locator("[data-map-picker]")).to_be_hidden()
        expect(page.get_by_label(zh("Choose a district"))).to_be_visible()
