"""Writes for document verification, the path for people without a local phone or ID.

The person gives the document's type, issuing country and number (POST
/me/verifications with method "document"), then its photo (POST
/me/verifications/{id}/document, multipart, or both at once on the web page). The number
is hashed at once and never stored; the photo waits on disk for a moderator, who
approves or rejects it with a reason (audited), and is deleted once the decision is
committed. Approval is a verification like a phone's (TL1).

Unlike a phone, a taken document is refused when it is submitted, not only when it is
approved: otherwise the person would send a photo of their passport for nothing. It costs
an oracle ("is this number registered?"), held down by the same per-person and per-number
rate limits as codes, and useful only to someone who already holds the document's number.
"""

import re
from datetime import datetime, timedelta
from functools import partial

import phonenumbers
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu import keys
from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid
from huzhu.safety import audit
from huzhu.safety.models import AuditEntry
from huzhu.trust import document_files
from huzhu.trust.limits import lock_person
from huzhu.trust.models import DocumentCheck, DocumentType, Verification, VerifiedDocument
from huzhu.trust.services import recompute_level
from huzhu.trust.verification import check_rate

M = Verification.Method
S = Verification.Status
NUMBER = re.compile(r"^[A-Z0-9]{4,30}$")
Action = AuditEntry.Action
AUDIT_TARGET = "document"


def normalise_number(document_type: str, country: str, raw: str) -> str:
    """The same document however it is typed: upper case, no spaces, dashes or dots, and
    scoped by type and country (two countries may issue the same number)."""
    number = re.sub(r"[\s\-./]", "", raw).upper()
    if not NUMBER.match(number):
        raise Invalid(
            _("A document number has 4 to 30 letters and digits."), field="document_number"
        )
    return f"{document_type}:{country}:{number}"


def normalise_country(raw: str) -> str:
    country = raw.strip().upper()
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise Invalid(_("Choose the country that issued the document."), field="country")
    return country


def document_taken() -> Conflict:
    return Conflict(
        _(
            "This document already verifies another account: one person, one account. "
            "If that account is yours, log in to it, or ask a moderator for account recovery."
        ),
        code="document_taken",
    )


def _hashes(normalised: str) -> tuple[str, str]:
    """The current key's hash, and the older versions' (space-separated) for lookups."""
    hashes = keys.digests(normalised, purpose="document")
    current = keys.current_version()
    return hashes[current], " ".join(h for v, h in sorted(hashes.items()) if v != current)


def _taken_by_another(user: User, hashes: list[str]) -> bool:
    others = VerifiedDocument.objects.filter(number_hash__in=hashes).exclude(user=user)
    return others.exists()


@transaction.atomic
def start_document_verification(
    *, user: User, document_type: str, country: str, number: str
) -> Verification:
    """Record the document's details (its number only hashed); the photo comes next."""
    if document_type not in DocumentType.values:
        raise Invalid(_("Choose the type of document."), field="document_type")
    country = normalise_country(country)
    current, legacy = _hashes(normalise_number(document_type, country, number))
    now = timezone.now()
    lock_person(user)
    check_rate(user=user, method=M.DOCUMENT, address_hash=current, now=now)
    if _taken_by_another(user, [current, *legacy.split()]):
        raise document_taken()
    _supersede_pending(user)
    verification = Verification.objects.create(
        user=user,
        method=M.DOCUMENT,
        address_hash=current,
        legacy_hashes=legacy,
        key_version=keys.current_version(),
        created_at=now,
        expires_at=now + timedelta(hours=settings.HUZHU_DOCUMENT_UPLOAD_HOURS),
    )
    DocumentCheck.objects.create(
        verification=verification, document_type=document_type, country=country
    )
    return verification


def _supersede_pending(user: User) -> None:
    """A new document replaces one still waiting; its photo goes."""
    pending = Verification.objects.filter(user=user, method=M.DOCUMENT, status=S.PENDING)
    for path in DocumentCheck.objects.filter(verification__in=pending).values_list(
        "image_path", flat=True
    ):
        transaction.on_commit(partial(document_files.delete, path), robust=True)
    DocumentCheck.objects.filter(verification__in=pending).update(image_path="")
    pending.update(status=S.SUPERSEDED)


def _refuse_unless_waiting(verification: Verification) -> DocumentCheck:
    if verification.method != M.DOCUMENT:
        raise Conflict(_("This verification is not a document check."), code="not_a_document")
    if verification.status != S.PENDING:
        raise Conflict(_("This document check is already closed."), code="already_decided")
    return verification.document


@transaction.atomic
def attach_image(*, verification: Verification, upload: UploadedFile | None) -> Verification:
    """Keep the photo for a moderator; a second photo before the decision replaces it."""
    check = _refuse_unless_waiting(verification)
    now = timezone.now()
    if check.uploaded_at is None and now >= verification.expires_at:
        raise Conflict(
            _("Too late for this document: start again with its details."), code="code_expired"
        )
    if upload is None:
        raise Invalid(_("Choose a photo of your document."), field="image")
    stored = document_files.store(upload)
    try:
        DocumentCheck.objects.filter(pk=check.pk).update(image_path=stored, uploaded_at=now)
    except Exception:  # the new file must not outlive a failed write
        document_files.delete(stored)
        raise
    transaction.on_commit(partial(document_files.delete, check.image_path), robust=True)
    check.image_path, check.uploaded_at = stored, now
    return verification


@transaction.atomic
def decide_document(
    *, moderator: User, verification: Verification, approve: bool, reason: str
) -> Verification:
    """Approve (a verification, TL1) or reject, with a reason; the photo is deleted."""
    if not reason.strip():
        raise Invalid(_("Give a reason: the person will read it."), field="reason")
    check = _refuse_unless_waiting(verification)
    if check.uploaded_at is None:
        raise Conflict(_("No photo has been sent yet."), code="no_image")
    now = timezone.now()
    done = Verification.objects.filter(pk=verification.pk, status=S.PENDING).update(
        status=S.CONFIRMED if approve else S.REJECTED, confirmed_at=now if approve else None
    )
    if done != 1:
        raise Conflict(_("This document check is already closed."), code="already_decided")
    if approve:
        _keep_document(verification, check, now)
    DocumentCheck.objects.filter(pk=check.pk).update(
        image_path="", decided_at=now, decided_by=moderator, decision_reason=reason.strip()
    )
    transaction.on_commit(partial(document_files.delete, check.image_path), robust=True)
    audit.record(
        actor=moderator,
        action=Action.DOCUMENT_APPROVED if approve else Action.DOCUMENT_REJECTED,
        target_type=AUDIT_TARGET,
        target_id=verification.pk,
        now=now,
        reason=reason.strip(),
    )
    verification.refresh_from_db()
    assert verification.user is not None, "a document always has its owner"
    recompute_level(user=verification.user, now=now)
    return verification


def _keep_document(verification: Verification, check: DocumentCheck, now: datetime) -> None:
    user = verification.user
    assert user is not None, "a document always has its owner"
    if _taken_by_another(user, [verification.address_hash, *verification.legacy_hashes.split()]):
        raise document_taken()
    try:
        with transaction.atomic():
            VerifiedDocument.objects.update_or_create(
                user=user,
                defaults={
                    "number_hash": verification.address_hash,
                    "key_version": verification.key_version,
                    "document_type": check.document_type,
                    "country": check.country,
                    "verified_at": now,
                },
            )
    except IntegrityError as exc:  # a concurrent approval took the document
        raise document_taken() from exc


def forget_images_of(user: User) -> None:
    """Erasure: the photos of the person's checks go with their rows (on commit)."""
    paths = DocumentCheck.objects.filter(verification__user=user).exclude(image_path="")
    for path in paths.values_list("image_path", flat=True):
        transaction.on_commit(partial(document_files.delete, path), robust=True)
