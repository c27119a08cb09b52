"""Document verification: details and photo from the person, a moderator's decision, the
photo deleted after it, and one document for one account (across key rotations too)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.safety.models import AuditEntry
from huzhu.trust.levels import Level
from huzhu.trust.models import DocumentCheck, TrustState, Verification, VerifiedDocument
from huzhu.trust.tests.helpers import (
    PASSPORT,
    make_moderator,
    photo,
    sent_on_commit,
    start_document,
    submit_document,
    upload_photo,
    verify_phone,
)
from huzhu.trust.verification import forget_unconfirmed


def _image_file(verification_id: int) -> Path:
    relative = DocumentCheck.objects.get(pk=verification_id).image_path
    assert relative, "no photo kept"
    return Path(settings.MEDIA_ROOT) / relative


def _decide(moderator: User, verification_id: int, action: str, reason: str = "checked") -> Any:
    client = Client()
    client.force_login(moderator)
    with sent_on_commit():  # the photo is deleted when the decision commits
        return client.post(
            reverse("moderation_document_decide", args=[verification_id, action]),
            {"reason": reason},
        )


def test_it_keeps_the_photo_owner_only_until_a_moderator_approves(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    started = start_document(me, "x 123-4567")
    assert started.status_code == 201
    assert started.json()["status"] == "pending"
    assert started.json()["document"] == {
        "document_type": "passport",
        "country": "GB",
        "image_received": False,
        "decided_at": None,
        "decision_reason": "",
    }
    verification_id = started.json()["id"]
    uploaded = upload_photo(me, verification_id, photo())
    assert uploaded.status_code == 200
    assert uploaded.json()["document"]["image_received"] is True
    image = _image_file(verification_id)
    assert image.read_bytes() == photo().read()
    assert image.stat().st_mode & 0o777 == 0o600
    assert image.parent.stat().st_mode & 0o777 == 0o700

    moderator = make_moderator()
    response = _decide(moderator, verification_id, "approve", "passport matches")
    assert response.status_code == 302
    assert not image.exists()
    assert DocumentCheck.objects.get(pk=verification_id).image_path == ""
    kept = VerifiedDocument.objects.get(user=alice)
    assert (kept.document_type, kept.country) == ("passport", "GB")
    assert TrustState.objects.get(user=alice).level == Level.VERIFIED
    assert "document" in me.get("/api/v1/me/trust").json()["verified_methods"]
    entry = AuditEntry.objects.get(target_type="document", target_id=verification_id)
    assert (entry.action, entry.actor_id, entry.reason) == (
        "document_approved",
        moderator.pk,
        "passport matches",
    )


def test_a_rejection_deletes_the_photo_and_tells_the_person_why(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    verification_id = submit_document(me)
    image = _image_file(verification_id)
    assert (
        _decide(make_moderator(), verification_id, "reject", "photo unreadable").status_code == 302
    )
    assert not image.exists()
    assert Verification.objects.get(pk=verification_id).status == "rejected"
    assert not VerifiedDocument.objects.filter(user=alice).exists()
    assert AuditEntry.objects.get(target_id=verification_id).action == "document_rejected"
    client = Client()
    client.force_login(alice)
    assert "photo unreadable" in client.get(reverse("trust")).content.decode()


def test_a_decision_needs_a_reason_and_happens_once(api: Api, alice: User) -> None:
    verification_id = submit_document(api.as_user(alice))
    moderator = make_moderator()
    assert _decide(moderator, verification_id, "approve", "").status_code == 422
    assert _decide(moderator, verification_id, "approve").status_code == 302
    assert _decide(moderator, verification_id, "reject").status_code == 409
    assert _decide(moderator, verification_id, "bless").status_code == 404


def test_the_queue_and_the_photo_are_for_staff_only(api: Api, alice: User, bob: User) -> None:
    verification_id = submit_document(api.as_user(alice))
    queue, image = (
        reverse("moderation_documents"),
        reverse("moderation_document_image", args=[verification_id]),
    )
    staff = Client()
    staff.force_login(make_moderator())
    page = staff.get(queue).content.decode()
    assert image in page and "alice" in page and PASSPORT not in page
    shown = staff.get(image)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert "no-store" in shown["Cache-Control"]
    for person in (alice, bob):
        client = Client()
        client.force_login(person)
        assert client.get(queue).status_code == 404
        assert client.get(image).status_code == 404
    assert Client().get(image).status_code == 404
    assert "documents" in staff.get(reverse("moderation_queue")).content.decode()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7 not an image", "passport.jpg"),  # the name claims a JPEG; the bytes do not
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "passport.png"),
        (b"", "passport.jpg"),
    ],
)
def test_the_photo_is_judged_by_its_bytes(api: Api, alice: User, content: bytes, name: str) -> None:
    me = api.as_user(alice)
    started = start_document(me)
    response = upload_photo(me, started.json()["id"], photo(content, name))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "image"
    assert not list(Path(settings.MEDIA_ROOT).glob("documents/*"))


def test_png_and_webp_photos_are_accepted(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    started = start_document(me).json()["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    webp = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
    assert upload_photo(me, started, photo(png, "a.png")).status_code == 200
    assert _image_file(started).suffix == ".png"
    with sent_on_commit():  # a second photo before the decision replaces the first
        assert upload_photo(me, started, photo(webp, "a.webp")).status_code == 200
    assert [p.suffix for p in Path(settings.MEDIA_ROOT).glob("documents/*")] == [".webp"]


def test_the_photo_has_a_size_cap(api: Api, alice: User, settings: Any) -> None:
    settings.HUZHU_DOCUMENT_MAX_BYTES = 1_000_000
    me = api.as_user(alice)
    started = start_document(me).json()["id"]
    big = photo(b"\xff\xd8\xff" + b"\x00" * 1_000_000)
    response = upload_photo(me, started, big)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "image"
    assert upload_photo(me, started, None).json()["errors"][0]["field"] == "image"


def test_only_the_owner_uploads_and_only_to_a_document_check(
    api: Api, alice: User, bob: User
) -> None:
    mine = start_document(api.as_user(alice)).json()["id"]
    assert upload_photo(api.as_user(bob), mine, photo()).status_code == 404
    assert upload_photo(api, mine, photo()).status_code == 401
    with sent_on_commit():
        phone = api.as_user(bob).post(
            "/api/v1/me/verifications", {"method": "phone", "address": "13812345678"}
        )
    refused = upload_photo(api.as_user(bob), phone.json()["id"], photo())
    assert (refused.status_code, refused.json()["code"]) == (409, "not_a_document")
    code = api.as_user(alice).post(f"/api/v1/me/verifications/{mine}/confirm", {"code": "1"})
    assert (code.status_code, code.json()["code"]) == (409, "not_a_code")


def test_a_form_that_cannot_be_read_is_422_not_a_bare_400(api: Api, alice: User) -> None:
    mine = start_document(api.as_user(alice)).json()["id"]
    broken = api.as_user(alice).client.post(
        f"/api/v1/me/verifications/{mine}/document",
        data=b"--x\r\nContent-Disposition: form-data; name=image; filename=a.png\r\n",
        content_type="multipart/form-data; boundary=",  # an empty boundary: unparseable
        headers=api.as_user(alice)._headers(None),
    )
    assert (broken.status_code, broken.json()["code"]) == (422, "invalid_form")
    assert not DocumentCheck.objects.get(pk=mine).image_path  # nothing kept


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("document_type", {"document_type": "library_card"}),
        ("country", {"country": "XX"}),
        ("document_number", {"document_number": "12"}),
        ("document_number", {"document_number": "ab$%^&"}),
    ],
)
def test_bad_details_are_422_naming_the_field(
    api: Api, alice: User, field: str, body: dict[str, str]
) -> None:
    payload = {
        "method": "document",
        "document_type": "passport",
        "country": "GB",
        "document_number": PASSPORT,
        **body,
    }
    response = api.as_user(alice).post("/api/v1/me/verifications", payload)
    assert response.status_code == 422
    assert field in str(response.json())


def _approved(api: Api, user: User, number: str = PASSPORT) -> None:
    verification_id = submit_document(api.as_user(user), number)
    assert (
        _decide(make_moderator(f"mo-{user.username}"), verification_id, "approve").status_code
        == 302
    )


def test_one_document_one_account(api: Api, alice: User, bob: User) -> None:
    _approved(api, alice)
    again = start_document(api.as_user(bob), PASSPORT.lower())  # however it is typed
    assert again.status_code == 409
    assert again.json()["code"] == "document_taken"
    assert "account recovery" in again.json()["detail"]
    other_country = start_document(api.as_user(bob), PASSPORT, country="FR")
    assert other_country.status_code == 201


def test_one_document_one_account_across_a_key_rotation(
    api: Api, alice: User, bob: User, settings: Any
) -> None:
    settings.HUZHU_IDENTITY_KEYS = "1:first-secret"
    _approved(api, alice)
    settings.HUZHU_IDENTITY_KEYS = "1:first-secret,2:second-secret"
    again = start_document(api.as_user(bob))
    assert (again.status_code, again.json()["code"]) == (409, "document_taken")


def test_an_approval_that_would_take_a_taken_document_is_refused(
    api: Api, alice: User, bob: User
) -> None:
    """Both submitted before either was approved: the second approval is a conflict."""
    first = submit_document(api.as_user(alice))
    second = submit_document(api.as_user(bob))
    assert _decide(make_moderator(), first, "approve").status_code == 302
    refused = _decide(make_moderator("mo2"), second, "approve")
    assert refused.status_code == 409
    assert "account recovery" in refused.content.decode()
    assert Verification.objects.get(pk=second).status == "pending"


def test_the_web_page_takes_details_and_photo_at_once(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    assert client.get(reverse("verify_document")).status_code == 200
    form = {"document_type": "residence_permit", "country": "kr", "document_number": "M123456"}
    bad = client.post(reverse("verify_document"), {**form, "image": photo(b"GIF89a")})
    assert bad.status_code == 422
    assert "JPEG, PNG or WebP" in bad.content.decode()
    assert not DocumentCheck.objects.filter(verification__user=alice).exists()
    response = client.post(reverse("verify_document"), {**form, "image": photo()})
    assert response.status_code == 302
    check = DocumentCheck.objects.get(verification__user=alice)
    assert (check.document_type, check.country, bool(check.image_path)) == (
        "residence_permit",
        "KR",
        True,
    )
    assert "waiting for a moderator" in client.get(reverse("trust")).content.decode()


def test_a_phone_and_a_document_are_both_listed(api: Api, alice: User) -> None:
    me = api.as_user(alice)
    verify_phone(me)
    _approved(api, alice)
    assert me.get("/api/v1/me/trust").json()["verified_methods"] == ["phone", "document"]


def test_the_nightly_cleanup_keeps_documents_waiting_for_a_moderator(
    api: Api, alice: User, bob: User
) -> None:
    waiting = submit_document(api.as_user(alice))
    never_sent = start_document(api.as_user(bob), "Z9999999").json()["id"]
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        forget_unconfirmed()
    assert Verification.objects.filter(pk=waiting).exists()
    assert _image_file(waiting).exists()
    assert not Verification.objects.filter(pk=never_sent).exists()
