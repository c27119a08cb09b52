"""The home-screen app: a manifest with icons, a service worker from the root, an offline
page; and, in Chromium, an installable page whose worker shows the offline page."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from huzhu.web.tests.browsing import PHONE


def test_the_manifest_names_the_app_and_its_icons(db: None) -> None:
    answer = Client().get("/manifest.webmanifest")
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert manifest["display"] == "standalone"
    assert manifest["short_name"] == "互助"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/")  # vendored, no CDN
        assert finders.find(icon["src"].removeprefix("/static/")) is not None


def test_the_worker_is_served_from_the_root_and_caches_the_offline_page(db: None) -> None:
    answer = Client().get("/sw.js")
    assert answer["Content-Type"].startswith("text/javascript")
    assert "no-cache" in answer["Cache-Control"]
    text = answer.content.decode()
    assert '"/offline"' in text and "htmx" in text
    assert "http" not in text.replace("self.location.origin", "")  # nothing from elsewhere


def test_every_page_links_the_manifest(db: None) -> None:
    page = Client().get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert Client().get("/offline").status_code == 200


@pytest.mark.browser
def test_chromium_finds_the_app_installable_and_shows_the_offline_page(
    browser: object, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where nothing installs; nothing else stands in
    # the way (a missing icon, worker or start URL would be listed here too).
    assert [error["errorId"] for error in errors] in ([], ["in-incognito"]), errors
    page.reload()  # now controlled by the worker
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.goto(f"{live_server.url}/posts?kind=need")
    assert "offline" in page.content().lower() or "离线" in page.content()
    context.close()
