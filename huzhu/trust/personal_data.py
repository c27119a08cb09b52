"""What the trust app adds to a person's export, and removes at their erasure: document
checks, vouches and organisation status (accounts/export.py and erasure.py call these)."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q

from huzhu.accounts.models import User
from huzhu.trust import documents
from huzhu.trust.models import DocumentCheck, Organisation, VerifiedDocument, Vouch
from huzhu.trust.services import recompute_level


def export_trust(user: User, pseudonym: Callable[[User, int], str]) -> dict[str, Any]:
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
    """Document photos (on commit), document hashes, vouches both ways and organisation
    status go; the people this person vouched for are measured again without them."""
    documents.forget_images_of(user)
    DocumentCheck.objects.filter(verification__user=user).delete()
    VerifiedDocument.objects.filter(user=user).delete()
    Organisation.objects.filter(user=user).delete()
    vouched = list(Vouch.objects.filter(voucher=user).values_list("vouchee_id", flat=True))
    Vouch.objects.filter(Q(voucher=user) | Q(vouchee=user)).delete()
    for person in User.objects.filter(pk__in=vouched, is_active=True):
        with transaction.atomic():
            recompute_level(user=person)
