"""settings.py from the outside: each case imports it in a fresh process with its own env.

Importing settings only reads; Django's start (`django.setup()`, as every `huzhu` command,
gunicorn's workers and the tests do) creates the data directory and its secrets."""

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from huzhu.tests.processes import child_env, run_python

pytestmark = pytest.mark.slow

REPORT = """
import json
import django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "data_dir": str(s.DATA_DIR),
    "debug": s.DEBUG,
    "secret_key": s.SECRET_KEY,
    "identity_keys": s.HUZHU_IDENTITY_KEYS,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "port": db.get("PORT", ""),
    "options": db.get("OPTIONS", {}),
}))
"""


def load_settings(data_dir: Path, **env: str) -> dict[str, Any]:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    done = run_python(REPORT, env=child_env(data_dir, **env))
    assert done.returncode == 0, done.stderr
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "new" / "data"


IMPORT_ONLY = """
import json
from huzhu import settings as s
import huzhu.settings_gateways
print(json.dumps([s.SECRET_KEY, sorted(s.HUZHU_SECRET_FILES)]))
"""


def test_importing_settings_creates_nothing(data_dir: Path) -> None:
    data_dir.parent.mkdir(parents=True)
    done = run_python(IMPORT_ONLY, env=child_env(data_dir))
    assert done.returncode == 0, done.stderr
    secret_key, generated_later = json.loads(done.stdout)
    assert secret_key == ""  # not yet: Django's start generates it
    assert generated_later == ["HUZHU_IDENTITY_KEYS", "HUZHU_VAPID_KEY", "SECRET_KEY"]
    assert list(data_dir.parent.iterdir()) == []  # no data directory, no file, no folder


def test_it_creates_the_data_directory_for_its_owner_only(data_dir: Path) -> None:
    loaded = load_settings(data_dir)
    assert loaded["data_dir"] == str(data_dir)
    assert data_dir.is_dir()
    assert mode(data_dir) & 0o077 == 0


def test_it_generates_a_secret_key_file_only_its_owner_can_read(data_dir: Path) -> None:
    first = load_settings(data_dir)
    key_file = data_dir / "secret_key"
    assert mode(key_file) == 0o600
    assert first["secret_key"] == key_file.read_text().strip()
    assert len(first["secret_key"]) >= 50
    assert load_settings(data_dir)["secret_key"] == first["secret_key"]  # stable across runs


def test_it_keeps_the_identity_keys_outside_the_database(data_dir: Path) -> None:
    first = load_settings(data_dir)
    key_file = data_dir / "identity_keys"
    assert mode(key_file) == 0o600
    assert first["identity_keys"] == key_file.read_text().strip()
    assert load_settings(data_dir)["identity_keys"] == first["identity_keys"]
    rotated = load_settings(data_dir, HUZHU_IDENTITY_KEYS="1:old,2:new")
    assert rotated["identity_keys"] == "1:old,2:new"


def test_it_takes_the_secret_key_from_the_environment_or_a_file(
    data_dir: Path, tmp_path: Path
) -> None:
    assert load_settings(data_dir, SECRET_KEY="from-env")["secret_key"] == "from-env"
    assert not (data_dir / "secret_key").exists()
    mounted = tmp_path / "mounted-secret"
    mounted.write_text("from-a-file\n")
    assert load_settings(data_dir, SECRET_KEY_FILE=str(mounted))["secret_key"] == "from-a-file"


def test_debug_is_off_unless_asked_for(data_dir: Path) -> None:
    assert load_settings(data_dir)["debug"] is False
    assert load_settings(data_dir, HUZHU_DEBUG="0")["debug"] is False
    assert load_settings(data_dir, HUZHU_DEBUG="1")["debug"] is True


def test_it_uses_sqlite_in_the_data_directory_by_default(data_dir: Path) -> None:
    loaded = load_settings(data_dir)
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert Path(loaded["name"]).parent == data_dir
    assert loaded["options"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_switches_to_postgresql(data_dir: Path) -> None:
    loaded = load_settings(data_dir, DATABASE_URL="postgres://huzhu@db.example:5433/huzhu")
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert (loaded["name"], loaded["host"], loaded["port"]) == ("huzhu", "db.example", 5433)


ALERT_KNOBS = """
import json
from huzhu import settings as s
print(json.dumps([s.HUZHU_CHECKIN_AFTER_DAYS, s.HUZHU_CHECKIN_WINDOW_DAYS,
                  s.HUZHU_ALERTS_PER_USER, s.HUZHU_ALERT_NOTIFICATIONS_PER_DAY,
                  s.HUZHU_MATCH_RADIUS_KM]))
"""


def test_check_ins_alerts_and_matching_are_configurable(data_dir: Path) -> None:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    defaults = run_python(ALERT_KNOBS, env=child_env(data_dir))
    assert json.loads(defaults.stdout) == [3, 2, 10, 10, 10.0]
    env = {
        "HUZHU_CHECKIN_AFTER_DAYS": "7",
        "HUZHU_CHECKIN_WINDOW_DAYS": "1",
        "HUZHU_ALERTS_PER_USER": "3",
        "HUZHU_ALERT_NOTIFICATIONS_PER_DAY": "20",
        "HUZHU_MATCH_RADIUS_KM": "2.5",
    }
    chosen = run_python(ALERT_KNOBS, env=child_env(data_dir, **env))
    assert json.loads(chosen.stdout) == [7, 1, 3, 20, 2.5], chosen.stderr


SCALE_REPORT = """
import json
from huzhu import settings as s
print(json.dumps({
    "aliases": sorted(s.DATABASES),
    "replica": s.DATABASES.get("replica0", {}),
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "middleware": s.MIDDLEWARE[:2],
    "cache": getattr(s, "CACHES", {}).get("default", {}).get("BACKEND", "locmem"),
}, default=str))
"""


def test_replicas_pooling_and_redis_come_from_the_environment(data_dir: Path) -> None:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    env = child_env(
        data_dir,
        DATABASE_URL="postgres://huzhu@primary.example/huzhu",
        DATABASE_REPLICA_URLS="postgres://huzhu@replica.example/huzhu",
        HUZHU_DB_POOL_SIZE="6",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    done = run_python(SCALE_REPORT, env=env)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert loaded["aliases"] == ["default", "replica0"]
    replica = loaded["replica"]
    assert replica["HOST"] == "replica.example"
    assert replica["TEST"] == {"MIRROR": "default"}  # tests never build a replica database
    assert replica["OPTIONS"]["pool"]["max_size"] == 6
    assert replica["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    assert loaded["routers"] == ["huzhu.replicas.ReplicaRouter"]
    assert loaded["middleware"][1] == "huzhu.replicas.ReplicaMiddleware"
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_sqlite_ignores_replica_urls(data_dir: Path) -> None:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    env = child_env(data_dir, DATABASE_REPLICA_URLS="postgres://huzhu@replica.example/huzhu")
    env.pop("DATABASE_URL", None)
    done = run_python(SCALE_REPORT, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["aliases"] == ["default"]


def test_check_on_sqlite_prints_no_warnings(data_dir: Path) -> None:
    """`make run`'s default path: SQLite ignores the PostgreSQL-only INCLUDE columns."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    env = child_env(data_dir)
    env.pop("DATABASE_URL", None)
    done = run_python(
        "from huzhu.cli import main; main()", "check", "--database", "default", env=env
    )
    assert done.returncode == 0, done.stderr
    assert "WARNINGS" not in done.stdout + done.stderr
    assert "no issues" in done.stdout
