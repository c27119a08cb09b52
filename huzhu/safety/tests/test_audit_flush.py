"""A transactional test may write audit entries: its flush still works (huzhu/conftest.py)."""

import pytest
from django.db import connection
from django.utils import timezone

from huzhu.safety import audit
from huzhu.safety.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_audits_ends_cleanly() -> None:
    audit.record(actor=None, action="hide", target_type="post", target_id=1, now=timezone.now())
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_starts_empty_with_the_triggers_in_place() -> None:
    assert AuditEntry.objects.count() == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'safety_auditentry'"
            )
            assert cursor.fetchone()[0] == 2
