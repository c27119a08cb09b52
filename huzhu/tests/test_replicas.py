"""Read replicas against a real PostgreSQL streaming replica (huzhu/replicas.py).

The test builds a primary and a replica of its own (tests/pg_replica.py), migrates the
primary, and runs tests/replica_scenario.py in a process configured with
`DATABASE_REPLICA_URLS` and `REDIS_URL`: with the replica's replay paused, anonymous reads
cannot see a new post (they are served by the replica), while its writer can, by cookie
or by token (the primary), and a write request reads the primary.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from huzhu import replicas
from huzhu.replicas import PRIMARY, ReplicaRouter
from huzhu.tests.pg_replica import Pair, postgres_bindir, primary_and_replica
from huzhu.tests.processes import child_env

postgres_lane = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="replicas are a PostgreSQL feature: its lane"
)


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    if postgres_bindir() is None:
        pytest.fail("PostgreSQL's server binaries are missing (Debian: postgresql-15)")
    # Not pytest's tmp_path: the postgres account must be able to reach the folder.
    root = Path(tempfile.mkdtemp(prefix="huzhu-replica-"))
    try:
        with primary_and_replica(root) as made:
            yield made
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run(module: str, pair: Pair, data_dir: Path, *args: str) -> str:
    env = child_env(
        data_dir,
        DATABASE_URL=pair.primary_url,
        DATABASE_REPLICA_URLS=pair.replica_url,
        REDIS_URL="redis://127.0.0.1:6379/15",
        HUZHU_REPLICA_PIN_SECONDS="600",
        # About where reads go, not the posting rules (which hold a newcomer's ask for
        # much of a scarce item, and a held post is its author's alone).
        HUZHU_POSTING_CHECKS="0",
        # What each database serves, not what the shared answers keep for their 10 s (a
        # reader pinned to the primary is a visitor to them, and its answer is shared):
        # their bound is tests/test_public_cache.py's.
        HUZHU_PUBLIC_CACHE_SECONDS="0",
    )
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@postgres_lane
@pytest.mark.slow
def test_reads_go_to_the_replica_and_writers_read_their_writes(pair: Pair, tmp_path: Path) -> None:
    _run("huzhu.cli", pair, tmp_path, "migrate", "--no-input")
    results = json.loads(_run("huzhu.tests.replica_scenario", pair, tmp_path).splitlines()[-1])
    assert results == {
        "cache": "RedisCache",
        "signup": 201,
        "create": 201,
        "pin_cookie_set": True,
        # The replica is frozen before the post: an anonymous read there cannot find it.
        "anonymous_while_paused": 404,
        "replica_posts_while_paused": 0,
        # Its writer reads the primary: by the cookie, or by the token's account.
        "writer_cookie_while_paused": 200,
        "writer_token_only_while_paused": 200,
        # A write request decides on the primary's rows.
        "status_change_while_paused": 200,
        "primary_status": "fulfilled",
        # Once the replica replays, everyone sees the same honest status.
        "anonymous_after_catch_up": 200,
        "anonymous_sees_status": "fulfilled",
    }


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_only_safe_requests_outside_transactions_read_a_replica(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker, commands and write requests read the primary; so do access-deciding models."""
    from django.db import transaction

    from huzhu.accounts.models import ApiToken
    from huzhu.posts.models import Post

    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica0"])
    router = ReplicaRouter()
    assert router.db_for_read(Post) == PRIMARY  # no request said replicas are fine
    allowed = replicas._replicas_allowed.set(True)
    try:
        assert router.db_for_read(Post) == "replica0"
        assert router.db_for_read(ApiToken) == PRIMARY
        with transaction.atomic():
            assert router.db_for_read(Post) == PRIMARY
        replicas.read_primary()
        assert router.db_for_read(Post) == PRIMARY
    finally:
        replicas._replicas_allowed.reset(allowed)
    assert router.db_for_write(Post) == PRIMARY
    assert router.allow_migrate("replica0", "posts") is False
