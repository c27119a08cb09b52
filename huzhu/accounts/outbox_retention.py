"""How long the development outbox keeps what it holds, and the deploy check against it.

The outbox table holds phone numbers, e-mail addresses and one-time codes in the clear, so:
a code is blanked out of its message as soon as it stops working, every message is deleted
a day after it was sent (by the periodic `tend_outbox` task, and before `huzhu outbox`
prints anything), and erasure deletes every message to any address the person ever gave,
verified or not. `huzhu check --deploy` fails while SMS or e-mail would go to the outbox
unless the operator sets HUZHU_ALLOW_OUTBOX.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.utils import timezone

from huzhu import keys
from huzhu.accounts.models import OutboxMessage, User
from huzhu.trust.models import Verification, VerifiedEmail, VerifiedPhone

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


def _hashes_given_by(user: User) -> set[str]:
    """Every keyed hash of a phone number or e-mail address the person ever gave."""
    hashes: set[str] = set()
    for address_hash, legacy in Verification.objects.filter(
        user=user, method__in=[Verification.Method.PHONE, Verification.Method.EMAIL]
    ).values_list("address_hash", "legacy_hashes"):
        hashes.update([address_hash, *legacy.split()])
    hashes.update(VerifiedPhone.objects.filter(user=user).values_list("phone_hash", flat=True))
    return hashes


def _emails_given_by(user: User) -> set[str]:
    emails = {user.email}
    emails.update(VerifiedEmail.objects.filter(user=user).values_list("address", flat=True))
    emails.update(Verification.objects.filter(user=user).values_list("email", flat=True))
    return {email.strip().lower() for email in emails if email}


def _was_given(message: OutboxMessage, emails: set[str], hashes: set[str]) -> bool:
    address = message.to.strip()
    if message.channel == OutboxMessage.Channel.EMAIL and address.lower() in emails:
        return True
    purpose = "phone" if message.channel == OutboxMessage.Channel.SMS else "email"
    value = address if purpose == "phone" else address.lower()
    return not hashes.isdisjoint(keys.digests(value, purpose=purpose).values())


def forget_addresses_of(user: User) -> int:
    """Erasure: delete every message to an address the person gave, verified or not.

    Phone numbers are known only by their keyed hashes, so each message's address is
    hashed under every key version. Call it before the verifications are deleted."""
    emails, hashes = _emails_given_by(user), _hashes_given_by(user)
    doomed = [
        message.pk
        for message in OutboxMessage.objects.only("pk", "channel", "to")
        if _was_given(message, emails, hashes)
    ]
    deleted, _ = OutboxMessage.objects.filter(pk__in=doomed).delete()
    return deleted


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
