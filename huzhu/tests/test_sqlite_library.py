"""Huzhu runs on a SQLite without the WAL-reset bug, and on one SQLite library only."""

import sys
from types import SimpleNamespace

import pytest
from django.db import connection, connections

from huzhu.sqlite import check_sqlite, driver, has_wal_reset_fix

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite lane only")


@pytest.mark.parametrize(
    ("version", "fixed"),
    [
        ((3, 40, 1), False),  # Debian 12's system library
        ((3, 44, 5), False),
        ((3, 44, 6), True),  # backport
        ((3, 45, 0), False),
        ((3, 50, 6), False),
        ((3, 50, 7), True),  # backport
        ((3, 51, 2), False),
        ((3, 51, 3), True),
        ((3, 53, 4), True),
        ((4, 0, 0), True),
    ],
)
def test_which_versions_have_the_wal_reset_fix(version: tuple[int, int, int], fixed: bool) -> None:
    assert has_wal_reset_fix(version) is fixed


@sqlite_only
@pytest.mark.django_db
def test_the_database_runs_a_fixed_sqlite_from_the_one_library_everyone_imports() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()")
        (version,) = cursor.fetchone()
    assert has_wal_reset_fix(tuple(int(part) for part in version.split(".")))  # type: ignore[arg-type]
    import sqlite3

    # Django's backend, `import sqlite3` anywhere after huzhu, and the driver are one module.
    assert sqlite3.__name__ == "pysqlite3"
    assert driver(connection) is sys.modules["sqlite3.dbapi2"]
    assert check_sqlite() == []


@sqlite_only
def test_the_system_check_refuses_an_affected_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    old = SimpleNamespace(sqlite_version_info=(3, 40, 1))
    monkeypatch.setattr(connections["default"], "Database", old)
    [error] = check_sqlite()
    assert error.id == "huzhu.E001"
    assert "3.40.1" in error.msg
