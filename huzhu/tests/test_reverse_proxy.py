"""Huzhu behind Debian's nginx over HTTPS, with the files docs/DEPLOY.md ships.

`huzhu serve` runs with deploy/huzhu.env.example's values (only the data directory and
the port moved), nginx with deploy/nginx/huzhu.conf (only ports and folders moved, see
huzhu/tests/proxy.py) and a self-signed certificate where certbot would put one. Every
check goes through the proxy, as a browser on the internet would.
"""

import http.client
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from huzhu.tests.processes import PYTHON, child_env, run_huzhu
from huzhu.tests.proxy import (
    DEPLOY,
    SITE_NAME,
    Caddy,
    Nginx,
    Visitor,
    nginx_binary,
    read_env_file,
)
from huzhu.tests.serving import Server, free_port, scratch_database

pytestmark = pytest.mark.slow

PASSWORD = "a proxy is only as honest as its headers"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A public endpoint limited per client address (huzhu/safety/ratelimit.py).
ASK = "/api/v1/guidance/ask"
ASKS_PER_ADDRESS = 60
# The web form's fields, as huzhu/posts/tests/test_views.py fills them.
NEED = {
    "kind": "need",
    "item": "ibuprofen",
    "item_name": "",
    "category": "",
    "title": "Fever medicine for grandma",
    "quantity": "4",
    "unit": "",
    "tags": "elderly",
    "expires_on": "",
    "body": "She is 82.",
    "place": "chaoyang",
    "lat": "",
    "lng": "",
    "precision": "1000",
}
DRAFT = {"body": "May I give away the ibuprofen left from last winter?"}


def _require(binary: str, package: str) -> None:
    if shutil.which(binary) or (binary == "nginx" and nginx_binary()):
        return
    if os.geteuid() == 0:
        pytest.fail(f"{binary} is missing although we are root: run `make proxy-deps` (Debian)")
    pytest.skip(f"{binary} is not installed and we are not root to install it ({package})")


Proxy = Nginx | Caddy


@dataclass
class Site:
    server: Server
    proxies: dict[str, Proxy]


@dataclass
class Front:
    """One proxy in front of the site, and the addresses its visitors come from."""

    proxy: Proxy
    loopback: int  # visitors come from 127.0.0.<loopback + n>

    def visitor(self, offset: int = 0) -> Visitor:
        address = f"127.0.0.{self.loopback + offset}"
        return Visitor(self.proxy.https_port, self.proxy.certificate, address)


def deployed_env(data_dir: Path) -> dict[str, str]:
    """The shipped environment file's values; the test moves the data directory only."""
    env = child_env(data_dir)
    del env["HUZHU_RATE_LIMIT_SCALE"]  # a test switch: production counts (the default)
    env.update(read_env_file(DEPLOY / "huzhu.env.example"))
    env["HUZHU_DATA_DIR"] = str(data_dir)
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One `huzhu serve`, behind nginx and behind Caddy at once."""
    _require("nginx", "Debian: nginx-light")
    workdir = tmp_path_factory.mktemp("proxied")
    # SQLite, as the guide starts; a scratch PostgreSQL database under `make test-postgres`.
    with scratch_database(workdir, settings.DATABASE_URL) as scratch:
        env = deployed_env(workdir / "data")
        if scratch.get("DATABASE_URL"):
            env["DATABASE_URL"] = scratch["DATABASE_URL"]
        server = Server(["-m", "huzhu.cli", "serve"], env, workdir)
        proxies: dict[str, Proxy] = {
            "nginx": Nginx(workdir / "nginx", free_port(), free_port(), server.port)
        }
        if shutil.which("caddy"):
            proxies["caddy"] = Caddy(workdir / "caddy", free_port(), free_port(), server.port)
        try:
            for proxy in proxies.values():
                proxy.root.mkdir()
                proxy.start()
            front = Front(proxies["nginx"], 1)
            server.is_up = lambda: front.visitor().get("/api/v1/openapi.json").status == 200  # type: ignore[method-assign]
            server.start()
            yield Site(server, proxies)
        finally:
            server.stop()
            for proxy in proxies.values():
                proxy.stop()


@pytest.fixture(params=["nginx", "caddy"])
def front(request: pytest.FixtureRequest, site: Site) -> Front:
    if request.param not in site.proxies:
        _require("caddy", "Debian: caddy")
    return Front(site.proxies[request.param], {"nginx": 10, "caddy": 20}[request.param])


def test_the_shipped_environment_passes_the_deploy_check_once_messages_have_a_way_out(
    tmp_path: Path,
) -> None:
    env = deployed_env(tmp_path / "d")
    check = [PYTHON, "-m", "huzhu.cli", "check", "--deploy", "--fail-level", "WARNING"]
    refused = subprocess.run(
        check, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    # The only choice the file leaves to the operator is where codes go; unmade, it is refused.
    assert refused.returncode != 0
    assert set(re.findall(r"\(huzhu\.[EW]\d+\)", refused.stderr)) == {"(huzhu.E010)"}
    env["HUZHU_ALLOW_OUTBOX"] = "1"
    run_huzhu("check", "--deploy", "--fail-level", "WARNING", env=env)


def test_the_environment_file_names_every_variable_the_readme_lists() -> None:
    readme = (DEPLOY.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") : readme.index("## Running on PostgreSQL")]
    names = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", " ".join(names)))
    template = (DEPLOY / "huzhu.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", template, flags=re.MULTILINE))
    assert len(listed) > 50
    assert listed - named == set()


def test_plain_http_is_sent_to_https(front: Front) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", front.proxy.http_port, timeout=10)
    try:
        connection.request("GET", "/posts?kind=need", headers={"Host": SITE_NAME})
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    assert answer.status in {301, 308}  # nginx, Caddy
    assert answer.getheader("Location") == f"https://{SITE_NAME}/posts?kind=need"


def test_pages_carry_hsts_and_come_compressed(front: Front) -> None:
    page = front.visitor().get("/")
    assert page.status == 200
    assert page.header("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert page.header("Content-Encoding") == "gzip"
    assert len(page.raw) < len(page.body) / 2
    api = front.visitor().get("/api/v1/openapi.json")
    assert api.header("Content-Type").startswith("application/json")
    assert api.header("Content-Encoding") == "gzip"


def test_static_files_are_cached_for_a_year_and_precompressed(front: Front) -> None:
    page = front.visitor().get("/").text
    stylesheet = re.search(r'href="(/static/web/css/huzhu\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links no hashed stylesheet: is the manifest storage on?"
    answer = front.visitor().get(stylesheet.group(1))
    assert answer.status == 200
    cache_control = answer.header("Cache-Control")
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))  # type: ignore[union-attr]
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in cache_control
    assert answer.header("Content-Encoding") == "gzip"


def test_log_in_and_posting_work_with_csrf_through_the_proxy(front: Front) -> None:
    name = f"proxied-{secrets.token_hex(3)}"
    visitor = front.visitor(5)
    assert (
        visitor.post_json("/api/v1/auth/signup", {"username": name, "password": PASSWORD}).status
        == 201
    )
    token = CSRF_FIELD.search(visitor.get("/login").text)
    assert token
    assert {"secure", "samesite"} <= visitor.cookie_flags("csrftoken")
    logged_in = visitor.post_form(
        "/login", {"csrfmiddlewaretoken": token.group(1), "username": name, "password": PASSWORD}
    )
    assert logged_in.status == 302, logged_in.text[:500]
    assert {"secure", "httponly", "samesite"} <= visitor.cookie_flags("sessionid")
    form = visitor.get("/posts/new")
    token = CSRF_FIELD.search(form.text)
    assert token
    posted = visitor.post_form(
        "/posts/new",
        {
            "csrfmiddlewaretoken": token.group(1),
            **NEED,
        },
    )
    assert posted.status == 302, posted.text[:500]
    assert re.fullmatch(r"/posts/\d+", posted.header("Location"))
    assert "Fever medicine for grandma" in visitor.get(posted.header("Location")).text


def test_a_post_without_the_csrf_token_or_from_another_origin_is_refused(front: Front) -> None:
    visitor = front.visitor()
    token = CSRF_FIELD.search(visitor.get("/login").text)
    assert token
    missing = visitor.post_form("/login", {"username": "x", "password": "y"})
    assert missing.status == 403
    foreign = visitor.request(
        "POST",
        "/login",
        f"csrfmiddlewaretoken={token.group(1)}&username=x&password=y".encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"},
    )
    assert foreign.status == 403


def test_rate_limits_count_the_real_client_whatever_x_forwarded_for_it_sends(
    front: Front,
) -> None:
    client = front.visitor(2)
    for number in range(ASKS_PER_ADDRESS):
        answer = client.post_json(ASK, DRAFT, forwarded_for=f"10.0.{number}.1")
        assert answer.status == 200, answer.text
    refused = client.post_json(ASK, DRAFT, forwarded_for="203.0.113.9, 10.9.9.9")
    assert refused.status == 429  # a new spoofed address did not make a new client
    neighbour = front.visitor(3).post_json(ASK, DRAFT)
    assert neighbour.status == 200  # another real client has a bucket of its own
