"""Forgot password: a one-time code by verified e-mail or by SMS to a verified phone,
answering the same whether or not an account has the address.

`request_reset` does the same work for every address (a code is made and hashed either
way) and its caller answers with the same words; only a person who owns a verified address
receives anything. `confirm_reset` takes the code and a new password; success ends every
session (the password hash changes, and Django checks it on each request) and revokes every
API token. Both are rate-limited in the views like log-in (safety/ratelimit.py).
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huzhu import keys
from huzhu.accounts import outbox
from huzhu.accounts.auth import hash_token
from huzhu.accounts.models import ApiToken, PasswordReset, User
from huzhu.errors import Invalid
from huzhu.trust.models import VerifiedEmail, VerifiedPhone
from huzhu.trust.verification import normalise_email, normalise_phone

logger = logging.getLogger(__name__)


def sent_message() -> str:
    """The one answer to every reset request, whoever asked."""
    return _(
        "If an account has this verified e-mail address or phone number, we have sent it a "
        "code. It works once, for %(minutes)d minutes."
    ) % {"minutes": settings.HUZHU_RESET_CODE_MINUTES}


def canonical_address(address: str) -> str:
    """The e-mail address (lower case) or phone number (E.164) asked for, or 422."""
    if "@" in address:
        return normalise_email(address)
    return normalise_phone(address)


def _new_code() -> tuple[str, str]:
    code = secrets.token_urlsafe(12)
    return code, hash_token(code)


@dataclass(frozen=True)
class _Owner:
    user_id: int
    locale: str
    email: str = ""
    sealed_phone: str = ""


def _owners(address: str) -> list[_Owner]:
    """Active accounts whose verified e-mail, or verified phone we can text, is `address`."""
    if "@" in address:
        rows = VerifiedEmail.objects.filter(address__iexact=address, user__is_active=True)
        return [
            _Owner(user_id=user_id, locale=locale, email=email)
            for user_id, email, locale in rows.values_list("user_id", "address", "user__locale")
        ]
    hashes = list(keys.digests(address, purpose="phone").values())
    phones = VerifiedPhone.objects.filter(phone_hash__in=hashes, user__is_active=True)
    return [
        _Owner(user_id=user_id, locale=locale, sealed_phone=sealed)
        for user_id, sealed, locale in phones.exclude(sealed_contact="").values_list(
            "user_id", "sealed_contact", "user__locale"
        )
    ]


@transaction.atomic
def request_reset(*, address: str) -> None:
    """Send a code to every active account whose verified e-mail or phone is `address`."""
    address = canonical_address(address)
    now = timezone.now()
    code, code_hash = _new_code()  # made and hashed even when nobody gets it: equal work
    expires_at = now + timedelta(minutes=settings.HUZHU_RESET_CODE_MINUTES)
    for owner in _owners(address):
        PasswordReset.objects.create(
            user_id=owner.user_id, code_hash=code_hash, created_at=now, expires_at=expires_at
        )
        transaction.on_commit(_sender(owner, code, expires_at), robust=True)
        logger.info("password reset code sent to user %s", owner.user_id)
        code, code_hash = _new_code()  # each account its own code


def _sender(owner: _Owner, code: str, expires_at: datetime) -> Callable[[], object]:
    url = f"{settings.SITE_URL}/reset/confirm"
    minutes = settings.HUZHU_RESET_CODE_MINUTES
    with translation.override(owner.locale):
        if owner.sealed_phone:
            body = _(
                "Huzhu: your code to choose a new password is %(code)s (%(minutes)d minutes, "
                "once): %(url)s"
            ) % {"code": code, "minutes": minutes, "url": url}
            phone = keys.unseal(owner.sealed_phone)
            return partial(outbox.send_sms, phone, body, secret=code, expires_at=expires_at)
        subject = _("Your code to choose a new password")
        body = _(
            "Your code: %(code)s\n\nEnter it at %(url)s within %(minutes)d minutes to "
            "choose a new password. It works once. If you did not ask for it, ignore this "
            "e-mail: your password stays as it is."
        ) % {"code": code, "url": url, "minutes": minutes}
    return partial(
        outbox.send_email, owner.email, subject, body, secret=code, expires_at=expires_at
    )


def _invalid_code() -> Invalid:
    return Invalid(
        _("This code is wrong, used or expired. Ask for a new one."),
        code="invalid_code",
        field="code",
    )


@transaction.atomic
def confirm_reset(*, code: str, password: str) -> User:
    """Set a new password with a valid code; every session and API token ends."""
    now = timezone.now()
    code_hash = hash_token(code.strip())
    reset = (
        PasswordReset.objects.select_related("user")
        .filter(code_hash=code_hash, used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if reset is None:
        raise _invalid_code()
    user = reset.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    # Conditional on still unused: two concurrent confirmations cannot both win.
    if PasswordReset.objects.filter(pk=reset.pk, used_at__isnull=True).update(used_at=now) != 1:
        raise _invalid_code()
    PasswordReset.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    logger.info("password reset for user %s", user.pk)
    return user
