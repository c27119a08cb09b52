"""`huzhu backup` and `huzhu restore`: the database, the keys it cannot be read without, and
the uploads, as one archive encrypted with the operator's passphrase (backup_crypto.py).

The database is a consistent snapshot taken while the site serves: SQLite's online backup
API copies it in one step inside one read transaction (WAL readers never block writers),
and on PostgreSQL `pg_dump` reads it in one repeatable-read transaction. The archive also
holds the secret key and the identity keys (phone numbers and document numbers are stored
only as keyed hashes: without the keys nobody could be matched again) and the uploads.

A restore goes into a fresh data directory or an empty database only, never over live data.
Plaintext exists only in a temporary folder inside the owner-only data directory.
"""

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from huzhu.accounts.backup_crypto import decrypt, encrypt
from huzhu.sqlite import driver

SQLITE_FILE, POSTGRES_FILE, MANIFEST = "database.sqlite3", "database.pgdump", "manifest.json"
# Where settings.py reads each key when it is not the data directory's file.
ENV_NAMES = {
    "secret_key": "SECRET_KEY",
    "identity_keys": "HUZHU_IDENTITY_KEYS",
    "vapid_key": "HUZHU_VAPID_KEY",  # else every browser's push subscription ends
}


class BackupFailed(Exception):
    """pg_dump or pg_restore is missing or failed."""


class RestoreRefused(Exception):
    """The restore would overwrite data, or the backup does not fit this server."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    created_at: str


def _key_values() -> dict[str, str]:
    return {
        "secret_key": settings.SECRET_KEY,
        "identity_keys": settings.HUZHU_IDENTITY_KEYS,
        "vapid_key": settings.HUZHU_VAPID_KEY,
    }


def _pg_env() -> dict[str, str]:
    database = settings.DATABASES["default"]
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv
    except FileNotFoundError as error:
        raise BackupFailed(
            f"{command[0]} is not installed: install the PostgreSQL client of the server's "
            "major version (Debian: postgresql-client-15)."
        ) from error
    if done.returncode != 0:
        raise BackupFailed(f"{command[0]} failed: {done.stderr.strip()}")


def _snapshot_database(folder: Path) -> Path:
    if connection.vendor == "postgresql":
        target = folder / POSTGRES_FILE
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])
        return target
    target = folder / SQLITE_FILE
    connection.ensure_connection()
    copy = driver(connection).connect(str(target))
    try:
        connection.connection.backup(copy)  # one step: one consistent read transaction
    finally:
        copy.close()
    return target


def make_backup(target: BinaryIO, passphrase: str) -> Manifest:
    """Write an encrypted archive of the database, the keys and the uploads to `target`."""
    manifest = Manifest(vendor=connection.vendor, created_at=timezone.now().isoformat())
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix="backup-") as work:
        folder = Path(work)
        database = _snapshot_database(folder)
        plain = folder / "archive.tar"
        with tarfile.open(plain, "w") as archive:
            archive.add(database, arcname=database.name)
            for name, value in _key_values().items():
                (folder / name).write_text(value, encoding="utf-8")
                archive.add(folder / name, arcname=name)
            (folder / MANIFEST).write_text(json.dumps(manifest.__dict__), encoding="utf-8")
            archive.add(folder / MANIFEST, arcname=MANIFEST)
            if Path(settings.MEDIA_ROOT).is_dir():
                archive.add(settings.MEDIA_ROOT, arcname="uploads")
        with plain.open("rb") as source:
            encrypt(source, target, passphrase)
    return manifest


def _refuse_unless_empty() -> None:
    if connection.introspection.table_names():
        raise RestoreRefused(
            "The database already has tables: restore only into a fresh data directory "
            "or an empty database."
        )


def _restore_database(folder: Path, manifest: Manifest) -> None:
    if manifest.vendor != connection.vendor:
        raise RestoreRefused(
            f"This backup is of a {manifest.vendor} database; this server uses {connection.vendor}."
        )
    if connection.vendor == "postgresql":
        connections.close_all()
        dump = str(folder / POSTGRES_FILE)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                settings.DATABASES["default"]["NAME"],
                dump,
            ]
        )
        return
    path = Path(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)  # the empty file this process opened to check
    shutil.copyfile(folder / SQLITE_FILE, path)
    path.chmod(0o600)


def _restore_files(folder: Path) -> list[str]:
    """Write the keys and the uploads into the data directory; return warnings."""
    warnings = []
    for name, value_now in _key_values().items():
        if not (folder / name).exists():
            continue  # a backup made before this key existed: keep this server's
        value = (folder / name).read_text(encoding="utf-8")
        (Path(settings.DATA_DIR) / name).write_text(value, encoding="utf-8")
        variable = ENV_NAMES[name]
        if value_now != value and (os.environ.get(variable) or os.environ.get(f"{variable}_FILE")):
            warnings.append(
                f"{variable} is set and differs from the backup's {name}: use the backup's."
            )
    uploads = folder / "uploads"
    if uploads.is_dir():
        shutil.copytree(uploads, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return warnings


def restore_backup(source: BinaryIO, passphrase: str) -> tuple[Manifest, list[str]]:
    """Restore an archive into this (empty) database and data directory."""
    _refuse_unless_empty()
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix="restore-") as work:
        folder = Path(work)
        plain = folder / "archive.tar"
        with plain.open("wb") as target:
            decrypt(source, target, passphrase)
        with tarfile.open(plain) as archive:
            archive.extractall(folder, filter="data")
        manifest = Manifest(**json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
        _restore_database(folder, manifest)
        return manifest, _restore_files(folder)
