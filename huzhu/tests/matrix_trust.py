"""Authorization-matrix rows for trust: document checks, vouching, verified organisations.

In the world, the counterpart's identity document waits for a moderator (its photo sent,
started two hours ago so no cooldown is running); the `verified` member is the person the
trust rows act on (`{user_id}`): the operator vouches for them and they are a verified
organisation. The owner's verification is their pending phone code, not a document.
"""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from huzhu.accounts.models import User
from huzhu.tests.matrix import Route, World, expect
from huzhu.trust.documents import attach_image, start_document_verification
from huzhu.trust.models import Verification
from huzhu.trust.organisations import verify_organisation
from huzhu.trust.vouching import vouch

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
STAFF = ("moderator", "operator")


def build_trust_world(users: dict[str, User]) -> dict[str, int]:
    """The document check and the person for the rows below; returns World's fields."""
    users = {actor: User.objects.get(pk=user.pk) for actor, user in users.items()}  # staff now
    check = start_document_verification(
        user=users["counterpart"], document_type="passport", country="GB", number="P7654321"
    )
    attach_image(verification=check, upload=SimpleUploadedFile("p.jpg", JPEG))
    started = check.created_at - timedelta(hours=2)
    Verification.objects.filter(pk=check.pk).update(created_at=started)
    person = users["verified"]
    vouch(voucher=users["operator"], vouchee=person)
    verify_organisation(
        actor=users["moderator"],
        user=person,
        kind="pharmacy",
        name="Corner Pharmacy",
        registration_number="REG-0001",
    )
    return {"document_id": check.pk, "person_id": person.pk}


def trust_web_args(world: World) -> dict[str, list[Any]]:
    return {
        "moderation_document_image": [world.document_id],
        "moderation_document_decide": [world.document_id, "approve"],
        "vouch_withdraw": [world.person_id],
        "moderation_organisation_revoke": [world.person_id],
    }


def _document_form(world: World, actor: str) -> dict[str, Any]:
    return {
        "document_type": "passport",
        "country": "GB",
        "document_number": "P1234567",
        "image": SimpleUploadedFile("passport.jpg", JPEG, content_type="image/jpeg"),
    }


def _organisation_body(world: World, actor: str) -> dict[str, Any]:
    return {"kind": "clinic", "name": "A clinic", "registration_number": "REG-0002"}


TRUST_API: dict[str, Route] = {
    # The owner's verification is a phone code: no photo goes there (409), others 404.
    "POST /api/v1/me/verifications/{verification_id}/document": Route(expect(401, 404, owner=409)),
    # Vouching is TL3 and up: staff only in the world; the operator vouches already.
    "POST /api/v1/users/{user_id}/vouch": Route(expect(401, 403, moderator=201, operator=409)),
    "DELETE /api/v1/users/{user_id}/vouch": Route(expect(401, 404, operator=204)),
    "GET /api/v1/me/vouches": Route(expect(401, 200)),
    # The person is an organisation already (409 for staff); only staff may revoke it.
    "POST /api/v1/users/{user_id}/organisation": Route(
        expect(401, 403, moderator=409, operator=409), _organisation_body
    ),
    "DELETE /api/v1/users/{user_id}/organisation": Route(
        expect(401, 403, moderator=204, operator=204), lambda w, a: {"reason": "closed down"}
    ),
}

TRUST_WEB: dict[str, Route] = {
    "GET verify_document": Route(expect(302, 200)),
    "POST verify_document": Route(expect(302, 302), _document_form),
    "GET moderation_documents": Route(expect(404, 404, moderator=200, operator=200)),
    "GET moderation_document_image": Route(expect(404, 404, moderator=200, operator=200)),
    "POST moderation_document_decide": Route(
        expect(404, 404, moderator=302, operator=302), lambda w, a: {"reason": "it matches"}
    ),
    "GET vouches": Route(expect(302, 200)),
    "POST vouches": Route(
        expect(302, 403, moderator=302, operator=409), lambda w, a: {"username": "erin"}
    ),
    "POST vouch_withdraw": Route(expect(302, 404, operator=302)),
    "GET moderation_organisations": Route(expect(404, 404, moderator=200, operator=200)),
    "POST moderation_organisations": Route(
        expect(404, 404, moderator=302, operator=302),
        lambda w, a: {**_organisation_body(w, a), "username": "charlie"},
    ),
    "POST moderation_organisation_revoke": Route(
        expect(404, 404, moderator=302, operator=302), lambda w, a: {"reason": "closed down"}
    ),
}

TRUST_WEB_METHODS: dict[str, tuple[str, ...]] = {
    "verify_document": ("GET", "POST"),
    "moderation_documents": ("GET",),
    "moderation_document_image": ("GET",),
    "moderation_document_decide": ("POST",),
    "vouches": ("GET", "POST"),
    "vouch_withdraw": ("POST",),
    "moderation_organisations": ("GET", "POST"),
    "moderation_organisation_revoke": ("POST",),
}
