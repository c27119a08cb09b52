"""The shared layout: navigation, the language switch, Chinese pages, CSP-safe markup."""

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.web.tests.helpers import inline_code

pytestmark = pytest.mark.django_db


def test_it_offers_log_in_and_sign_up_to_visitors(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'href="/login"' in page
    assert 'href="/signup"' in page
    assert 'href="/me/posts"' not in page


def test_it_offers_my_posts_and_log_out_to_members(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert 'href="/me/posts"' in page
    assert 'action="/logout" method="post"' in page
    assert 'href="/login"' not in page


def test_it_vendors_htmx_without_inline_styles(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'src="/static/web/vendor/htmx.min.js"' in page
    assert '"includeIndicatorStyles": false' in page
    assert "//" not in page.split("htmx.min.js")[0].split("<script")[-1]  # no CDN


def test_it_serves_chinese_to_a_chinese_browser(client: Client) -> None:
    page = client.get("/", headers={"Accept-Language": "zh-Hans"}).content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "我需要" in page
    assert "我能提供" in page
    assert "I need" not in page


def test_it_serves_chinese_for_mainland_locales(client: Client) -> None:
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).content.decode()
    assert "我需要" in page


def test_it_switches_language_without_javascript(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'action="/i18n/setlang/" method="post"' in page
    assert 'name="language" value="zh-hans"' in page
    r = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/?kind=need"})
    assert r.status_code == 302
    assert r["Location"] == "/?kind=need"
    page = client.get("/").content.decode()
    assert "我需要" in page
    assert 'name="language" value="en"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "I need" in client.get("/").content.decode()


def test_it_refuses_a_post_without_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/logout").status_code == 403
    assert client.post("/posts/new", {"kind": "need"}).status_code == 403


def test_it_sends_a_content_security_policy(client: Client) -> None:
    r = client.get("/")
    policy = r["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/no-such-page"])
def test_it_renders_pages_without_inline_code(client: Client, path: str) -> None:
    assert inline_code(client.get(path).content.decode()) == []


def test_it_renders_a_friendly_not_found_page(client: Client) -> None:
    r = client.get("/no-such-page", headers={"Accept-Language": "zh-Hans"})
    assert r.status_code == 404
    assert "互助" in r.content.decode()
