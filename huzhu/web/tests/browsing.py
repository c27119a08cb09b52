"""Browser-test helpers shared by every journey: Debian's Chromium through Playwright.

The `browser` fixture itself lives in huzhu/conftest.py so that every app's journeys share it.
"""

from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, ViewportSize
from pytest_django.live_server_helper import LiveServer

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD
from huzhu.places import DISTRICTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The phone stands a few hundred metres from Chaoyang's centre, one of the demo districts.
CHAOYANG = next(place for place in DISTRICTS if place.code == "chaoyang")
PHONE: ViewportSize = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


class Problems:
    """Everything that went wrong in the page, collected from Playwright's events."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))
        page.on("requestfailed", self.on_request_failed)
        page.on("response", self.on_response)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.seen.append(f"console: {message.text}")

    def on_request_failed(self, request: Request) -> None:
        # The browser cancels a page's own requests (net::ERR_ABORTED) when the journey moves
        # on before that page finished loading its stylesheet or script: the page did nothing
        # wrong. A server that fails shows up as an error status or another net:: error.
        if request.failure == "net::ERR_ABORTED":
            return
        self.seen.append(f"failed: {request.method} {request.url} {request.failure}")

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.seen.append(f"HTTP {response.status}: {response.url}")


def open_page(
    browser: Browser, live_server: LiveServer, *, javascript: bool, locale: str = "en-GB"
) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
        base_url=live_server.url,
        geolocation={"latitude": CHAOYANG.lat + 0.004, "longitude": CHAOYANG.lng},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = Problems(page)
    yield page
    # Closing aborts whatever is in flight (the relay polls every few seconds): those
    # aborts are ours, not the page's, so stop listening first.
    seen = list(problems.seen)
    context.close()
    assert seen == [], seen


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def log_in(page: Page, user: User) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


# axe-core, vendored from npm for the tests only (never served): see its VERSION file.
AXE = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "axe-core" / "axe.min.js"
# Every default rule, and contrast at 7:1 (WCAG AAA) for body and secondary text: older
# eyes on cheap screens in daylight.
AXE_OPTIONS = {"rules": {"color-contrast-enhanced": {"enabled": True}}}
_AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => `${v.impact} ${v.id}: ${v.help} — ` +
    v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(" | "));
}"""


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each (impact, rule, where).

    Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[str] = page.evaluate(_AXE_RUN, AXE_OPTIONS)
    return violations
