"""Erasure reaches the disk: SQLite zeroes what is deleted (`secure_delete`) and erasure
checkpoints the WAL, so neither file holds an erased person's words afterwards."""

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from huzhu.accounts.models import User
from huzhu.accounts.tests import test_erasure
from huzhu.accounts.tests.test_erasure import EMAIL, NAME, PHONE, WORDS
from huzhu.conftest import Api

pytestmark = pytest.mark.django_db(transaction=True)  # erasure must really commit
PLANTED = [NAME, EMAIL, PHONE, PHONE[3:], *WORDS]
alices_life = test_erasure.alices_life  # the fixture: something planted in every place


def raw_bytes() -> dict[str, bytes]:
    database = Path(connection.settings_dict["NAME"])
    files = {"database": database, "wal": Path(f"{database}-wal")}
    return {name: path.read_bytes() if path.exists() else b"" for name, path in files.items()}


def found_in(files: dict[str, bytes]) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, content in files.items()
        for value in PLANTED
        if value.encode() in content
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's files")
def test_no_erased_string_is_left_in_the_database_file_or_its_wal(
    api: Api, alice: User, alices_life: dict[str, Any]
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
    before = found_in(raw_bytes())
    assert {value for _, value in before} >= {NAME, EMAIL, *WORDS}  # the seeds are on disk
    bearer = {"Authorization": f"Bearer {alices_life['token']}"}
    assert api.client.delete("/api/v1/me", headers=bearer).status_code == 204
    after = raw_bytes()
    assert found_in(after) == []
    assert after["wal"] == b""  # truncated by the checkpoint
