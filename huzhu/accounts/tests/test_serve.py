"""`huzhu serve` for real: gunicorn, the worker and the scheduler as a person would run them."""

import contextlib
import os
import signal
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError

import pytest

from huzhu.tests.processes import (
    PYTHON,
    child_env,
    descendants,
    is_running,
    run_huzhu,
    run_python,
    wait_until,
)

pytestmark = pytest.mark.slow

CREATE_DEMO_USER = """
import django; django.setup()
from huzhu.accounts.models import User
User.objects.create(username="demo-alice", display_name="Kind Heron 101")
"""
WAIT_FOR_EXPIRY_TASK = """
import sys, time, django; django.setup()
from django_tasks_db.models import DBTaskResult
done = DBTaskResult.objects.filter(task_path="huzhu.posts.tasks.expire_posts", status="SUCCESSFUL")
for _ in range(int(float(sys.argv[1]) * 10)):
    if done.exists():
        sys.exit(0)
    time.sleep(0.1)
sys.exit("the scheduled expiry task never ran")
"""


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    env: dict[str, str]

    def get(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:  # noqa: S310
                status: int = response.status
                return status
        except HTTPError as error:
            return error.code

    def is_up(self) -> bool:
        try:
            return self.get("/api/v1/openapi.json") == 200
        except (URLError, ConnectionError, TimeoutError):
            return False

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(params=[()])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    # Always SQLite in a scratch directory: this exercises the processes, not the database.
    port = free_port()
    env = child_env(tmp_path / "data", HOST="127.0.0.1", PORT=str(port), HUZHU_WEB_WORKERS="1")
    run_huzhu("migrate", "--no-input", env=env)
    assert run_python(CREATE_DEMO_USER, env=env).returncode == 0
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [PYTHON, "-m", "huzhu.cli", "serve", *request.param],
            env=env,
            cwd=tmp_path,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    running = Server(process, f"http://127.0.0.1:{port}", log, env)
    try:
        assert wait_until(running.is_up, timeout=60, step=0.2), running.output()
        yield running
    finally:
        if process.poll() is None:  # the test failed half-way: leave nothing behind
            for pid in descendants(process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            process.kill()
        process.wait(timeout=30)


def test_it_serves_the_api_static_files_and_the_worker(server: Server) -> None:
    static = server.get("/static/admin/css/base.css")  # whitenoise, after collectstatic
    assert static == 200, server.output()
    search = server.get("/api/v1/posts?lat=39.9042&lng=116.4074&radius_km=5")
    assert search == 200, server.output()
    assert run_python(WAIT_FOR_EXPIRY_TASK, "30", env=server.env, timeout=60).returncode == 0
    output = server.output()
    assert f"{server.url}/" in output
    assert "demo-alice" in output
    assert "huzhu-demo-2026" in output
    assert '"GET /api/v1/posts"' in output  # the access log has the path ...
    assert "39.9042" not in output  # ... and never the coordinates in the query string


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_it_stops_everything_on_a_signal(server: Server, signum: signal.Signals) -> None:
    children = descendants(server.process.pid)
    assert len(children) >= 3  # gunicorn master and its worker, the task worker
    server.process.send_signal(signum)
    assert server.process.wait(timeout=20) == 0
    assert not [pid for pid in children if is_running(pid)]
    assert "Huzhu stopped." in server.output()


def test_it_stops_everything_and_fails_when_a_child_dies(server: Server) -> None:
    children = descendants(server.process.pid)
    worker = next(
        pid for pid in children if b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    )
    os.kill(worker, signal.SIGKILL)
    assert server.process.wait(timeout=20) != 0
    assert not [pid for pid in children if is_running(pid)]
    assert "worker exited unexpectedly" in server.output()


def port_is_free(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as sock:
        # As gunicorn binds: connections left in TIME_WAIT do not count, a listener does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_nothing_outlives_serve_when_it_is_killed_outright(server: Server) -> None:
    children = descendants(server.process.pid)
    assert len(children) >= 3  # gunicorn master and its worker, the task worker
    server.process.kill()  # SIGKILL: as the out-of-memory killer would
    server.process.wait(timeout=10)
    try:
        assert wait_until(lambda: not [pid for pid in children if is_running(pid)], timeout=10)
        assert port_is_free(server.url)
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("server", [("--no-scheduler",)], indirect=True)
def test_an_extra_app_server_can_run_without_the_scheduler(server: Server) -> None:
    # The scheduled task runs within about two seconds of start-up when the scheduler is on.
    assert run_python(WAIT_FOR_EXPIRY_TASK, "4", env=server.env, timeout=60).returncode != 0
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=20) == 0
