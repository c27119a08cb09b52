"""The audit trail is append-only: the application refuses, and so does the database.

Run on both engines (DATABASE_URL=postgres://… for PostgreSQL): the triggers differ.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from huzhu.safety import audit
from huzhu.safety.models import AppendOnly, AuditEntry


@pytest.fixture
def entry(db: None) -> AuditEntry:
    return audit.record(
        actor=None, action="hide", target_type="post", target_id=7, rule="spam", now=timezone.now()
    )


def test_an_entry_records_who_what_and_why(entry: AuditEntry) -> None:
    saved = AuditEntry.objects.get()
    assert (saved.action, saved.target_id, saved.rule, saved.automated) == ("hide", 7, "spam", True)
    assert saved.actor_id is None


def test_the_model_refuses_to_change_or_delete_an_entry(entry: AuditEntry) -> None:
    entry.reason = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    assert AuditEntry.objects.get().reason == ""


def test_the_database_refuses_bulk_updates_and_deletes(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get().reason == ""


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE safety_auditentry SET reason = 'rewritten'",
        "UPDATE safety_auditentry SET action = 'restore' WHERE id = %s",
        "DELETE FROM safety_auditentry",
        "DELETE FROM safety_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql(entry: AuditEntry, statement: str) -> None:
    params = [entry.pk] if "%s" in statement else []
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)
    assert AuditEntry.objects.filter(pk=entry.pk, action="hide", reason="").exists()


def test_new_entries_are_still_appended(entry: AuditEntry) -> None:
    audit.record(actor=None, action="restore", target_type="post", target_id=7, now=timezone.now())
    assert AuditEntry.objects.count() == 2
