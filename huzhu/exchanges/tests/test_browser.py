"""An exchange in two real browsers: respond to a need, chat, reveal, complete.

Bob uses a phone with JavaScript (the thread updates by htmx polling); alice uses one
without (every action is a plain form). Any console error, failed request or error
status fails the journey. Screenshots land in test-artifacts/.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from huzhu.conftest import draft, make_user
from huzhu.exchanges.models import Exchange
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.web.tests.browsing import log_in, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_NUMBER = "138 1234 5678"


@pytest.fixture
def bobs_phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from open_page(browser, live_server, javascript=True)


@pytest.fixture
def alices_phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from open_page(browser, live_server, javascript=False)


def test_respond_chat_reveal_and_complete(bobs_phone: Page, alices_phone: Page) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    need = create_post(owner=alice, draft=draft(title="Ibuprofen for my father", quantity=2))

    # Bob responds from the post page.
    log_in(bobs_phone, bob)
    bobs_phone.goto(f"/posts/{need.pk}")
    bobs_phone.get_by_label("How many").fill("2")
    bobs_phone.get_by_label("Message").fill(f"I have a box. Call me: {PHONE_NUMBER}")
    bobs_phone.get_by_role("button", name="I can give this").click()
    expect(bobs_phone.get_by_text("Sent. The post's owner can now accept")).to_be_visible()
    expect(bobs_phone.get_by_text("You give 2 tablets to Alice")).to_be_visible()
    expect(bobs_phone.get_by_text("Call me: [contact hidden]")).to_be_visible()
    exchange = Exchange.objects.get()

    # Alice finds it in her inbox, accepts and answers, all without JavaScript.
    log_in(alices_phone, alice)
    alices_phone.get_by_role("link", name="Inbox").click()
    alices_phone.get_by_role("link", name="Bob responded to your post").click()
    expect(alices_phone.get_by_text("Bob gives you 2 tablets")).to_be_visible()
    assert PHONE_NUMBER not in alices_phone.content()
    alices_phone.get_by_role("button", name="Accept").click()
    expect(alices_phone.get_by_text("Accepted. The quantity is set aside")).to_be_visible()
    alices_phone.get_by_label("Write a message").fill("Thank you! Tonight at 7 by the north gate?")
    alices_phone.get_by_role("button", name="Send").click()
    screenshot(alices_phone, "exchange-accepted-phone")

    # Bob's open page shows her message by polling, without a reload.
    expect(bobs_phone.get_by_text("Tonight at 7 by the north gate?")).to_be_visible(timeout=15_000)

    # Contact details show only once both agree.
    bobs_phone.reload()
    bobs_phone.get_by_role("button", name="Agree to share contact details").click()
    expect(bobs_phone.get_by_text("Nothing is shown until Alice agrees too")).to_be_visible()
    alices_phone.reload()
    assert PHONE_NUMBER not in alices_phone.content()
    alices_phone.get_by_role("button", name="Agree to share contact details").click()
    expect(alices_phone.locator("#contact-title + p + ul")).to_contain_text(PHONE_NUMBER)
    expect(alices_phone.get_by_text(f"Call me: {PHONE_NUMBER}")).to_be_visible()

    # Bob hands over; alice confirms receipt; the need is fulfilled.
    bobs_phone.reload()
    bobs_phone.get_by_role("button", name="Yes, I handed it over").click()
    alices_phone.reload()
    alices_phone.get_by_role("button", name="Yes, I received it").click()
    expect(alices_phone.get_by_text("Thank you for closing the loop.")).to_be_visible()
    expect(alices_phone.get_by_text("read-only")).to_be_visible()
    screenshot(alices_phone, "exchange-completed-phone")
    assert Exchange.objects.get(pk=exchange.pk).status == "completed"
    assert Post.objects.get(pk=need.pk).status == "fulfilled"
