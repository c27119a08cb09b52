"""Alerts in a real browser on a phone without JavaScript: save one, hear of a match.

Bob saves an alert from the navigation, alice posts a need nearby, the worker's fan-out
runs, and bob follows the inbox entry to the post. Any console error, failed request or
error status fails the journey. Screenshots land in test-artifacts/.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from huzhu.conftest import draft, make_user
from huzhu.exchanges.alerts import notify_matching_alerts
from huzhu.exchanges.models import Alert
from huzhu.posts.services import create_post
from huzhu.web.tests.browsing import CHAOYANG, log_in, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from open_page(browser, live_server, javascript=False)


def test_save_an_alert_and_follow_a_match(phone: Page) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    log_in(phone, bob)
    phone.get_by_text("Me", exact=True).click()  # the folded menu
    phone.get_by_role("link", name="Alerts").click()
    phone.get_by_label("needs").check()
    phone.get_by_label("Item").select_option("ibuprofen")
    phone.get_by_label("Around").select_option("chaoyang")
    phone.get_by_label("Within").select_option("3")
    phone.get_by_role("button", name="Save alert").click()
    expect(phone.get_by_text("Alert saved.")).to_be_visible()
    expect(phone.get_by_text("Need: Ibuprofen, within 3 km of Chaoyang")).to_be_visible()
    screenshot(phone, "alerts-phone")
    assert Alert.objects.get().user == bob

    need = create_post(
        owner=alice,
        draft=draft(title="Ibuprofen for my father", lat=CHAOYANG.lat + 0.005, lng=CHAOYANG.lng),
    )
    assert notify_matching_alerts(post_id=need.pk) == 1  # what the worker does on commit

    phone.get_by_role("link", name="Inbox").click()
    phone.get_by_role("link", name="Someone nearby needs what your alert is about").click()
    expect(phone.get_by_role("heading", name="Ibuprofen for my father")).to_be_visible()

    phone.goto("/me/notifications")
    phone.get_by_label("Quiet: send me no e-mail at all").check()
    # The e-mail choices' own form (the channels' form below has a Save button too).
    phone.locator("form:not(#channels)").get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Your notification settings are saved.")).to_be_visible()
    screenshot(phone, "notification-settings-phone")
