"""No raw identifier in the database: a verified phone number (kept for the reveal or
not), an identity document's number (before and after a moderator's decision) and an
organisation's registration number are searched for in every table of a full dump, in
every common way of writing them."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from huzhu.accounts import delivery
from huzhu.accounts.models import Delivery, User
from huzhu.conftest import Api
from huzhu.tests.dump import dump
from huzhu.trust.models import VerifiedPhone
from huzhu.trust.tests.helpers import (
    confirm,
    make_moderator,
    sent_on_commit,
    start,
    submit_document,
)

NUMBER = "+8613912345678"
WRITTEN = (
    "+8613912345678",
    "8613912345678",
    "13912345678",
    "139 1234 5678",
    "139-1234-5678",
    "+86 139 1234 5678",
    "+86-139-1234-5678",
    "(+86) 139",
    "008613912345678",
    "3912345678",  # the number without its mobile prefix digit, to catch partial copies
)


class MemorySMS:
    """A gateway stand-in: keeps the last text in memory, not in the database.

    The development outbox stores every SMS, number included, in a table; that is its
    purpose (`huzhu outbox`). Production sends through a gateway, so the dump is taken as
    production would have it.
    """

    sent: list[tuple[str, str]] = []

    def send_sms(self, to: str, body: str) -> str:
        self.sent.append((to, body))
        return str(len(self.sent))


@pytest.mark.parametrize("show_on_reveal", [False, True])
def test_the_database_holds_no_raw_phone_number(
    api: Api, alice: User, settings: Any, show_on_reveal: bool
) -> None:
    settings.HUZHU_SMS_BACKEND = f"{__name__}.MemorySMS"
    MemorySMS.sent.clear()
    me = api.as_user(alice)
    started = start(me, "phone", "139 1234 5678", show_on_reveal=show_on_reveal)
    assert started.status_code == 201
    queued_text = dump()  # queued for the gateway: sealed
    assert not [written for written in WRITTEN if written in queued_text]
    for queued in Delivery.objects.filter(status="queued"):
        delivery.send(queued.pk)
    to, body = MemorySMS.sent[-1]
    assert to == NUMBER
    code = re.findall(r"\b\d{6}\b", body)[0]
    assert confirm(me, started.json()["id"], code).status_code == 200
    assert bool(VerifiedPhone.objects.get(user=alice).sealed_phone) is show_on_reveal
    text = dump()
    assert "accounts_user" in text and "trust_verifiedphone" in text  # the dump is real
    for written in WRITTEN:
        assert written not in text, f"{written!r} found in the dump"


DOCUMENT = "E12345678"
DOCUMENT_WRITTEN = ("E12345678", "e12345678", "E 1234 5678", "E-1234-5678", "12345678")
REGISTRATION = "91110105MA01ABCD2X"


def _assert_absent(text: str, written: tuple[str, ...]) -> None:
    for form in written:
        assert form not in text, f"{form!r} found in the dump"


@pytest.mark.parametrize("decision", ["pending", "approve", "reject"])
def test_the_database_holds_no_document_or_registration_number(
    api: Api, alice: User, bob: User, decision: str
) -> None:
    """Seeded through the API as a person types it, before and after the decision; and an
    organisation's registration number, through the staff API."""
    verification_id = submit_document(api.as_user(alice), "E 1234 5678")
    if decision != "pending":
        staff = make_moderator()
        client = Client()
        client.force_login(staff)
        with sent_on_commit():
            client.post(
                reverse("moderation_document_decide", args=[verification_id, decision]),
                {"reason": "checked"},
            )
        registered = api.as_user(staff).post(
            f"/api/v1/users/{bob.pk}/organisation",
            {"kind": "clinic", "name": "Clinic", "registration_number": REGISTRATION},
        )
        assert registered.status_code == 201
    text = dump()
    assert "trust_documentcheck" in text and "trust_verification" in text  # the dump is real
    _assert_absent(text, DOCUMENT_WRITTEN)
    _assert_absent(text, (REGISTRATION, REGISTRATION.lower(), "MA01ABCD"))
