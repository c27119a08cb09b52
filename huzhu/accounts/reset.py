"""Forgot password: a one-time code by verified e-mail, answering the same whether or not an
account has the address.

`request_reset` does the same work for every address (a code is made and hashed either
way) and its caller answers with the same words; only a person who owns a verified address
receives anything. `confirm_reset` takes the code and a new password; success ends every
session (the password hash changes, and Django checks it on each request) and revokes every
API token. Both are rate-limited in the views like log-in (safety/ratelimit.py).
"""

import logging
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huzhu.accounts import outbox
from huzhu.accounts.auth import hash_token
from huzhu.accounts.models import ApiToken, PasswordReset, User
from huzhu.errors import Invalid
from huzhu.trust.models import VerifiedEmail

logger = logging.getLogger(__name__)


def sent_message() -> str:
    """The one answer to every reset request, whoever asked."""
    return _(
        "If an account has this verified e-mail address, we have sent it a code. It works "
        "once, for %(minutes)d minutes."
    ) % {"minutes": settings.HUZHU_RESET_CODE_MINUTES}


def _new_code() -> tuple[str, str]:
    code = secrets.token_urlsafe(12)
    return code, hash_token(code)


@transaction.atomic
def request_reset(*, address: str) -> None:
    """Send a code to every active account whose verified e-mail is `address`."""
    now = timezone.now()
    owners = VerifiedEmail.objects.filter(
        address__iexact=address.strip(), user__is_active=True
    ).values_list("user_id", "address", "user__locale")
    code, code_hash = _new_code()  # made and hashed even when nobody gets it: equal work
    expires_at = now + timedelta(minutes=settings.HUZHU_RESET_CODE_MINUTES)
    for user_id, to, locale in owners:
        PasswordReset.objects.create(
            user_id=user_id, code_hash=code_hash, created_at=now, expires_at=expires_at
        )
        with translation.override(locale):
            subject = _("Your code to choose a new password")
            body = _(
                "Your code: %(code)s\n\nEnter it at %(url)s within %(minutes)d minutes to "
                "choose a new password. It works once. If you did not ask for it, ignore this "
                "e-mail: your password stays as it is."
            ) % {
                "code": code,
                "url": f"{settings.SITE_URL}/reset/confirm",
                "minutes": settings.HUZHU_RESET_CODE_MINUTES,
            }
        send = partial(outbox.send_email, to, subject, body, secret=code, expires_at=expires_at)
        transaction.on_commit(send, robust=True)
        logger.info("password reset code sent to user %s", user_id)
        code, code_hash = _new_code()  # each account its own code


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
