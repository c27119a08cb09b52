"""Security configuration: headers on every page, no inline script, safe cookies, deploy checks."""

import logging
import re
from pathlib import Path

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.tests.processes import child_env, run_huzhu, run_python

TEMPLATES = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/posts/new"])
def test_every_html_page_carries_the_security_headers(path: str) -> None:
    response = Client().get(path, follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response  # plain HTTP here: no HSTS


@pytest.mark.django_db
def test_hsts_is_sent_over_tls_when_configured(settings: object) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_inline_script_style_or_handlers() -> None:
    offenders = []
    templates = list(TEMPLATES.glob("*/templates/**/*.html"))
    assert len(templates) >= 5, "the scan found no templates: is the path right?"
    for template in templates:
        text = template.read_text(encoding="utf-8")
        inline_script = re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text)
        if inline_script or re.search(r"\sstyle=|\son[a-z]+=|<style", text):
            offenders.append(str(template))
    assert offenders == []


def test_session_cookie_is_httponly_and_samesite(alice: User) -> None:
    client = Client()
    response = client.post(
        "/login", {"username": "alice", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    env = child_env(
        tmp_path / "data",
        HUZHU_HTTPS="1",
        ALLOWED_HOSTS="huzhu.example.org",
        HUZHU_ALLOW_OUTBOX="1",  # no real gateway here (accounts/tests/test_outbox_retention)
    )
    run_huzhu("check", "--deploy", "--fail-level", "WARNING", env=env)
    printed = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS > 0)",
        env=env,
    )
    assert printed.stdout.split() == ["True"] * 5, printed.stderr


@pytest.mark.django_db
def test_logs_carry_no_coordinates_or_contact_details(
    alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    from huzhu.accounts.services import issue_token

    lat, lng, email = "39.90421234", "116.40745678", "alice@example.org"
    caplog.set_level(logging.DEBUG)
    client = Client(headers={"Authorization": f"Bearer {issue_token(user=alice).secret}"})
    body = {
        "kind": "need",
        "title": f"write {email}",
        "category": "medicine",
        "quantity": 2000,
        "lat": lat,
        "lng": lng,
    }
    client.post("/api/v1/posts", body, content_type="application/json")  # 422: logged
    client.get("/api/v1/posts", {"lat": lat, "lng": lng, "radius_km": "99"})  # 422: logged
    client.get("/api/v1/posts/999999", {"lat": lat})  # 404: logged
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for secret in (lat, lng, lat[:6], email):
        assert secret not in logged
