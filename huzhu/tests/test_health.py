"""`GET /healthz`: the load balancer's question and the benchmark's floor."""

from pathlib import Path

import pytest
from django.test import Client

from huzhu.tests.processes import child_env, run_python

pytestmark = pytest.mark.django_db


def test_it_answers_ok_through_the_database_and_remembers_nothing(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie: it is asked thousands of times


def test_it_answers_head_and_refuses_writes(client: Client) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


_UNREACHABLE = """
import django
django.setup()
from django.test import Client
answer = Client().get("/healthz")
print(answer.status_code, answer.content.decode().strip())
"""


def test_it_says_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    # Nothing listens on port 9 of this machine: the connection is refused.
    env = child_env(tmp_path / "data", DATABASE_URL="postgres://127.0.0.1:9/none")
    done = run_python(_UNREACHABLE, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "503 database unavailable"
