"""How long the development outbox keeps what it holds, and the deploy check against it.

The outbox table holds phone numbers, e-mail addresses and one-time codes in the clear, so:
a code is blanked out of its message as soon as it stops working, every message is deleted
a day after it was sent (by the periodic `tend_outbox` task, and before `huzhu outbox`
prints anything), and erasure deletes every message to any address the person ever gave,
verified or not (trust/personal_data.py, where the addresses are). `huzhu check --deploy`
fails while SMS or e-mail would go to the outbox unless the operator sets HUZHU_ALLOW_OUTBOX.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.utils import timezone

from huzhu.accounts.models import OutboxMessage

logger = logging.getLogger(__name__)
KEEP = timedelta(days=1)
REDACTED = "[expired code]"
OUTBOX_BACKENDS = {
    "HUZHU_SMS_BACKEND": "huzhu.accounts.outbox.OutboxSMSBackend",
    "HUZHU_EMAIL_BACKEND": "huzhu.accounts.outbox.OutboxEmailBackend",
}


def redact_expired(*, now: datetime | None = None) -> int:
    """Blank every expired code out of its message; return how many messages changed."""
    now = now or timezone.now()
    expired = OutboxMessage.objects.filter(secret_expires_at__lte=now).exclude(secret="")
    changed = 0
    for message in expired.only("pk", "body", "subject", "secret"):
        changed += OutboxMessage.objects.filter(pk=message.pk, secret=message.secret).update(
            body=message.body.replace(message.secret, REDACTED),
            subject=message.subject.replace(message.secret, REDACTED),
            secret="",
            secret_expires_at=None,
        )
    return changed


def purge_old(*, now: datetime | None = None) -> int:
    """Delete every message older than a day; return how many."""
    now = now or timezone.now()
    deleted, _ = OutboxMessage.objects.filter(created_at__lt=now - KEEP).delete()
    return deleted


def tend(*, now: datetime | None = None) -> tuple[int, int]:
    """Redact expired codes, then purge old messages: (redacted, purged)."""
    now = now or timezone.now()
    redacted, purged = redact_expired(now=now), purge_old(now=now)
    if redacted or purged:
        logger.info("outbox: %s codes redacted, %s messages purged", redacted, purged)
    return redacted, purged


def check_outbox(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """Deploy check: SMS and e-mail must reach people, not a table of secrets."""
    if settings.HUZHU_ALLOW_OUTBOX:
        return []
    return [
        Error(
            f"{name} is the development outbox: codes and addresses would be stored in the "
            "database instead of being sent.",
            hint=f"Set {name} to a real gateway, or HUZHU_ALLOW_OUTBOX=1 if this is meant.",
            id="huzhu.E010",
        )
        for name, outbox_path in OUTBOX_BACKENDS.items()
        if getattr(settings, name) == outbox_path
    ]
