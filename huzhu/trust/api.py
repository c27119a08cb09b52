"""Trust API: verify a phone or an e-mail address, and see one's own trust level."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.trust import queries, verification
from huzhu.trust.models import Verification
from huzhu.trust.schemas import ConfirmIn, ErrorOut, TrustOut, VerificationIn, VerificationOut

router = Router(tags=["trust"])


def verification_data(found: Verification) -> dict[str, Any]:
    return {
        "id": found.pk,
        "method": found.method,
        "status": found.status,
        "expires_at": found.expires_at,
    }


@router.post(
    "/me/verifications",
    auth=api_auth,
    response={201: VerificationOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Send a one-time code to your phone or e-mail address",
    description="The code is valid for 10 minutes and 5 tries. Asking again within the "
    "cooldown (or too often in an hour) is 429 with `Retry-After`. A phone number without "
    "a country code is read in the server's default region. `show_on_reveal` keeps the "
    "number, encrypted, to show the people you exchange with after you both agree.",
)
def start(request: HttpRequest, payload: VerificationIn) -> Status[Any]:
    started = verification.start_verification(
        user=caller(request),
        method=payload.method,
        address=payload.address,
        show_phone_on_reveal=payload.show_on_reveal,
    )
    return Status(201, verification_data(started))


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
