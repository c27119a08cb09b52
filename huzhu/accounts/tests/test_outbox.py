"""The outbox adapters and `huzhu outbox`."""

import json
import logging
from datetime import UTC, datetime, timedelta
from functools import partial
from io import StringIO
from typing import ClassVar

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from huzhu.accounts import delivery, outbox
from huzhu.accounts.models import Delivery, OutboxMessage

T0 = datetime(2026, 1, 15, 8, 30, tzinfo=UTC)
PHONE = "+8613800138000"
EMAIL = "alice@example.org"


class RecordingSMSBackend:
    """A stand-in gateway, as an operator's real one would be configured."""

    sent: ClassVar[list[tuple[str, str]]] = []

    def send_sms(self, to: str, body: str) -> str:
        self.sent.append((to, body))
        return "gw-1"


def run_outbox(*args: str) -> str:
    """Read shortly after `send_three` sent: the outbox deletes day-old messages on read."""
    out = StringIO()
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        call_command("outbox", *args, stdout=out)
    return out.getvalue()


def send_three() -> None:
    with time_machine.travel(T0, tick=False):
        outbox.send_sms(PHONE, "Your Huzhu code is 123456")
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        outbox.send_email(EMAIL, "Confirm your address", "Your code is 654321")
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        outbox.send_sms(PHONE, "Your Huzhu code is 777777")


@pytest.mark.django_db
def test_it_stores_sms_in_the_outbox() -> None:
    with time_machine.travel(T0, tick=False):
        message_id = outbox.send_sms(PHONE, "Your Huzhu code is 123456")
    message = OutboxMessage.objects.get(pk=int(message_id))
    assert message.channel == "sms"
    assert message.to == PHONE
    assert message.body == "Your Huzhu code is 123456"
    assert message.subject == ""
    assert message.created_at == T0


@pytest.mark.django_db
def test_it_stores_email_with_its_subject() -> None:
    outbox.send_email(EMAIL, "Confirm your address", "Your code is 654321")
    message = OutboxMessage.objects.get()
    assert (message.channel, message.to, message.subject) == (
        "email",
        EMAIL,
        "Confirm your address",
    )


@pytest.mark.django_db
def test_a_real_gateway_gets_the_message_from_a_task_once() -> None:
    RecordingSMSBackend.sent = []
    path = f"{__name__}.RecordingSMSBackend"
    with override_settings(HUZHU_SMS_BACKEND=path):
        queued = outbox.send_sms(PHONE, "hello")
    assert RecordingSMSBackend.sent == []  # nothing in the request
    row = Delivery.objects.get()
    assert queued == f"delivery-{row.pk}"
    assert PHONE not in row.sealed_to and "hello" not in row.sealed_body
    assert delivery.send(row.pk) == "sent"
    assert delivery.send(row.pk) == "skipped"  # a retried task never sends twice
    assert RecordingSMSBackend.sent == [(PHONE, "hello")]
    row.refresh_from_db()
    assert (row.status, row.provider_id, row.sealed_to, row.sealed_body) == ("sent", "gw-1", "", "")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_it_logs_ids_never_addresses(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="huzhu.accounts.outbox"):
        sms_id = outbox.send_sms(PHONE, "code 1")
        outbox.send_email(EMAIL, "subject", "code 2")
    assert sms_id in caplog.text
    assert PHONE not in caplog.text
    assert EMAIL not in caplog.text
    assert "code" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_it_sends_nothing_when_the_callers_transaction_rolls_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(partial(outbox.send_sms, PHONE, "never"))
        raise RuntimeError
    with transaction.atomic():
        transaction.on_commit(partial(outbox.send_sms, PHONE, "sent"))
    assert list(OutboxMessage.objects.values_list("body", flat=True)) == ["sent"]


@pytest.mark.django_db
def test_it_prints_messages_newest_last() -> None:
    send_three()
    text = run_outbox()
    assert text.index("123456") < text.index("654321") < text.index("777777")
    assert "Confirm your address" in text
    assert "2026-01-15 08:30:00 UTC" in text


@pytest.mark.django_db
def test_it_prints_json() -> None:
    send_three()
    printed = json.loads(run_outbox("--json"))
    assert [m["body"] for m in printed][-1] == "Your Huzhu code is 777777"
    assert printed[1] == {
        "channel": "email",
        "to": EMAIL,
        "subject": "Confirm your address",
        "body": "Your code is 654321",
        "created_at": "2026-01-15T08:31:00+00:00",
    }


@pytest.mark.django_db
def test_it_filters_by_address_and_limits_to_the_newest() -> None:
    send_three()
    printed = json.loads(run_outbox("--to", PHONE, "--json", "--limit", "1"))
    assert [m["body"] for m in printed] == ["Your Huzhu code is 777777"]
    assert json.loads(run_outbox("--to", "+8600000000000", "--json")) == []


@pytest.mark.django_db
def test_it_says_when_the_outbox_is_empty() -> None:
    assert "empty" in run_outbox()


@pytest.mark.django_db
def test_it_refuses_a_limit_below_one() -> None:
    with pytest.raises(CommandError, match="limit"):
        run_outbox("--limit", "0")
