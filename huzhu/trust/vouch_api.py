"""Vouching and verified organisations in the API.

Vouching is for TL3 and up (403 below, whoever is named: the level is checked before the
person is looked up); the person is any active account (404 otherwise). Naming people is
rate-limited per account (429 with Retry-After), so nobody can list who exists.
Organisations are verified by staff only (403 for everyone else).
"""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.safety import ratelimit
from huzhu.trust import organisations, vouching
from huzhu.trust.models import Organisation, Vouch
from huzhu.trust.schemas import ErrorOut
from huzhu.trust.vouch_schemas import (
    OrganisationIn,
    OrganisationOut,
    RevokeIn,
    VouchesOut,
    VouchOut,
)

router = Router(tags=["trust"])


def vouch_data(vouch: Vouch, other_id: int) -> dict[str, Any]:
    return {
        "id": vouch.pk,
        "user_id": other_id,
        "created_at": vouch.created_at,
        "withdrawn_at": vouch.withdrawn_at,
    }


@router.post(
    "/users/{user_id}/vouch",
    auth=api_auth,
    response={
        201: VouchOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Vouch for someone you know (TL3 and up)",
    description="A vouch from a trusted member verifies the person (TL1). You have a few "
    "vouches a rolling week; each sanction within 90 days against someone you vouched for "
    "costs one. 429 `vouch_allowance` with `Retry-After` when none is left, and 429 "
    "`rate_limited` with `Retry-After` after too many tries in an hour; 403 below TL3 "
    "whether or not the person exists; 409 if you already vouch for them.",
)
def vouch(request: HttpRequest, user_id: int) -> Status[Any]:
    voucher = caller(request)
    ratelimit.hit("vouch_account", voucher.pk)
    vouching.refuse_level(voucher)
    given = vouching.vouch(voucher=voucher, vouchee=vouching.access_person(user_id))
    return Status(201, vouch_data(given, given.vouchee_id))


@router.delete(
    "/users/{user_id}/vouch",
    auth=api_auth,
    response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Withdraw your vouch (it does not come back to your allowance)",
    description="404 alike for a person who does not exist and one you do not vouch for; "
    "429 with `Retry-After` after too many tries in an hour.",
)
def withdraw(request: HttpRequest, user_id: int) -> Status[None]:
    voucher = caller(request)
    ratelimit.hit("vouch_account", voucher.pk)
    vouching.withdraw_vouch(voucher=voucher, vouchee_id=user_id)
    return Status(204, None)


@router.get(
    "/me/vouches",
    auth=api_auth,
    response={200: VouchesOut, 401: ErrorOut},
    summary="Your vouching allowance, the vouches you gave and those you received",
)
def my_vouches(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    allowance = vouching.allowance_of(user)
    return {
        "allowance": {**asdict(allowance), "left": allowance.left},
        "given": [vouch_data(v, v.vouchee_id) for v in vouching.given_by(user)],
        "received": [vouch_data(v, v.voucher_id) for v in vouching.received_by(user)],
    }


def organisation_data(organisation: Organisation) -> dict[str, Any]:
    return {
        "user_id": organisation.user_id,
        "kind": organisation.kind,
        "name": organisation.name,
        "verified_at": organisation.verified_at,
    }


@router.post(
    "/users/{user_id}/organisation",
    auth=api_auth,
    response={
        201: OrganisationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Verify an account as an organisation (organisers and operators)",
    description="After checking its registration. The name is public on its badge; the "
    "registration number is kept only as a keyed hash, one account per registration "
    "(409 `registration_taken`).",
)
def verify_organisation(request: HttpRequest, user_id: int, payload: OrganisationIn) -> Status[Any]:
    actor = caller(request)
    organisations.refuse_unless_staff(actor)
    organisation = organisations.verify_organisation(
        actor=actor,
        user=vouching.access_person(user_id),
        kind=payload.kind,
        name=payload.name,
        registration_number=payload.registration_number,
    )
    return Status(201, organisation_data(organisation))


@router.delete(
    "/users/{user_id}/organisation",
    auth=api_auth,
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Withdraw an account's organisation status (organisers and operators)",
)
def revoke_organisation(request: HttpRequest, user_id: int, payload: RevokeIn) -> Status[None]:
    actor = caller(request)
    organisations.refuse_unless_staff(actor)
    organisations.revoke_organisation(
        actor=actor, user=vouching.access_person(user_id), reason=payload.reason
    )
    return Status(204, None)
