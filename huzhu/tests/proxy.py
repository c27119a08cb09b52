"""Debian's nginx with the shipped deploy/ files, and an HTTPS visitor, for the proxy test.

The site file is used as docs/DEPLOY.md tells an operator to use it; the test only moves
what a test must move (ports, the certificate's and the logs' folders), and each edit
must match the shipped file exactly as often as expected, so a changed file fails here
instead of drifting away from the guide.
"""

import contextlib
import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from huzhu.tests.processes import wait_until

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SITE_NAME = "huzhu.example.org"  # the name the shipped files carry, kept in the test
NGINX_MAIN = """
daemon off;
pid {root}/nginx.pid;
error_log {root}/logs/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    # What Debian's /etc/nginx/nginx.conf gives every site.
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    include {root}/sites-enabled/huzhu;
}}
"""


# Caddy's global options for the test: its own CA instead of Let's Encrypt, loopback and
# high ports, storage in the test's folder; the site block below them is the shipped file.
CADDY_GLOBAL = """{{
\tadmin off
\tlocal_certs
\tskip_install_trust
\tdefault_bind 127.0.0.1
\thttp_port {http_port}
\thttps_port {https_port}
\tstorage file_system {root}/storage
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )


def read_env_file(path: Path) -> dict[str, str]:
    """NAME=value lines, as systemd's EnvironmentFile= and `set -a; . FILE` read them here."""
    values = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def self_signed_certificate(folder: Path, name: str = SITE_NAME) -> Path:
    """fullchain.pem and privkey.pem for `name`, where certbot would put them."""
    live = folder / "live" / name
    live.mkdir(parents=True)
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"),
            *("-keyout", str(live / "privkey.pem"), "-out", str(live / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
    )
    return live / "fullchain.pem"


def edit(text: str, replacements: list[tuple[str, str, int]]) -> str:
    """Replace each `old` by `new`, which must occur exactly `times` in the shipped text."""
    for old, new, times in replacements:
        assert text.count(old) == times, f"deploy file changed: {old!r} x{text.count(old)}"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    root: Path
    http_port: int
    https_port: int
    app_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def certificate(self) -> Path:
        return self.root / "letsencrypt" / "live" / SITE_NAME / "fullchain.pem"

    def site(self) -> str:
        shipped = (DEPLOY / "nginx" / "huzhu.conf").read_text(encoding="utf-8")
        return edit(
            shipped,
            [
                ("listen 80;", f"listen 127.0.0.1:{self.http_port};", 1),
                ("listen [::]:80;", f"listen [::1]:{self.http_port};", 1),
                ("listen 443 ssl", f"listen 127.0.0.1:{self.https_port} ssl", 1),
                ("listen [::]:443 ssl", f"listen [::1]:{self.https_port} ssl", 1),
                ("server 127.0.0.1:8000;", f"server 127.0.0.1:{self.app_port};", 1),
                ("/etc/letsencrypt/", f"{self.root}/letsencrypt/", 2),
                ("/var/log/nginx/huzhu/", f"{self.root}/logs/", 4),
            ],
        )

    def start(self) -> None:
        for folder in ("logs", "tmp", "sites-enabled"):
            (self.root / folder).mkdir()
        self_signed_certificate(self.root / "letsencrypt")
        (self.root / "sites-enabled" / "huzhu").write_text(self.site())
        main = self.root / "nginx.conf"
        main.write_text(NGINX_MAIN.format(root=self.root))
        binary = nginx_binary()
        assert binary
        error_log = str(self.root / "logs" / "startup.log")
        test = [binary, "-e", error_log, "-p", str(self.root), "-c", str(main)]
        checked = subprocess.run([*test, "-t"], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(test, process_group=0)
        ready = wait_until(lambda: _listening(self.https_port), timeout=10)
        assert ready, "nginx did not start"

    def stop(self) -> None:
        _stop(self.process, signal.SIGQUIT)  # nginx's graceful stop, workers included


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
        return True
    return False


def _stop(process: subprocess.Popen[bytes] | None, graceful: signal.Signals) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, graceful)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass
class Caddy:
    root: Path
    http_port: int
    https_port: int
    app_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def certificate(self) -> Path:
        return self.root / "storage" / "pki" / "authorities" / "local" / "root.crt"

    def site(self) -> str:
        shipped = (DEPLOY / "caddy" / "Caddyfile").read_text(encoding="utf-8")
        return edit(
            shipped,
            [("reverse_proxy 127.0.0.1:8000", f"reverse_proxy 127.0.0.1:{self.app_port}", 1)],
        )

    def start(self) -> None:
        config = self.root / "Caddyfile"
        config.write_text(
            CADDY_GLOBAL.format(
                root=self.root, http_port=self.http_port, https_port=self.https_port
            )
            + self.site()
        )
        home = {
            "HOME": str(self.root),
            "XDG_DATA_HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root),
        }
        with (self.root / "caddy.log").open("ab") as sink:
            self.process = subprocess.Popen(
                ["caddy", "run", "--config", str(config), "--adapter", "caddyfile"],
                env={**os.environ, **home},
                stdout=sink,
                stderr=subprocess.STDOUT,
                process_group=0,
            )
        ready = wait_until(
            lambda: self.certificate.exists() and _listening(self.https_port), timeout=20
        )
        assert ready, (self.root / "caddy.log").read_text(errors="replace")

    def stop(self) -> None:
        _stop(self.process, signal.SIGTERM)


class _Connection(http.client.HTTPSConnection):
    """HTTPS to `SITE_NAME` (certificate, SNI, Host) on loopback, from a chosen address."""

    def connect(self) -> None:
        source = self.source_address  # type: ignore[attr-defined]  # missing from typeshed
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout, source)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    raw: bytes  # as sent, compressed or not
    body: bytes  # decompressed

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


@dataclass
class Visitor:
    """A browser-like client: keeps cookies, accepts gzip, talks from `address`."""

    port: int
    certificate: Path
    address: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookie_lines: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"https://{SITE_NAME}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        context = ssl.create_default_context(cafile=str(self.certificate))
        connection = _Connection(
            SITE_NAME, self.port, context=context, timeout=30, source_address=(self.address, 0)
        )
        sent = {"Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        for line in response.msg.get_all("Set-Cookie") or []:
            self.set_cookie_lines.append(line)
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        encoded = response.getheader("Content-Encoding") == "gzip"
        return Answer(response.status, response.msg, raw, gzip.decompress(raw) if encoded else raw)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post_form(self, path: str, form: dict[str, str]) -> Answer:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": self.origin + path,
        }
        return self.request("POST", path, urlencode(form).encode(), headers)

    def post_json(self, path: str, data: Any, forwarded_for: str = "") -> Answer:
        headers = {"Content-Type": "application/json"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        return self.request("POST", path, json.dumps(data).encode(), headers)

    def cookie_flags(self, name: str) -> set[str]:
        """The attributes (lower case) of the last Set-Cookie for `name`."""
        line = next(line for line in reversed(self.set_cookie_lines) if line.startswith(name + "="))
        return {part.strip().split("=")[0].lower() for part in line.split(";")[1:]}
