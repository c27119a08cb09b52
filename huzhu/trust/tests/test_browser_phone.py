"""The phone-only journey in Chromium at phone size: sign up with a code by SMS (no
username, no password), post a need, and hear of a response by SMS; the navigation counts
the unread notification."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import make_user
from huzhu.exchanges.services import respond_to_post
from huzhu.exchanges.tests.test_texting import run_text_tasks
from huzhu.posts.models import Post
from huzhu.trust.tests.helpers import PHONE, last_code
from huzhu.web.tests.browsing import open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from open_page(browser, live_server, javascript=True)


def test_a_phone_only_neighbour_signs_up_by_sms_posts_and_hears_by_sms(phone: Page) -> None:
    page = phone
    page.goto("/login")
    page.get_by_role("link", name="Sign in or sign up with your phone").click()
    page.get_by_label("Mobile phone number").fill("138 1234 5678")
    page.get_by_role("button", name="Text me a code").click()
    assert page.get_by_text("We have sent a code to this number by SMS.").is_visible()
    page.get_by_label("Code from the SMS").fill(last_code(PHONE))
    page.get_by_label("Name others see (new accounts only)").fill("Mei")
    screenshot(page, "phone-sign-in-code")
    page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.get_by_text("Welcome, Mei.").is_visible()
    mei = User.objects.get(display_name="Mei")
    assert not mei.has_usable_password()

    page.get_by_role("link", name="I need").click()
    page.get_by_label("Item", exact=True).select_option("ibuprofen")
    page.get_by_label("Title").fill("Fever medicine for my grandmother")
    page.get_by_label("How many").fill("6")
    page.get_by_label("Choose a district").select_option("chaoyang")
    page.get_by_role("button", name="Post it").click()
    assert page.get_by_text("Your post is up.").is_visible()

    bob = make_user("bob")
    respond_to_post(post=Post.objects.get(), responder=bob, quantity=2, message="I have some")
    assert run_text_tasks() == ["texted"]
    sms = OutboxMessage.objects.filter(to=PHONE).latest("id").body
    assert "Bob" in sms and "/exchanges/" in sms

    page.reload()
    assert page.locator(".unread-count").inner_text() == "1"
    screenshot(page, "phone-unread-count")
