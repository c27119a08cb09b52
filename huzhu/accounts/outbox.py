"""How Huzhu sends SMS and e-mail: through a backend named in settings.

`HUZHU_SMS_BACKEND` and `HUZHU_EMAIL_BACKEND` name a class (dotted path) with a
`send_sms` or `send_email` method. The defaults store each message in the outbox table,
which `huzhu outbox` prints, so a developer or a test can read a one-time code without a
real gateway. A real gateway is one small class that satisfies the Protocol below.

Send only after the transaction that decided to send has committed, so a rolled-back
sign-up or verification never texts anybody:

    transaction.on_commit(partial(outbox.send_sms, phone, message))

Log lines carry message ids, never addresses: a phone number in a log file is a leak.
"""

import logging
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from huzhu.accounts.models import OutboxMessage

logger = logging.getLogger(__name__)


class SMSBackend(Protocol):
    def send_sms(self, to: str, body: str) -> str:
        """Send one text message; return the backend's id for it."""
        ...


class EmailBackend(Protocol):
    def send_email(self, to: str, subject: str, body: str) -> str:
        """Send one e-mail; return the backend's id for it."""
        ...


class OutboxSMSBackend:
    """Development default: the message lands in the outbox table."""

    def send_sms(self, to: str, body: str) -> str:
        message = OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.SMS, to=to, body=body, created_at=timezone.now()
        )
        return str(message.pk)


class OutboxEmailBackend:
    """Development default: the message lands in the outbox table."""

    def send_email(self, to: str, subject: str, body: str) -> str:
        message = OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.EMAIL,
            to=to,
            subject=subject,
            body=body,
            created_at=timezone.now(),
        )
        return str(message.pk)


def sms_backend() -> SMSBackend:
    backend: SMSBackend = import_string(settings.HUZHU_SMS_BACKEND)()
    return backend


def email_backend() -> EmailBackend:
    backend: EmailBackend = import_string(settings.HUZHU_EMAIL_BACKEND)()
    return backend


def send_sms(to: str, body: str) -> str:
    """Send a text message through the configured backend. Call it on commit."""
    message_id = sms_backend().send_sms(to, body)
    logger.info("sms sent id=%s", message_id)
    return message_id


def send_email(to: str, subject: str, body: str) -> str:
    """Send an e-mail through the configured backend. Call it on commit."""
    message_id = email_backend().send_email(to, subject, body)
    logger.info("email sent id=%s", message_id)
    return message_id
