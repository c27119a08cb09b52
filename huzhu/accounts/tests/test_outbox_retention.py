"""The outbox keeps no secret longer than it works, nothing longer than a day, nothing of an
erased person, and `check --deploy` refuses it unless the operator says it is meant."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.utils import timezone

from huzhu.accounts import outbox
from huzhu.accounts.erasure import erase_account
from huzhu.accounts.models import OutboxMessage, User
from huzhu.accounts.outbox_retention import REDACTED
from huzhu.accounts.tasks import tend_outbox
from huzhu.accounts.tests.test_password_reset import CONFIRM, NEW_PASSWORD, ask, code_in_mail
from huzhu.conftest import Api
from huzhu.trust.tests.helpers import mark_email_verified, start, verify_phone

ALICE_MAIL = "alice@example.org"
UNVERIFIED_PHONE = "+8613911112222"
VERIFIED_PHONE = "+8613933334444"
BOBS_PHONE = "+8613955556666"


def printed_outbox() -> str:
    out = StringIO()
    call_command("outbox", "--limit", "100", stdout=out)
    return out.getvalue()


def test_a_reset_code_is_blanked_out_once_expired_and_no_longer_works(alice: User) -> None:
    mark_email_verified(alice, ALICE_MAIL)
    assert ask(ALICE_MAIL).status_code == 202
    code = code_in_mail(ALICE_MAIL)  # as an attacker reading the table would
    assert code in printed_outbox()  # still working: a developer can read it
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        tend_outbox.call()
        body = OutboxMessage.objects.get(to=ALICE_MAIL).body
        assert code not in body
        assert REDACTED in body
        answer = Api().post(CONFIRM, {"code": code, "password": NEW_PASSWORD})
    assert answer.status_code == 422
    assert not OutboxMessage.objects.exclude(secret="").exists()


def test_a_verification_code_is_blanked_out_when_the_outbox_is_read(api: Api, alice: User) -> None:
    assert start(api.as_user(alice), "phone", UNVERIFIED_PHONE).status_code == 201
    sms = OutboxMessage.objects.get(to=UNVERIFIED_PHONE)
    assert sms.secret and sms.secret in sms.body
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        printed = printed_outbox()
    assert sms.secret not in printed
    assert REDACTED in printed
    assert sms.secret not in OutboxMessage.objects.get(pk=sms.pk).body


def test_messages_are_deleted_after_a_day(db: None) -> None:
    now = timezone.now()
    with time_machine.travel(now - timedelta(hours=25)):
        outbox.send_email(ALICE_MAIL, "Old", "sent yesterday")
    with time_machine.travel(now - timedelta(hours=23)):
        outbox.send_email(ALICE_MAIL, "Recent", "sent today")
    tend_outbox.call()
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["Recent"]
    with time_machine.travel(now + timedelta(hours=2)):
        assert printed_outbox().strip() == "The outbox is empty."  # purged on read too
    assert not OutboxMessage.objects.exists()


def test_erasure_removes_mail_to_every_address_given_verified_or_not(
    api: Api, alice: User, bob: User, settings: Any
) -> None:
    settings.HUZHU_VERIFY_RESEND_SECONDS = 0
    alice.email = "typed-once@example.org"
    alice.save()
    as_alice = api.as_user(alice)
    assert verify_phone(as_alice, VERIFIED_PHONE).status_code == 200
    assert start(as_alice, "phone", UNVERIFIED_PHONE).status_code == 201  # never confirmed
    assert start(as_alice, "email", "Unconfirmed@Example.org").status_code == 201
    outbox.send_email("typed-once@example.org", "Hello", "a notice")
    assert verify_phone(api.as_user(bob), BOBS_PHONE).status_code == 200
    erase_account(user=User.objects.get(pk=alice.pk))
    left = set(OutboxMessage.objects.values_list("to", flat=True))
    assert left == {BOBS_PHONE}


def test_the_deploy_check_fails_while_the_outbox_is_configured(db: None) -> None:
    with pytest.raises(SystemCheckError, match=r"huzhu\.E010"):
        call_command("check", "--deploy", "--fail-level", "ERROR", stdout=StringIO())
    with override_settings(HUZHU_ALLOW_OUTBOX=True):
        call_command("check", "--deploy", "--fail-level", "ERROR", stdout=StringIO())


def test_the_deploy_check_passes_with_real_gateways(db: None) -> None:
    gateway = "huzhu.accounts.tests.test_outbox.RecordingSMSBackend"
    only_sms = override_settings(HUZHU_SMS_BACKEND=gateway)
    with only_sms, pytest.raises(SystemCheckError, match="HUZHU_EMAIL_BACKEND"):
        call_command("check", "--deploy", "--fail-level", "ERROR", stdout=StringIO())
    with override_settings(HUZHU_SMS_BACKEND=gateway, HUZHU_EMAIL_BACKEND=gateway):
        call_command("check", "--deploy", "--fail-level", "ERROR", stdout=StringIO())
