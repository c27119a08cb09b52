"""A report, end to end in a real browser: a neighbour reports a post, a moderator upholds
it in the console, the post leaves the public view, the reporter hears the outcome, and the
public moderation log shows the action without a name."""

from collections.abc import Iterator

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from huzhu.accounts.models import User
from huzhu.conftest import draft, make_user
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.web.tests.browsing import log_in, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reported_post() -> Post:
    return create_post(owner=make_user("alice"), draft=draft(title="Spare fever medicine"))


def phone(browser: Browser, live_server: LiveServer, user: User) -> Iterator[Page]:
    for page in open_page(browser, live_server, javascript=True):
        log_in(page, user)
        yield page


def test_a_moderator_handles_a_report_from_start_to_finish(
    browser: Browser, live_server: LiveServer, reported_post: Post
) -> None:
    bob = make_user("bob")
    for page in phone(browser, live_server, bob):
        page.goto(f"/posts/{reported_post.pk}")
        page.get_by_role("link", name="Report this post to the moderators").click()
        page.get_by_label("Selling or asking for money").check()
        page.get_by_label("Details").fill("They asked me to pay by transfer first.")
        screenshot(page, "report-phone")
        page.get_by_role("button", name="Send the report").click()
        assert page.get_by_text("The moderators will look at it").is_visible()

    mo = make_user("mo")
    User.objects.filter(pk=mo.pk).update(is_staff=True)
    for page in phone(browser, live_server, mo):
        page.locator(".nav-more summary").click()
        page.get_by_role("link", name="Moderation", exact=True).click()
        page.get_by_role("link", name=f"post {reported_post.pk}").click()
        assert page.get_by_text("They asked me to pay by transfer first.").is_visible()
        page.get_by_label("Rule").select_option("gift_only")
        page.get_by_label("Reason", exact=True).fill("Asked for payment before the hand-over.")
        page.get_by_role("button", name="Uphold (and hide a post)").click()
        assert page.locator("dd", has_text="hidden pending review").is_visible()
        screenshot(page, "moderation-upheld-phone")

    reported_post.refresh_from_db()
    assert reported_post.hidden_at is not None
    assert reported_post.rank is None  # out of every listing

    assert Client().get(f"/posts/{reported_post.pk}").status_code == 404  # to the public

    for page in phone(browser, live_server, bob):
        page.get_by_role("link", name="Inbox").click()
        assert page.get_by_text(
            "The moderators agreed with your report and acted on it."
        ).is_visible()
        page.goto("/moderation-log")
        log = page.locator("main").inner_text()
        assert "mo" not in log.split()  # no moderator's name
        assert "Spare fever medicine" not in log  # nor what was moderated
