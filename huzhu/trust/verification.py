"""Writes for verification: send a one-time code to a phone or an e-mail address, check it.

The code is stored as a keyed hash (the server's secret key), so a copy of the database
cannot be brute-forced through a million codes. The phone number is never stored: the
verification keeps its keyed hash and, only if the owner chose to show it after a mutual
reveal, a sealed copy. The message goes out on commit straight through the SMS or e-mail
adapter rather than through a queued task, because a task's arguments are stored in the
database and the number would land there in clear.

Whether a number already verifies another account is checked at confirmation, not when
the code is sent: only someone who holds the phone learns that it is taken.
"""

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from huzhu import keys
from huzhu.accounts import outbox
from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid, TooManyRequests
from huzhu.trust.limits import lock_person
from huzhu.trust.models import Verification, VerifiedEmail, VerifiedPhone
from huzhu.trust.services import recompute_level

M = Verification.Method
S = Verification.Status
CODE_DIGITS = 6


def normalise_phone(raw: str) -> str:
    """E.164 (+8613812345678) or 422; numbers without a country code use HUZHU_PHONE_REGION."""
    try:
        number = phonenumbers.parse(raw, settings.HUZHU_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise Invalid(_("That does not look like a phone number."), field="address") from exc
    if not phonenumbers.is_valid_number(number):
        raise Invalid(_("That does not look like a phone number."), field="address")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    address = raw.strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise Invalid(_("That does not look like an e-mail address."), field="address") from exc
    return address


def new_code() -> tuple[str, str, str]:
    """A fresh six-digit code, its salt and its keyed hash."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    return code, salt, _code_hash(salt, code)


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac("huzhu.trust.verification", f"{salt}:{code}", algorithm="sha256").hexdigest()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return math.ceil((moment - now).total_seconds())


def check_rate(*, user: User, method: str, address_hash: str, now: datetime) -> None:
    """Cooldown between codes, and at most HUZHU_VERIFY_PER_HOUR per person and per address
    (so nobody can flood someone else's phone with codes)."""
    mine = Verification.objects.filter(user=user)
    check_cooldown(mine.filter(method=method).order_by("-created_at").first(), now=now)
    for recent in (mine, Verification.objects.filter(address_hash=address_hash)):
        check_hourly(recent, now=now)


def check_cooldown(last: Verification | None, *, now: datetime) -> None:
    """A new code only HUZHU_VERIFY_RESEND_SECONDS after the previous one."""
    cooldown = timedelta(seconds=settings.HUZHU_VERIFY_RESEND_SECONDS)
    if last is not None and last.created_at + cooldown > now:
        raise TooManyRequests(
            _("A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.")
            % {"seconds": _seconds_until(last.created_at + cooldown, now)},
            retry_after=_seconds_until(last.created_at + cooldown, now),
            code="resend_cooldown",
        )


def check_hourly(recent: QuerySet[Verification], *, now: datetime) -> None:
    """At most HUZHU_VERIFY_PER_HOUR codes among `recent` in the last hour."""
    hour_ago = now - timedelta(hours=1)
    sent = list(recent.filter(created_at__gt=hour_ago).order_by("created_at")[:100])
    if len(sent) >= settings.HUZHU_VERIFY_PER_HOUR:
        retry = sent[-settings.HUZHU_VERIFY_PER_HOUR].created_at + timedelta(hours=1)
        raise TooManyRequests(
            _("Too many codes in the last hour. Try again later."),
            retry_after=_seconds_until(retry, now),
        )


def code_message(locale: str, code: str) -> tuple[str, str]:
    """Subject and text of a one-time code, in `locale`."""
    with translation.override(locale or settings.LANGUAGE_CODE):
        subject = _("Your Huzhu verification code")
        body = _(
            "Your Huzhu code is %(code)s. It is valid for %(minutes)d minutes. "
            "Nobody from Huzhu will ever ask you for it."
        ) % {"code": code, "minutes": settings.HUZHU_VERIFY_CODE_MINUTES}
    return subject, body


@dataclass(frozen=True)
class Address:
    hash: str
    legacy_hashes: str
    email: str = ""
    phone: str = ""


def address_of(method: str, raw: str) -> Address:
    if method == M.PHONE:
        phone = normalise_phone(raw)
        hashes = keys.digests(phone, purpose="phone")
        current = keys.current_version()
        legacy = " ".join(h for v, h in sorted(hashes.items()) if v != current)
        return Address(hash=hashes[current], legacy_hashes=legacy, phone=phone)
    if method == M.EMAIL:
        email = normalise_email(raw)
        return Address(hash=keys.digest(email, purpose="email"), legacy_hashes="", email=email)
    raise Invalid(_("Choose phone or e-mail."), field="method")


@transaction.atomic
def start_verification(
    *, user: User, method: str, address: str, show_phone_on_reveal: bool = False
) -> Verification:
    """Send a new code; earlier codes of the same method stop working."""
    target = address_of(method, address)
    now = timezone.now()
    lock_person(user)
    check_rate(user=user, method=method, address_hash=target.hash, now=now)
    Verification.objects.filter(user=user, method=method, status=S.PENDING).update(
        status=S.SUPERSEDED, sealed_phone="", sealed_contact=""
    )
    code, salt, code_hash = new_code()
    verification = Verification.objects.create(
        user=user,
        method=method,
        address_hash=target.hash,
        legacy_hashes=target.legacy_hashes,
        key_version=keys.current_version(),
        email=target.email,
        sealed_phone=keys.seal(target.phone) if target.phone and show_phone_on_reveal else "",
        sealed_contact=keys.seal(target.phone) if target.phone else "",
        code_salt=salt,
        code_hash=code_hash,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.HUZHU_VERIFY_CODE_MINUTES),
    )
    subject, body = code_message(user.locale, code)
    expires = verification.expires_at  # the outbox blanks the code out then
    if target.phone:
        send = partial(outbox.send_sms, target.phone, body, secret=code, expires_at=expires)
    else:
        send = partial(
            outbox.send_email, target.email, subject, body, secret=code, expires_at=expires
        )
    transaction.on_commit(send, robust=True)
    return verification


def _refuse_unless_pending(verification: Verification, now: datetime) -> None:
    if verification.method == M.DOCUMENT:
        raise Conflict(
            _("A document is checked by a moderator; there is no code to type."),
            code="not_a_code",
        )
    if verification.status == S.CONFIRMED:
        raise Conflict(_("This verification is already confirmed."), code="already_confirmed")
    if verification.status == S.FAILED:
        raise Conflict(_("Too many wrong codes. Ask for a new code."), code="too_many_attempts")
    if verification.status == S.SUPERSEDED:
        raise Conflict(_("A newer code was sent. Use that one."), code="superseded")
    if now >= verification.expires_at:
        raise Conflict(_("This code has expired. Ask for a new one."), code="code_expired")


def _count_attempt(verification: Verification) -> int:
    """Record one attempt (committed even if the code is wrong); return the attempts left."""
    limit = settings.HUZHU_VERIFY_MAX_ATTEMPTS
    with transaction.atomic():
        counted = Verification.objects.filter(
            pk=verification.pk, status=S.PENDING, attempts__lt=limit
        ).update(attempts=F("attempts") + 1)
        if counted != 1:
            raise Conflict(_("Too many wrong codes. Ask for a new code."), code="too_many_attempts")
    verification.refresh_from_db(fields=["attempts", "status"])
    return limit - verification.attempts


def check_code(verification: Verification, code: str, now: datetime) -> None:
    """Refuse unless `code` is right: at most HUZHU_VERIFY_MAX_ATTEMPTS tries, in time."""
    _refuse_unless_pending(verification, now)
    left = _count_attempt(verification)
    if not constant_time_compare(
        _code_hash(verification.code_salt, code.strip()), verification.code_hash
    ):
        if left <= 0:
            Verification.objects.filter(pk=verification.pk, status=S.PENDING).update(
                status=S.FAILED
            )
            raise Invalid(_("Wrong code. No tries left: ask for a new code."), field="code")
        raise Invalid(_("Wrong code. %(left)d tries left.") % {"left": left}, field="code")


def confirm_verification(*, verification: Verification, code: str) -> Verification:
    """Check the code and, if right, record what it proves."""
    now = timezone.now()
    check_code(verification, code, now)
    return accept(verification, now)


@transaction.atomic
def accept(verification: Verification, now: datetime) -> Verification:
    done = Verification.objects.filter(pk=verification.pk, status=S.PENDING).update(
        status=S.CONFIRMED, confirmed_at=now
    )
    if done != 1:
        raise Conflict(_("This verification is already confirmed."), code="already_confirmed")
    user = verification.user
    assert user is not None, "a code is accepted for somebody"
    if verification.method == M.PHONE:
        _keep_phone(verification, now)
    else:
        VerifiedEmail.objects.update_or_create(
            user=user, defaults={"address": verification.email, "verified_at": now}
        )
        # Notifications go to the address the person just proved they read.
        User.objects.filter(pk=user.pk).update(email=verification.email)
    verification.status = S.CONFIRMED
    verification.confirmed_at = now
    recompute_level(user=user, now=now)
    return verification


def _phone_taken() -> Conflict:
    return Conflict(
        _(
            "This phone number already verifies another account: one person, one account. "
            "If that account is yours, log in to it, or ask a moderator for account recovery."
        ),
        code="phone_taken",
    )


def _keep_phone(verification: Verification, now: datetime) -> None:
    hashes = [verification.address_hash, *verification.legacy_hashes.split()]
    if VerifiedPhone.objects.filter(phone_hash__in=hashes).exclude(user=verification.user).exists():
        raise _phone_taken()
    try:
        with transaction.atomic():
            VerifiedPhone.objects.update_or_create(
                user=verification.user,
                defaults={
                    "phone_hash": verification.address_hash,
                    "key_version": verification.key_version,
                    "sealed_phone": verification.sealed_phone,
                    "sealed_contact": verification.sealed_contact,
                    "verified_at": now,
                },
            )
    except IntegrityError as exc:  # a concurrent confirmation took the number
        raise _phone_taken() from exc
    # The sealed copies now live with the verified phone; the verification forgets them.
    Verification.objects.filter(pk=verification.pk).update(sealed_phone="", sealed_contact="")


def forget_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete codes that were never confirmed, a day on: the rate limits look back an hour,
    and an unconfirmed e-mail address is not ours to keep. A document whose photo waits
    for a moderator stays until decided."""
    now = now or timezone.now()
    stale = (
        Verification.objects.exclude(status=S.CONFIRMED)
        .exclude(method=M.DOCUMENT, status=S.PENDING, document__uploaded_at__isnull=False)
        .filter(created_at__lt=now - timedelta(days=1))
    )
    deleted, _by_model = stale.delete()
    return deleted
