"""How Huzhu sends SMS and e-mail: through a backend named in settings.

`HUZHU_SMS_BACKEND` and `HUZHU_EMAIL_BACKEND` name a class (dotted path) with a
`send_sms` or `send_email` method. The defaults store each message in the outbox table,
which `huzhu outbox` prints, so a developer or a test can read a one-time code without a
real gateway. A real gateway is one small class that satisfies the Protocol below.

Send only after the transaction that decided to send has committed, so a rolled-back
sign-up or verification never texts anybody:

    transaction.on_commit(partial(outbox.send_sms, phone, message))

A message carrying a one-time code names it (`secret=`, `expires_at=`): a real gateway
never sees these, the outbox blanks the code out once it expires and deletes every message
after a day (accounts/outbox_retention.py). The outbox is for development: `huzhu check
--deploy` fails while it is configured, unless HUZHU_ALLOW_OUTBOX says it is meant.

A real gateway (accounts/gateways/: Alibaba Cloud SMS, Twilio, SMTP) is never called here:
the message becomes a Delivery row and a background task sends it (accounts/delivery.py),
so a slow or failing provider never slows a request. The outbox is written at once: it is
a local table, and tests and developers read it right after the commit.

Log lines carry message ids, never addresses: a phone number in a log file is a leak.
"""

import logging
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from huzhu.accounts import delivery
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

    def send_sms(
        self, to: str, body: str, *, secret: str = "", expires_at: datetime | None = None
    ) -> str:
        message = OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.SMS,
            to=to,
            body=body,
            created_at=timezone.now(),
            secret=secret if expires_at else "",
            secret_expires_at=expires_at if secret else None,
        )
        return str(message.pk)


class OutboxEmailBackend:
    """Development default: the message lands in the outbox table."""

    def send_email(
        self,
        to: str,
        subject: str,
        body: str,
        *,
        secret: str = "",
        expires_at: datetime | None = None,
    ) -> str:
        message = OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.EMAIL,
            to=to,
            subject=subject,
            body=body,
            created_at=timezone.now(),
            secret=secret if expires_at else "",
            secret_expires_at=expires_at if secret else None,
        )
        return str(message.pk)


def send_sms(to: str, body: str, *, secret: str = "", expires_at: datetime | None = None) -> str:
    """Send a text message through the configured backend. Call it on commit: the outbox
    writes it at once, a real gateway gets it from a background task.

    `secret` is a one-time code in `body` that stops working at `expires_at`."""
    path = settings.HUZHU_SMS_BACKEND
    if import_string(path) is not OutboxSMSBackend:
        queued = delivery.queue(channel=OutboxMessage.Channel.SMS, backend=path, to=to, body=body)
        return f"delivery-{queued.pk}"
    message_id = OutboxSMSBackend().send_sms(to, body, secret=secret, expires_at=expires_at)
    logger.info("sms sent id=%s", message_id)
    return message_id


def send_email(
    to: str, subject: str, body: str, *, secret: str = "", expires_at: datetime | None = None
) -> str:
    """Send an e-mail through the configured backend. Call it on commit.

    `secret` is a one-time code in `body` that stops working at `expires_at`."""
    path = settings.HUZHU_EMAIL_BACKEND
    if import_string(path) is not OutboxEmailBackend:
        queued = delivery.queue(
            channel=OutboxMessage.Channel.EMAIL, backend=path, to=to, body=body, subject=subject
        )
        return f"delivery-{queued.pk}"
    message_id = OutboxEmailBackend().send_email(
        to, subject, body, secret=secret, expires_at=expires_at
    )
    logger.info("email sent id=%s", message_id)
    return message_id
