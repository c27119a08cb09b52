"""`huzhu backup` under concurrent writes, `huzhu restore` into a fresh data directory (and,
on the PostgreSQL lane, a fresh database): every table restored row for row as it was at
the backup, the keys and the uploads with it; a wrong passphrase restores nothing."""

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from huzhu.tests.processes import PYTHON, child_env, run_huzhu, run_python, wait_until

pytestmark = pytest.mark.slow
PASSPHRASE = "correct horse battery staple backup"
# Each transaction writes a pair; the backup must hold whole pairs 1..k and nothing after.
WRITER = """
import sys, time, django
django.setup()
from pathlib import Path
from django.db import transaction
from django.utils import timezone
from huzhu.accounts.models import OutboxMessage
stop, progress = Path(sys.argv[1]), Path(sys.argv[2])
n = 0
while not stop.exists():
    n += 1
    with transaction.atomic():
        for side in "ab":
            OutboxMessage.objects.create(
                channel="email", to=f"writer-{n}-{side}", body="x", created_at=timezone.now()
            )
    progress.with_suffix(".new").write_text(str(n))
    progress.with_suffix(".new").replace(progress)  # never read half-written
    time.sleep(0.002)
"""
DUMP = """
import json, django
django.setup()
from django.db import connection

def text(value):
    return bytes(value).hex() if isinstance(value, (bytes, memoryview)) else str(value)

tables = {}
with connection.cursor() as cursor:
    for table in connection.introspection.table_names():
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        tables[table] = sorted(json.dumps([text(v) for v in row]) for row in cursor.fetchall())
print(json.dumps(tables))
"""
OUTBOX = "accounts_outboxmessage"


def tables(env: dict[str, str]) -> dict[str, list[str]]:
    done = run_python(DUMP, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    dumped: dict[str, list[str]] = json.loads(done.stdout)
    return dumped


def writer_number(row: str) -> int | None:
    for value in json.loads(row):
        if value.startswith("writer-"):
            return int(value.split("-")[1])
    return None


def huzhu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "huzhu.cli", *args],
        env=env,
        cwd=Path(env["HUZHU_DATA_DIR"]).parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def progress(path: Path) -> int:
    text = path.read_text() if path.exists() else ""
    return int(text) if text.strip() else 0


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Database settings for the source and the restored server (empty for SQLite)."""
    if request.param == "sqlite":
        yield {"source": "", "restored": ""}
        return
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        pytest.skip("the PostgreSQL lane (DATABASE_URL) runs this")
    parts = urlsplit(server)
    names = {side: f"huzhu_backup_{side}_{uuid.uuid4().hex[:8]}" for side in ("source", "restored")}
    host = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    user = ["-U", parts.username] if parts.username else []
    for name in names.values():
        subprocess.run(["createdb", *host, *user, name], check=True, timeout=60)
    try:
        yield {side: parts._replace(path=f"/{name}").geturl() for side, name in names.items()}
    finally:
        for name in names.values():
            subprocess.run(["dropdb", *host, *user, "--if-exists", name], check=False, timeout=60)


def env_for(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = child_env(data_dir, **{"HUZHU_BACKUP_PASSPHRASE": PASSPHRASE, **extra})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def back_up_while_writing(env: dict[str, str], archive: Path, work: Path) -> tuple[int, int]:
    """Back up while a writer process commits pairs; return its count before and after."""
    stop, counter = work / "stop", work / "progress"
    writer = subprocess.Popen([PYTHON, "-c", WRITER, str(stop), str(counter)], env=env, cwd=work)
    try:
        assert wait_until(lambda: progress(counter) >= 20, timeout=60)
        before = progress(counter)
        backed_up = huzhu("backup", str(archive), env=env)
        assert backed_up.returncode == 0, backed_up.stderr
        after = progress(counter)
        time.sleep(0.3)  # and some more after it
    finally:
        stop.touch()
        writer.wait(timeout=60)
    return before, after


def test_a_backup_under_writes_restores_every_table_as_it_was(
    tmp_path: Path, databases: dict[str, str]
) -> None:
    source = env_for(tmp_path / "source", databases["source"])
    run_huzhu("migrate", "--no-input", env=source)
    run_huzhu("demo", "--posts", "60", "--users", "12", env=source)
    upload = tmp_path / "source" / "uploads" / "documents" / "passport.jpg"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\xff\xd8 a photo")
    archive = tmp_path / "huzhu.backup"
    before, after = back_up_while_writing(source, archive, tmp_path)
    assert archive.stat().st_mode & 0o077 == 0
    assert b"writer-" not in archive.read_bytes()  # encrypted

    restored_env = env_for(tmp_path / "restored", databases["restored"])
    done = huzhu("restore", str(archive), env=restored_env)
    assert done.returncode == 0, done.stderr
    original, restored = tables(source), tables(restored_env)
    assert set(restored) == set(original)
    written = sorted(n for row in restored[OUTBOX] if (n := writer_number(row)) is not None)
    k = written[-1]
    assert written == sorted([*range(1, k + 1)] * 2)  # whole transactions, no gap
    assert before <= k <= after  # the moment the backup was taken
    as_of_backup = [r for r in original[OUTBOX] if (writer_number(r) or 0) <= k]
    assert restored[OUTBOX] == as_of_backup
    different = [t for t in original if t != OUTBOX and original[t] != restored[t]]
    assert different == []
    assert sum(len(rows) for rows in restored.values()) > 200  # the demo city is there
    for key in ("secret_key", "identity_keys", "vapid_key"):
        assert (tmp_path / "restored" / key).read_text() == (tmp_path / "source" / key).read_text()
    copy = tmp_path / "restored" / "uploads" / "documents" / "passport.jpg"
    assert copy.read_bytes() == upload.read_bytes()


def test_a_wrong_passphrase_or_a_used_database_restores_nothing(
    tmp_path: Path, databases: dict[str, str]
) -> None:
    source = env_for(tmp_path / "source", databases["source"])
    run_huzhu("migrate", "--no-input", env=source)
    archive = tmp_path / "huzhu.backup"
    assert huzhu("backup", str(archive), env=source).returncode == 0
    wrong = env_for(
        tmp_path / "restored", databases["restored"], HUZHU_BACKUP_PASSPHRASE="not the phrase!"
    )
    refused = huzhu("restore", str(archive), env=wrong)
    assert refused.returncode != 0
    assert "Wrong passphrase" in refused.stderr
    assert tables(wrong) == {}
    over_live_data = huzhu("restore", str(archive), env=source)
    assert over_live_data.returncode != 0
    assert "restore only into a fresh data directory or an empty database" in over_live_data.stderr


def test_the_passphrase_may_come_from_a_file_and_must_be_long(tmp_path: Path) -> None:
    env: dict[str, Any] = child_env(tmp_path / "data")
    run_huzhu("migrate", "--no-input", env=env)
    short = tmp_path / "short"
    short.write_text("too short\n")
    answer = huzhu("backup", str(tmp_path / "b"), "--passphrase-file", str(short), env=env)
    assert answer.returncode != 0
    assert "at least 12 characters" in answer.stderr
    assert "Give a passphrase" in huzhu("backup", str(tmp_path / "b"), env=env).stderr
    good = tmp_path / "good"
    good.write_text(PASSPHRASE + "\n")
    made = huzhu("backup", str(tmp_path / "b"), "--passphrase-file", str(good), env=env)
    assert made.returncode == 0, made.stderr
    restored = child_env(tmp_path / "restored")
    back = huzhu("restore", str(tmp_path / "b"), "--passphrase-file", str(good), env=restored)
    assert back.returncode == 0, back.stderr
