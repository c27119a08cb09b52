"""Sign in, or sign up, with a phone number and a code by SMS: no username, no password.

The code is an ordinary phone verification (verification.py) that belongs to nobody yet.
Asking for one does the same work and gives the same answer whether or not the number has
an account, so the answer never tells who uses Huzhu. Typing it back signs in the account
this number verifies or, when none does, creates one that is phone-verified (TL1): one
phone, one account.

Rate limits: the cooldown and hourly cap per number (as for any verification) here, and
per client address in the views (safety/ratelimit.py).
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu import keys
from huzhu.accounts import hooks, outbox
from huzhu.accounts.models import User
from huzhu.accounts.pseudonyms import new_pseudonym
from huzhu.accounts.services import LOCALES
from huzhu.errors import Forbidden, Invalid
from huzhu.trust.models import Verification, VerifiedPhone
from huzhu.trust.verification import (
    Address,
    accept,
    address_of,
    check_code,
    check_cooldown,
    check_hourly,
    code_message,
    new_code,
)

logger = logging.getLogger(__name__)
M = Verification.Method
S = Verification.Status


class RestrictedSignIn(Forbidden):
    """The code was right, but the account is suspended or banned: the page offers the
    appeal to the person who just proved they hold the phone."""

    def __init__(self, message: str, *, code: str, user_id: int) -> None:
        super().__init__(message, code=code)
        self.user_id = user_id


@dataclass(frozen=True)
class SignIn:
    user: User
    created: bool


def _number(raw: str) -> Address:
    try:
        return address_of(M.PHONE, raw)
    except Invalid as exc:
        raise Invalid(exc.message, field="phone") from exc


def _waiting(target: Address) -> list[Verification]:
    return list(
        Verification.objects.filter(
            user__isnull=True, method=M.PHONE, address_hash=target.hash
        ).order_by("-created_at")[:1]
    )


@transaction.atomic
def request_code(*, phone: str, locale: str = "zh-hans") -> None:
    """Text a sign-in code to `phone`; earlier sign-in codes for it stop working."""
    target = _number(phone)
    now = timezone.now()
    anonymous = Verification.objects.filter(user__isnull=True, method=M.PHONE)
    check_cooldown(
        anonymous.filter(address_hash=target.hash).order_by("-created_at").first(), now=now
    )
    check_hourly(Verification.objects.filter(address_hash=target.hash), now=now)
    anonymous.filter(address_hash=target.hash, status=S.PENDING).update(
        status=S.SUPERSEDED, sealed_contact=""
    )
    code, salt, code_hash = new_code()
    verification = Verification.objects.create(
        user=None,
        method=M.PHONE,
        address_hash=target.hash,
        legacy_hashes=target.legacy_hashes,
        key_version=keys.current_version(),
        sealed_contact=keys.seal(target.phone),
        code_salt=salt,
        code_hash=code_hash,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.HUZHU_VERIFY_CODE_MINUTES),
    )
    _subject, body = code_message(locale if locale in LOCALES else "zh-hans", code)
    send = partial(
        outbox.send_sms, target.phone, body, secret=code, expires_at=verification.expires_at
    )
    transaction.on_commit(send, robust=True)
    logger.info("phone sign-in code %s sent", verification.pk)


def sent_message() -> str:
    """The one answer to every request for a code, whoever owns the number."""
    return _("We have sent a code to this number by SMS. It works for %(minutes)d minutes.") % {
        "minutes": settings.HUZHU_VERIFY_CODE_MINUTES
    }


def _no_code() -> Invalid:
    return Invalid(
        _("This code is wrong, used or expired. Ask for a new one."),
        code="invalid_code",
        field="code",
    )


def confirm_code(
    *, phone: str, code: str, display_name: str = "", locale: str = "zh-hans", address: str = ""
) -> SignIn:
    """Sign in the account this phone verifies, or create one; refuse a wrong code.

    A wrong code counts as a try even though the sign-in fails (verification.py)."""
    target = _number(phone)
    if locale not in LOCALES:
        raise Invalid(
            _("Language must be one of: %(locales)s.") % {"locales": ", ".join(LOCALES)},
            field="locale",
        )
    now = timezone.now()
    waiting = _waiting(target)
    if not waiting:
        raise _no_code()
    verification = waiting[0]
    check_code(verification, code, now)
    return _sign_in(verification, target, display_name.strip(), locale, address)


@transaction.atomic
def _sign_in(
    verification: Verification, target: Address, display_name: str, locale: str, address: str
) -> SignIn:
    now = timezone.now()
    hashes = list(keys.digests(target.phone, purpose="phone").values())
    owner = VerifiedPhone.objects.select_related("user").filter(phone_hash__in=hashes).first()
    if owner is not None:
        user = owner.user
        if not user.is_active:
            raise _no_code()
        try:
            hooks.refuse_if_restricted(user)
        except Forbidden as exc:
            raise RestrictedSignIn(exc.message, code=exc.code, user_id=user.pk) from exc
        done = Verification.objects.filter(pk=verification.pk, status=S.PENDING).update(
            status=S.CONFIRMED, confirmed_at=now, user=user, sealed_contact=""
        )
        if done != 1:
            raise _no_code()
        # A number verified before Huzhu kept a sealed copy can now be texted.
        VerifiedPhone.objects.filter(pk=owner.pk).update(sealed_contact=verification.sealed_contact)
        logger.info("user %s signed in by phone", user.pk)
        return SignIn(user=user, created=False)
    user = _new_account(display_name, locale, address)
    Verification.objects.filter(pk=verification.pk).update(user=user)
    verification.user = user
    accept(verification, now)  # keeps the phone (409 if another account took it meanwhile)
    logger.info("user %s signed up by phone", user.pk)
    return SignIn(user=user, created=True)


def _new_account(display_name: str, locale: str, address: str) -> User:
    user = User(
        username=f"phone-{secrets.token_hex(6)}",  # private, never typed: the phone signs in
        display_name=display_name[:40] or new_pseudonym(),
        locale=locale,
    )
    user.set_unusable_password()
    user.save()
    hooks.signed_up(user=user, address=address, now=timezone.now())
    return user
