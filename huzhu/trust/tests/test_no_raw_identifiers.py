"""No raw phone number in the database: a verified number, kept for the reveal or not, is
searched for in every table of a full dump, in every common way of writing it."""

import re
from typing import Any

import pytest

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.tests.dump import dump
from huzhu.trust.models import VerifiedPhone
from huzhu.trust.tests.helpers import confirm, start

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
    to, body = MemorySMS.sent[-1]
    assert to == NUMBER
    code = re.findall(r"\b\d{6}\b", body)[0]
    assert confirm(me, started.json()["id"], code).status_code == 200
    assert bool(VerifiedPhone.objects.get(user=alice).sealed_phone) is show_on_reveal
    text = dump()
    assert "accounts_user" in text and "trust_verifiedphone" in text  # the dump is real
    for written in WRITTEN:
        assert written not in text, f"{written!r} found in the dump"
