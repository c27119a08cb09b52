"""Two-factor log-in for staff: a TOTP authenticator app (django-otp's TOTP device).

A staff account with a confirmed device must give its current code wherever a password is
accepted: the web log-in, the admin's and `POST /auth/token` (a token would otherwise be
a way round it). Enrolment makes an unconfirmed device and shows its secret; it counts
only once a code from the app confirms it. django-otp refuses a code used before and
slows down repeated wrong codes per device. `huzhu check --deploy` warns about every staff
account still without a confirmed device (huzhu.W020).
"""

from django.core import checks
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from huzhu.accounts.models import User
from huzhu.accounts.roles import moderators
from huzhu.errors import DomainError, Invalid

DEVICE_NAME = "authenticator"


class CodeNeeded(DomainError):
    status = 401
    code = "otp_required"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def check_code(*, user: User, code: str) -> TOTPDevice | None:
    """The device that `code` verifies, None for an account without two-factor log-in;
    CodeNeeded (401 `otp_required`) when the account has a device and the code is missing
    or wrong."""
    device = confirmed_device(user)
    if device is None:
        return None
    if not code.strip():
        raise CodeNeeded(_("Enter the 6-digit code from your authenticator app."))
    if not device.verify_token(code.strip().replace(" ", "")):
        raise CodeNeeded(_("That code is wrong or used up. Enter the newest one."))
    return device


@transaction.atomic
def pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device to set up in an app (a new secret if there is none yet)."""
    found = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return found or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_device(*, user: User, code: str) -> TOTPDevice:
    """Turn two-factor log-in on with the first code the app shows."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code.strip().replace(" ", "")):
        raise Invalid(_("That code is wrong. Enter the newest one from the app."), field="code")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one device per person
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    return device


def check_staff_two_factor(
    app_configs: object = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """Deploy check: a staff password alone opens relay threads and sanctions."""
    without = moderators().exclude(totpdevice__confirmed=True).order_by("pk")
    try:
        ids = list(without.values_list("pk", flat=True)[:20])
    except DatabaseError:  # not migrated yet: nobody to warn about
        return []
    if not ids:
        return []
    return [
        checks.Warning(
            f"{without.count()} staff account(s) log in without a second factor "
            f"(user ids {', '.join(map(str, ids))}).",
            hint="Each of them turns on two-factor log-in at /me/two-factor.",
            id="huzhu.W020",
        )
    ]
