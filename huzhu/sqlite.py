"""Run on a SQLite that has the WAL-reset fix, whatever the system library is.

SQLite 3.7.0 to 3.51.2 have a race between checkpoints and a writer resetting the WAL
that can silently lose a committed transaction (https://sqlite.org/wal.html#walresetbug);
our server-concurrency test lost one acknowledged write on Debian 12's 3.40.1. Python's
`sqlite3` is linked to the system library, so we put the `pysqlite3` wheel (its own
statically linked, current SQLite) in its place before Django or anything of ours
imports `sqlite3`. One process must never use two SQLite copies on the same file: their
POSIX locks would not see each other. `huzhu/__init__.py` therefore runs this first.
"""

import importlib
import logging
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing Django here would come before the swap
    from django.core.checks import CheckMessage
    from django.db.backends.base.base import BaseDatabaseWrapper

# The first release with the fix, and the older lines that got it backported.
FIXED = (3, 51, 3)
BACKPORTED = {(3, 44): 6, (3, 50): 7}


def has_wal_reset_fix(version: tuple[int, int, int]) -> bool:
    line, patch = version[:2], version[2]
    return version >= FIXED or (line in BACKPORTED and patch >= BACKPORTED[line])


def driver(connection: "BaseDatabaseWrapper") -> Any:
    """The DB-API module a SQLite connection of Django's runs on."""
    return connection.Database  # type: ignore[attr-defined]  # not in django-stubs


def check_sqlite(app_configs: object = None, **kwargs: object) -> "list[CheckMessage]":
    """System check: refuse to run on a SQLite that can lose committed writes."""
    from django.core.checks import Error
    from django.db import connections

    if connections["default"].vendor != "sqlite":
        return []
    version = driver(connections["default"]).sqlite_version_info
    if has_wal_reset_fix(version):
        return []
    return [
        Error(
            f"SQLite {'.'.join(map(str, version))} has the WAL-reset bug and can lose "
            "committed writes.",
            hint="Install the locked requirements (pysqlite3 brings a fixed SQLite).",
            id="huzhu.E001",
        )
    ]


def checkpoint_wal(using: str = "default") -> None:
    """Copy the WAL into the database file and truncate it to nothing (SQLite only).

    Erasure calls it after committing: with `secure_delete` the database file then holds
    none of the erased text, and the WAL, which still has the old pages, is emptied."""
    from django.db import connections

    connection = connections[using]
    # Inside a transaction SQLite refuses the checkpoint ("database table is locked"). On
    # commit callbacks run after the outermost commit, so only a test that runs them inside
    # its own transaction gets here; test_erasure_at_rest runs erasure for real.
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = cursor.fetchone()[0]
    if busy:  # a reader held an older snapshot past the busy timeout; the next one will do
        logging.getLogger(__name__).warning("the WAL checkpoint after an erasure was blocked")


def install() -> ModuleType:
    """Make `import sqlite3` (and `sqlite3.dbapi2`) give pysqlite3; return the module."""
    current = sys.modules.get("sqlite3")
    if current is not None and current.__name__ == "pysqlite3":
        return current
    package = importlib.import_module("pysqlite3")
    sys.modules["sqlite3"] = package
    sys.modules["sqlite3.dbapi2"] = importlib.import_module("pysqlite3.dbapi2")
    return package
