"""From the home page to a published need: at most three screens and four inputs.

The person is a verified newcomer (trust level 0, e-mail verified), signed in already, on a
phone at 390×844, in Chinese and in English, with the real posting rules on.

What counts:
- a screen is a page load in the main frame (a navigation: following a link or submitting
  a form); the counting starts with opening the home page, so home is screen 1.
- an input is a field the person fills in or chooses: typing into a text or number field,
  choosing in a drop-down, ticking a box. Taps on links and big buttons ("布洛芬", "Post it")
  are not inputs: they choose nothing a field holds, they move the person on; each one that
  loads a page is counted as a screen instead.
"""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Frame, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from huzhu.conftest import PASSWORD, make_user
from huzhu.posts.models import Post
from huzhu.trust.models import VerifiedEmail
from huzhu.web.tests.browsing import open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"zh-Hans": "zh-CN", "en": "en-GB"}
MAX_SCREENS, MAX_INPUTS = 3, 4


class Counter:
    """Screens (main-frame navigations) and inputs (fields filled or chosen)."""

    def __init__(self, page: Page) -> None:
        self.page, self.screens, self.inputs = page, 0, 0
        page.on("framenavigated", self.on_navigated)

    def on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.screens += 1

    def fill(self, field: Locator, value: str) -> None:
        self.inputs += 1
        field.fill(value)

    def choose(self, field: Locator, value: str) -> None:
        self.inputs += 1
        field.select_option(value)

    def tick(self, field: Locator) -> None:
        self.inputs += 1
        field.check()


@pytest.mark.parametrize("language", list(LOCALES))
def test_a_verified_newcomer_publishes_a_need_in_three_screens_and_four_inputs(
    browser: Browser, live_server: LiveServer, settings: Any, language: str
) -> None:
    settings.HUZHU_POSTING_CHECKS = True  # the real rules: a first need goes out at once
    dora = make_user("dora")
    VerifiedEmail.objects.create(user=dora, address="dora@example.org", verified_at=timezone.now())
    for page in open_page(browser, live_server, javascript=True, locale=LOCALES[language]):
        page.goto("/login")
        page.locator("#id_username").fill(dora.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url(lambda url: "/login" not in url)

        count = Counter(page)
        page.goto("/")  # screen 1
        page.locator(".most-needed a[href*='item=ibuprofen']").first.click()  # screen 2
        page.wait_for_url("**/posts/new?*")
        expect(page.locator("#id_item")).to_have_value("ibuprofen")  # the button chose it
        count.fill(page.locator("#id_quantity"), "4")
        count.choose(page.locator("#id_place"), "chaoyang")
        count.tick(page.locator("input[name='tags'][value='elderly']"))
        screenshot(page, f"post-in-three-{language}")
        page.locator("form[data-post-form] button[type='submit']").click()  # screen 3
        page.wait_for_url("**/posts/*")
        page.wait_for_load_state()

        post = Post.objects.get(owner=dora)
        assert post.status == Post.Status.OPEN
        assert not post.held_reason  # public at once, no moderator in the way
        assert post.quantity == 4
        expect(page.get_by_role("heading", level=1)).to_have_text(post.title)
        assert count.screens <= MAX_SCREENS, count.screens
        assert count.inputs <= MAX_INPUTS, count.inputs
