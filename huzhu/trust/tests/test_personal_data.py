"""Export and erasure cover what trust keeps: document checks, vouches, organisation status."""

from pathlib import Path

from django.conf import settings

from huzhu.accounts.erasure import erase_account
from huzhu.accounts.models import User
from huzhu.conftest import Api, make_user
from huzhu.trust.levels import Level
from huzhu.trust.models import (
    DocumentCheck,
    Organisation,
    TrustState,
    Verification,
    VerifiedDocument,
    Vouch,
)
from huzhu.trust.tests.helpers import (
    PASSPORT,
    make_moderator,
    sent_on_commit,
    set_level,
    submit_document,
)


def _world(api: Api, alice: User, bob: User) -> int:
    """Alice has a document waiting, a vouch from Tess, vouches for Bob, and is a clinic."""
    verification_id = submit_document(api.as_user(alice))
    tess = make_user("tess")
    set_level(tess, Level.TRUSTED)
    assert api.as_user(tess).post(f"/api/v1/users/{alice.pk}/vouch").status_code == 201
    set_level(alice, Level.TRUSTED)
    assert api.as_user(alice).post(f"/api/v1/users/{bob.pk}/vouch").status_code == 201
    registered = api.as_user(make_moderator()).post(
        f"/api/v1/users/{alice.pk}/organisation",
        {"kind": "clinic", "name": "Alice's Clinic", "registration_number": "REG-5555"},
    )
    assert registered.status_code == 201
    return verification_id


def test_the_export_holds_documents_vouches_and_organisation_without_numbers(
    api: Api, alice: User, bob: User
) -> None:
    _world(api, alice, bob)
    response = api.as_user(alice).get("/api/v1/me/export")
    verifications = response.json()["verifications"]
    [check] = verifications["document_checks"]
    assert (check["status"], check["document_type"], check["country"], check["photo_held"]) == (
        "pending",
        "passport",
        "GB",
        True,
    )
    assert verifications["document_verified_at"] is None
    [given] = verifications["vouches_given"]
    [received] = verifications["vouches_received"]
    assert given["for"].startswith("person-") and received["from"].startswith("person-")
    assert verifications["organisation"]["name"] == "Alice's Clinic"
    text = response.content.decode()
    for secret in (PASSPORT, "5555", '"bob"', '"tess"'):
        assert secret not in text, secret


def test_erasure_removes_photos_hashes_vouches_and_organisation(
    api: Api, alice: User, bob: User
) -> None:
    verification_id = _world(api, alice, bob)
    photo = Path(settings.MEDIA_ROOT) / DocumentCheck.objects.get(pk=verification_id).image_path
    assert photo.exists()
    assert TrustState.objects.get(user=bob).level == Level.VERIFIED
    with sent_on_commit():
        erase_account(user=alice)
    assert not photo.exists()
    assert not Verification.objects.filter(user=alice).exists()
    assert not DocumentCheck.objects.exists()
    assert not VerifiedDocument.objects.filter(user=alice).exists()
    assert not Vouch.objects.exists()
    assert not Organisation.objects.exists()
    # Bob's only verification was Alice's vouch: his level now waits out its grace period.
    assert TrustState.objects.get(user=bob).pending_level == Level.NEW
