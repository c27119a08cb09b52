"""Run by test_replicas.py in a process of its own, configured for a primary and a replica.

It freezes the replica (WAL replay paused) right after a person writes, so whatever reads
the replica cannot see that write, and records what each kind of caller then gets. The
test asserts on the JSON it prints: anonymous readers are served by the replica, the
writer by the primary.
"""

import json
import os
import sys
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhu.settings")
django.setup()

from django.core.cache import caches  # noqa: E402 - after django.setup()
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

PASSWORD = "a long enough passphrase"
NEED = {
    "kind": "need",
    "title": "Need an antigen test",
    "category": "test_kits",
    "item": "antigen-test",
    "quantity": 2,
    "lat": 39.9042,
    "lng": 116.4074,
}


def _scalar(alias: str, sql: str) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _caught_up() -> None:
    """Wait until the replica has replayed everything the primary has written."""
    target = _scalar("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 30
    query = f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
    while not _scalar("replica0", query):
        if time.monotonic() > deadline:
            raise TimeoutError("the replica did not catch up")
        time.sleep(0.05)


def main() -> dict[str, Any]:
    results: dict[str, Any] = {"cache": type(caches["default"]).__name__}
    writer = Client()
    signup = writer.post(
        "/api/v1/auth/signup",
        {"username": "writer", "password": PASSWORD},
        content_type="application/json",
    )
    results["signup"] = signup.status_code
    token = writer.post(
        "/api/v1/auth/token",
        {"username": "writer", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    _caught_up()

    _scalar("replica0", "SELECT pg_wal_replay_pause()::text")
    created = writer.post("/api/v1/posts", NEED, content_type="application/json", headers=bearer)
    results["create"] = created.status_code
    path = f"/api/v1/posts/{created.json()['id']}"
    results["pin_cookie_set"] = "huzhu_primary" in created.cookies
    results["anonymous_while_paused"] = Client().get(path).status_code
    results["writer_cookie_while_paused"] = writer.get(path).status_code
    results["writer_token_only_while_paused"] = Client().get(path, headers=bearer).status_code
    changed = Client().post(
        f"{path}/status", {"status": "fulfilled"}, content_type="application/json", headers=bearer
    )
    results["status_change_while_paused"] = changed.status_code
    results["primary_status"] = _scalar("default", "SELECT status FROM posts_post")
    results["replica_posts_while_paused"] = _scalar("replica0", "SELECT count(*) FROM posts_post")

    _scalar("replica0", "SELECT pg_wal_replay_resume()::text")
    _caught_up()
    after = Client().get(path)
    results["anonymous_after_catch_up"] = after.status_code
    results["anonymous_sees_status"] = after.json().get("status")
    return results


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main()) + "\n")
