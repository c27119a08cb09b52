"""Trust API: verify a phone, an e-mail address or a document, and see one's trust level."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from huzhu.accounts.auth import api_auth, caller
from huzhu.trust import documents, queries, verification
from huzhu.trust.models import DocumentCheck, Verification
from huzhu.trust.schemas import ConfirmIn, ErrorOut, TrustOut, VerificationIn, VerificationOut

router = Router(tags=["trust"])


def verification_data(found: Verification) -> dict[str, Any]:
    check = DocumentCheck.objects.filter(pk=found.pk).first()
    return {
        "id": found.pk,
        "method": found.method,
        "status": found.status,
        "expires_at": found.expires_at,
        "document": {
            "document_type": check.document_type,
            "country": check.country,
            "image_received": check.uploaded_at is not None,
            "decided_at": check.decided_at,
            "decision_reason": check.decision_reason,
        }
        if check
        else None,
    }


@router.post(
    "/me/verifications",
    auth=api_auth,
    response={201: VerificationOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Send a one-time code to your phone or e-mail address, or start a document check",
    description="The code is valid for 10 minutes and 5 tries. Asking again within the "
    "cooldown (or too often in an hour) is 429 with `Retry-After`. A phone number without "
    "a country code is read in the server's default region. `show_on_reveal` keeps the "
    "number, encrypted, to show the people you exchange with after you both agree. "
    "With `method: document`, give `document_type`, `country` and `document_number` (kept "
    "only as a keyed hash), then send the photo to `/me/verifications/{id}/document`; a "
    "moderator decides. 409 `document_taken` if the document verifies another account.",
)
def start(request: HttpRequest, payload: VerificationIn) -> Status[Any]:
    if payload.method == "document":
        started = documents.start_document_verification(
            user=caller(request),
            document_type=payload.document_type or "",
            country=payload.country,
            number=payload.document_number,
        )
    else:
        started = verification.start_verification(
            user=caller(request),
            method=payload.method,
            address=payload.address,
            show_phone_on_reveal=payload.show_on_reveal,
        )
    return Status(201, verification_data(started))


@router.post(
    "/me/verifications/{verification_id}/document",
    auth=api_auth,
    response={200: VerificationOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Send the photo of your identity document (multipart, field `image`)",
    description="JPEG, PNG or WebP (judged by the file's bytes), at most 5 MB by default. "
    "Only moderators see it, and it is deleted once they decide. A new photo before the "
    "decision replaces the old one. 409 if the verification is not a document check or is "
    "already decided.",
)
def upload_document(
    request: HttpRequest, verification_id: int, image: File[UploadedFile | None] = None
) -> dict[str, Any]:
    found = queries.access_verification(caller(request), verification_id)
    return verification_data(documents.attach_image(verification=found, upload=image))


@router.post(
    "/me/verifications/{verification_id}/confirm",
    auth=api_auth,
    response={200: VerificationOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Confirm a verification with the code you received",
    description="422 for a wrong code (with the tries left); 409 when the code expired, was "
    "replaced by a newer one, ran out of tries, or the phone already verifies another "
    "account (`phone_taken`).",
)
def confirm(request: HttpRequest, verification_id: int, payload: ConfirmIn) -> dict[str, Any]:
    found = queries.access_verification(caller(request), verification_id)
    return verification_data(
        verification.confirm_verification(verification=found, code=payload.code)
    )


@router.get(
    "/me/trust",
    auth=api_auth,
    response={200: TrustOut, 401: ErrorOut},
    summary="Your trust level, what it unlocks, and every criterion met or missing",
)
def my_trust(request: HttpRequest) -> dict[str, Any]:
    return queries.overview(caller(request))
