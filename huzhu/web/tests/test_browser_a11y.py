"""axe-core on the main pages, at 390×844, in Chinese and English: no violation at all.

The pages a newcomer meets on day one: home (visitor and member, with an own post), sign-in,
the post form (with its map picker), the members' map, a post, an exchange, the inbox, the
trust page and the transparency page.
Every default axe rule runs, plus contrast at 7:1 (`color-contrast-enhanced`).
"""

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD, draft, make_user
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.web.tests.browsing import CHAOYANG, axe_violations, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"zh-Hans": "zh-CN", "en": "en-GB"}


def check(page: Page, path: str, found: dict[str, list[str]], who: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    if violations:
        found[f"{who} {path}"] = violations


def log_in_as(page: Page, user: User) -> None:
    """The sign-in form by its fields' ids: the same in either language."""
    page.goto("/login")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.mark.parametrize("language", list(LOCALES))
def test_the_main_pages_have_no_axe_violations(
    browser: Browser, live_server: LiveServer, language: str
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    near = {"lat": CHAOYANG.lat, "lng": CHAOYANG.lng}
    need = create_post(owner=alice, draft=draft(title="家里老人发烧，求布洛芬", **near))
    exchange = respond_to_post(post=need, responder=bob, quantity=2, message="我有，下午可以送")
    found: dict[str, list[str]] = {}
    for page in open_page(browser, live_server, javascript=True, locale=LOCALES[language]):
        for path in ["/", "/?q=%E5%B8%83%E6%B4%9B%E8%8A%AC", "/login", "/transparency"]:
            check(page, path, found, "visitor")
        check(page, f"/posts/{need.pk}", found, "visitor")
        assert page.locator("html").get_attribute("lang") == language
        log_in_as(page, alice)
        for path in [
            "/",
            "/posts/new?kind=need",
            "/map",
            f"/posts/{need.pk}",
            f"/exchanges/{exchange.pk}",
            "/me/inbox",
            "/me/trust",
        ]:
            check(page, path, found, "member")
    report = "\n".join(f"{where}: {line}" for where, lines in found.items() for line in lines)
    assert found == {}, report
