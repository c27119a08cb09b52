"""What the trust app keeps about a person, for their export and their erasure: phone and
e-mail verifications, the trust level, reviews, document checks, vouches and organisation
status. Registered in accounts/personal_data.py."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from huzhu import keys
from huzhu.accounts.models import OutboxMessage, User
from huzhu.accounts.personal_data import Part, Pseudonym
from huzhu.text.contact import mask_contacts
from huzhu.trust import documents
from huzhu.trust.models import (
    DocumentCheck,
    Organisation,
    Review,
    TrustState,
    Verification,
    VerifiedDocument,
    VerifiedEmail,
    VerifiedPhone,
    Vouch,
)
from huzhu.trust.reputation import revealed_reviews
from huzhu.trust.services import recompute_level


def export_trust(user: User, pseudonym: Pseudonym) -> dict[str, Any]:
    return {
        "verifications": _verifications(user, pseudonym),
        "reviews_given": [
            {**_review(r), "reviewed": pseudonym(user, r.reviewee_id)}
            for r in Review.objects.filter(reviewer=user).order_by("created_at", "pk")
        ],
        # Received reviews only once revealed, as the double-blind shows them.
        "reviews_received": [
            {**_review(r, masked=True), "reviewer": pseudonym(user, r.reviewer_id)}
            for r in revealed_reviews(timezone.now())
            .filter(reviewee=user)
            .order_by("created_at", "pk")
        ],
    }


def _review(review: Review, *, masked: bool = False) -> dict[str, Any]:
    """`masked`: someone else wrote it, so their contact details stay theirs."""
    text = mask_contacts if masked else str
    return {
        "exchange_id": review.exchange_id,
        "score": review.score,
        "comment": text(review.comment),
        "thanks": text(review.thanks),
        "publish_thanks": review.publish_thanks,
        "counts": review.counts,
        "created_at": review.created_at,
    }


def _verifications(user: User, pseudonym: Pseudonym) -> dict[str, Any]:
    phone = VerifiedPhone.objects.filter(user=user).first()
    email = VerifiedEmail.objects.filter(user=user).first()
    state = TrustState.objects.filter(user=user).first()
    return {
        # A hash of the number, and sealed copies: one so Huzhu can text its owner, one
        # only if they chose to share it on reveal.
        "phone_verified_at": phone.verified_at if phone else None,
        "phone_kept_for_reveal": bool(phone and phone.sealed_phone),
        "phone_kept_for_texts": bool(phone and phone.sealed_contact),
        "email": email.address if email else None,
        "email_verified_at": email.verified_at if email else None,
        "trust_level": state.level if state else 0,
        # Documents, vouches and organisation status: dates and kinds, never a number.
        **_documents_and_vouches(user, pseudonym),
    }


def _documents_and_vouches(user: User, pseudonym: Pseudonym) -> dict[str, Any]:
    """Dates and kinds only: no document number or registration number is kept to export.
    The other side of a vouch appears as the export's pseudonym."""
    document = VerifiedDocument.objects.filter(user=user).first()
    organisation = Organisation.objects.filter(user=user).first()
    checks = DocumentCheck.objects.filter(verification__user=user).select_related("verification")
    return {
        "document_verified_at": document.verified_at if document else None,
        "document_type": document.document_type if document else None,
        "document_country": document.country if document else None,
        "document_checks": [
            {
                "status": check.verification.status,
                "document_type": check.document_type,
                "country": check.country,
                "created_at": check.verification.created_at,
                "photo_held": bool(check.image_path),
                "decided_at": check.decided_at,
                "decision_reason": check.decision_reason,
            }
            for check in checks.order_by("pk")
        ],
        "vouches_given": [
            {
                "for": pseudonym(user, vouch.vouchee_id),
                "created_at": vouch.created_at,
                "withdrawn_at": vouch.withdrawn_at,
            }
            for vouch in Vouch.objects.filter(voucher=user).order_by("created_at", "pk")
        ],
        "vouches_received": [
            {"from": pseudonym(user, vouch.voucher_id), "created_at": vouch.created_at}
            for vouch in Vouch.objects.filter(vouchee=user, withdrawn_at__isnull=True).order_by(
                "created_at", "pk"
            )
        ],
        "organisation": {
            "kind": organisation.kind,
            "name": organisation.name,
            "verified_at": organisation.verified_at,
        }
        if organisation
        else None,
    }


def erase_trust(user: User) -> None:
    """Review scores stay (the other person's reputation rests on them), the words go.
    Document photos (on commit), document hashes, vouches both ways and organisation status
    go; the people this person vouched for are measured again without them. Then the
    verifications they hung on, and the trust state."""
    forget_addresses_of(user)  # before the verifications that name the addresses
    Review.objects.filter(reviewer=user).update(comment="", thanks="", publish_thanks=False)
    documents.forget_images_of(user)
    DocumentCheck.objects.filter(verification__user=user).delete()
    VerifiedDocument.objects.filter(user=user).delete()
    Organisation.objects.filter(user=user).delete()
    vouched = list(Vouch.objects.filter(voucher=user).values_list("vouchee_id", flat=True))
    Vouch.objects.filter(Q(voucher=user) | Q(vouchee=user)).delete()
    for person in User.objects.filter(pk__in=vouched, is_active=True):
        with transaction.atomic():
            recompute_level(user=person)
    for model in (Verification, VerifiedPhone, VerifiedEmail, TrustState):
        model._default_manager.filter(user=user).delete()


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


PART = Part(app="trust", export=export_trust, erase=erase_trust)
