"""A Huzhu server on a scratch database, and a bounded HTTP client to talk to it.

Shared by the server-concurrency test, the crash-safety test and the fuzz campaign: a
migrated scratch database (SQLite in a temporary data directory, or a new PostgreSQL
database), a server in its own process group that can be killed at once, and JSON calls
whose transport failures are answers too.
"""

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from huzhu.tests.processes import (
    GENEROUS_QUOTAS,
    PYTHON,
    child_env,
    descendants,
    is_running,
    run_huzhu,
    wait_until,
)

PASSWORD = "concurrency is not parallelism 7"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def scratch_database(workdir: Path, database_url: str | None) -> Iterator[dict[str, str]]:
    """A migrated, empty database and the environment of a child Huzhu pointing at it.

    SQLite in `workdir/data` when `database_url` is empty; otherwise a new PostgreSQL
    database next to the one `database_url` names, dropped afterwards.
    """
    if not database_url:
        env = child_env(workdir / "data", **GENEROUS_QUOTAS)
        run_huzhu("migrate", "--no-input", env=env)
        yield env
        return
    name = f"huzhu_scratch_{secrets.token_hex(4)}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            url = urlsplit(database_url)._replace(path=f"/{name}").geturl()
            env = child_env(workdir / "data", DATABASE_URL=url, **GENEROUS_QUOTAS)
            run_huzhu("migrate", "--no-input", env=env)
            yield env
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextlib.contextmanager
def connect(env: dict[str, str]) -> Iterator[Any]:
    """A DB-API connection (autocommit) to the database a child Huzhu with `env` uses."""
    if env.get("DATABASE_URL"):
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as postgres:
            yield postgres
        return
    path = Path(env["HUZHU_DATA_DIR"]) / "huzhu.sqlite3"
    sqlite = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        yield sqlite
    finally:
        sqlite.close()


def check_database(env: dict[str, str]) -> list[str]:
    """The broken invariants of the database a child Huzhu with `env` uses (none, we hope)."""
    from huzhu.tests.invariants import violations  # imports models: Django must be set up

    with connect(env) as connection:
        return violations(connection.cursor())


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer at all (refused, reset, timed out)
    body: Any
    error: str = ""


def call(
    url: str,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    """One JSON request with a bounded timeout; transport failures are answers too."""
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method, headers=sent)  # noqa: S310
    try:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return Answer(response.status, _json(response.read()))
        except HTTPError as error:
            with error:
                return Answer(error.code, _json(error.read()))
    except (URLError, OSError, http.client.HTTPException) as error:  # refused, reset, cut off
        return Answer(0, None, f"{type(error).__name__}: {error}")


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")


def sign_up(url: str, username: str) -> str:
    """A new account's bearer token."""
    answer = call(url, "POST", "/api/v1/auth/signup", {"username": username, "password": PASSWORD})
    assert answer.status == 201, answer
    answer = call(url, "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
    assert answer.status == 200, answer
    token: str = answer.body["token"]
    return token


def need(title: str, number: int = 0) -> dict[str, Any]:
    return {
        "kind": "need",
        "title": title,
        "category": "supplies",
        "quantity": 1 + number % 5,
        "lat": 39.9 + (number % 100) / 1000,
        "lng": 116.4,
        "tags": ["elderly"] if number % 3 == 0 else [],
    }


class Server:
    """A Huzhu web server on a free loopback port; `command` is its argv after python."""

    def __init__(self, command: list[str], env: dict[str, str], workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [arg.replace("{port}", str(self.port)) for arg in command]
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.workdir = workdir
        self.log = workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [PYTHON, *self.command],
                env=self.env,
                cwd=self.workdir,
                stdout=sink,
                stderr=subprocess.STDOUT,
                process_group=0,
            )
        assert wait_until(self.is_up, timeout=timeout, step=0.05), self.output()

    def is_up(self) -> bool:
        return call(self.url, "GET", "/api/v1/openapi.json", timeout=5).status == 200

    def kill(self) -> None:
        """SIGKILL the server and all its children at once.

        A whole process group dies atomically, even a worker forked that very moment (a
        list of pids would miss it, and it would hold the port). The server leads its own
        group; serve starts its children in groups of their own, so those go too.
        """
        if self.process is None or self.process.poll() is not None:
            return
        groups = {self.process.pid}
        for pid in descendants(self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                groups.add(os.getpgid(pid))
        for group in groups - {os.getpgrp()}:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM, as a person would stop it; SIGKILL whatever is left after 20 s."""
        if self.process is None or self.process.poll() is not None:
            return
        children = descendants(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        for pid in children:  # serve stops its children itself; this is the safety net
            if is_running(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
