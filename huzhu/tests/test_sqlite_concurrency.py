"""SQLite done right: writers in several processes at once, no "database is locked", no lost
writes. The same test runs on PostgreSQL when the suite does (in a scratch database).

Each writer runs the real services in its own process, so every transaction competes for
the one database file. `transition_post` reads before it writes: with SQLite's default
DEFERRED transactions, that read-then-write fails at once with "database is locked" when
another writer holds the lock; IMMEDIATE transactions queue for the busy timeout instead.
"""

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from huzhu.tests.processes import (
    GENEROUS_QUOTAS,
    PYTHON,
    child_env,
    run_huzhu,
    run_python,
    wait_until,
)

pytestmark = pytest.mark.slow

WRITERS = 4
POSTS_EACH = 50  # every second one is then withdrawn: 75 write transactions per writer
RUN_WRITER = (
    "import sys, django; django.setup();"
    "from huzhu.tests.test_sqlite_concurrency import write_posts; write_posts(*sys.argv[1:])"
)


def write_posts(username: str, ready_file: str, go_file: str) -> None:
    """One writer process: create posts and withdraw every second one, counting locks."""
    from django.db import OperationalError

    from huzhu.accounts.models import User
    from huzhu.posts.services import PostDraft, create_post, set_status_by_owner

    owner = User.objects.create(username=username, display_name=username)
    Path(ready_file).touch()
    if not wait_until(Path(go_file).exists, timeout=60, step=0.01):
        sys.exit("never got the go signal")
    locked = 0
    for number in range(POSTS_EACH):
        draft = PostDraft(
            kind="need",
            title=f"Drinking water {number}",
            body="",
            category="supplies",
            quantity=1 + number % 5,
            lat=39.9 + number / 1000,
            lng=116.4,
        )
        try:
            post = create_post(owner=owner, draft=draft)
            if number % 2:
                set_status_by_owner(post=post, actor=owner, to_status="withdrawn")
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            locked += 1
    sys.stdout.write(json.dumps({"locked": locked}))


COUNT_ROWS = """
import json, django; django.setup()
from huzhu.posts.models import Post, PostStatusChange
print(json.dumps({
    "posts": Post.objects.count(),
    "withdrawn": Post.objects.filter(status="withdrawn").count(),
    "history": PostStatusChange.objects.count(),
}))
"""


@pytest.fixture
def database_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A migrated, empty database of the kind the suite runs on, and the env pointing at it."""
    url = settings.DATABASE_URL
    if not url:
        env = child_env(tmp_path / "data", **GENEROUS_QUOTAS)
        run_huzhu("migrate", "--no-input", env=env)
        yield env
        return
    name = f"huzhu_concurrency_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            env = child_env(
                tmp_path / "data",
                DATABASE_URL=urlsplit(url)._replace(path=f"/{name}").geturl(),
                **GENEROUS_QUOTAS,
            )
            run_huzhu("migrate", "--no-input", env=env)
            yield env
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_concurrent_writers_lose_nothing_and_never_see_a_lock(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(WRITERS)]
    writers = [
        subprocess.Popen(
            [PYTHON, "-c", RUN_WRITER, f"writer{n}", str(ready[n]), str(go)],
            env=database_env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    try:
        assert wait_until(lambda: all(path.exists() for path in ready), timeout=60)
        go.touch()  # all start writing at the same moment
        outputs = [writer.communicate(timeout=180) for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.communicate()
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert json.loads(out) == {"locked": 0}, err

    counted = run_python(COUNT_ROWS, env=database_env)
    assert counted.returncode == 0, counted.stderr
    withdrawn = WRITERS * (POSTS_EACH // 2)
    assert json.loads(counted.stdout) == {
        "posts": WRITERS * POSTS_EACH,
        "withdrawn": withdrawn,
        "history": WRITERS * POSTS_EACH + withdrawn,
    }


REPORT_SQLITE = """
import json, django; django.setup()
from django.db import connection, transaction
pragmas = {}
with connection.cursor() as cursor:
    for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys"):
        cursor.execute(f"PRAGMA {name}")
        pragmas[name] = cursor.fetchone()[0]
statements = []
connection.connection.set_trace_callback(statements.append)
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT 1")
print(json.dumps({**pragmas, "statements": statements}))
"""


def test_sqlite_runs_in_wal_with_a_busy_timeout_and_immediate_transactions(
    tmp_path: Path,
) -> None:
    # Always on SQLite, whichever database the suite uses: this checks the default settings.
    reported = run_python(REPORT_SQLITE, env=child_env(tmp_path / "data"))
    assert reported.returncode == 0, reported.stderr
    values = json.loads(reported.stdout)
    assert values["journal_mode"] == "wal"
    assert values["synchronous"] == 1  # NORMAL: safe in WAL mode, one fsync per checkpoint
    assert values["busy_timeout"] >= 5000
    assert values["foreign_keys"] == 1
    assert "BEGIN IMMEDIATE" in values["statements"]
