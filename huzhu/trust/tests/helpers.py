"""Helpers for trust tests: read codes from the outbox, verify people, reach a level."""

import json
import re
from datetime import datetime
from io import StringIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import Api, make_user
from huzhu.trust.models import TrustState, VerifiedEmail
from huzhu.trust.services import recompute_level

PHONE = "+8613812345678"


def last_code(to: str) -> str:
    """The newest one-time code sent to `to`, read as a person would: `huzhu outbox --to`."""
    out = StringIO()
    call_command("outbox", "--to", to, "--json", "--limit", "1", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed, f"nothing sent to {to}"
    found = re.search(r"\b(\d{6})\b", printed[-1]["body"])
    assert found, printed[-1]["body"]
    return found.group(1)


def sent_on_commit() -> Any:
    """Run on-commit callbacks (the code goes out on commit), as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def start(api: Api, method: str, address: str, **extra: Any) -> Any:
    with sent_on_commit():
        return api.post("/api/v1/me/verifications", {"method": method, "address": address, **extra})


def confirm(api: Api, verification_id: int, code: str) -> Any:
    return api.post(f"/api/v1/me/verifications/{verification_id}/confirm", {"code": code})


def verify_phone(api: Api, phone: str = PHONE, **extra: Any) -> Any:
    started = start(api, "phone", phone, **extra)
    assert started.status_code == 201, started.content
    sms = OutboxMessage.objects.filter(channel="sms").order_by("-id").first()
    assert sms is not None
    return confirm(api, started.json()["id"], last_code(sms.to))


def mark_email_verified(user: User, address: str, now: datetime | None = None) -> None:
    """As if `user` had confirmed `address` (for tests about what verification unlocks)."""
    now = now or timezone.now()
    VerifiedEmail.objects.update_or_create(
        user=user, defaults={"address": address, "verified_at": now}
    )
    User.objects.filter(pk=user.pk).update(email=address)
    recompute_level(user=user, now=now)


def set_level(user: User, level: int) -> None:
    """Grant a level directly, for tests that need a higher quota than TL0's."""
    TrustState.objects.update_or_create(
        user=user, defaults={"level": level, "computed_at": timezone.now()}
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64  # a JPEG's opening bytes
PASSPORT = "X1234567"


def photo(content: bytes = JPEG, name: str = "passport.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def start_document(
    api: Api, number: str = PASSPORT, document_type: str = "passport", country: str = "GB"
) -> Any:
    return api.post(
        "/api/v1/me/verifications",
        {
            "method": "document",
            "document_type": document_type,
            "country": country,
            "document_number": number,
        },
    )


def upload_photo(api: Api, verification_id: int, upload: SimpleUploadedFile | None) -> Any:
    """Multipart, as a phone app would send it."""
    data = {"image": upload} if upload is not None else {}
    return api.client.post(
        f"/api/v1/me/verifications/{verification_id}/document", data, headers=api._headers(None)
    )


def submit_document(api: Api, number: str = PASSPORT, **extra: Any) -> int:
    started = start_document(api, number, **extra)
    assert started.status_code == 201, started.content
    uploaded = upload_photo(api, started.json()["id"], photo())
    assert uploaded.status_code == 200, uploaded.content
    return int(started.json()["id"])


def make_moderator(username: str = "mo") -> User:
    moderator = make_user(username)
    User.objects.filter(pk=moderator.pk).update(is_staff=True)
    moderator.refresh_from_db()
    return moderator
