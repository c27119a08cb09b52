"""Writes for verified organisations: staff (organisers and operators) mark an account as a
pharmacy, clinic, NGO or residents' committee after checking its registration.

The name is public (it is on the badge); the registration number is kept only as a keyed
hash, unique, so one registration verifies one account, across key rotations as for phones.
"""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu import keys
from huzhu.accounts.models import User
from huzhu.accounts.roles import is_moderator
from huzhu.errors import Conflict, Forbidden, Invalid, NotFound
from huzhu.safety import audit
from huzhu.safety.models import AuditEntry
from huzhu.trust.models import Organisation

AUDIT_TARGET = "user"
VERIFIED, REVOKED = AuditEntry.Action.ORG_VERIFIED, AuditEntry.Action.ORG_REVOKED


def refuse_unless_staff(actor: User) -> None:
    if not is_moderator(actor):
        raise Forbidden(_("Only organisers and operators verify organisations."), code="not_staff")


def _registration_hashes(raw: str) -> list[str]:
    number = re.sub(r"[\s\-./]", "", raw).upper()
    if not re.fullmatch(r"[A-Z0-9]{4,40}", number):
        raise Invalid(
            _("A registration number has 4 to 40 letters and digits."),
            field="registration_number",
        )
    hashes = keys.digests(number, purpose="organisation")
    current = keys.current_version()
    return [hashes[current], *(h for v, h in sorted(hashes.items()) if v != current)]


def _taken() -> Conflict:
    return Conflict(
        _("This registration number already verifies another account."),
        code="registration_taken",
    )


@transaction.atomic
def verify_organisation(
    *, actor: User, user: User, kind: str, name: str, registration_number: str
) -> Organisation:
    """Mark `user` as a verified organisation (audited)."""
    refuse_unless_staff(actor)
    if kind not in Organisation.Kind.values:
        raise Invalid(_("Choose the kind of organisation."), field="kind")
    if not name.strip():
        raise Invalid(_("Give the organisation's name."), field="name")
    hashes = _registration_hashes(registration_number)
    if Organisation.objects.filter(user=user).exists():
        raise Conflict(_("This account is already a verified organisation."), code="already")
    if Organisation.objects.filter(registration_hash__in=hashes).exists():
        raise _taken()
    now = timezone.now()
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                user=user,
                kind=kind,
                name=name.strip(),
                registration_hash=hashes[0],
                key_version=keys.current_version(),
                verified_by=actor,
                verified_at=now,
            )
    except IntegrityError as exc:  # a concurrent verification of the same registration
        raise _taken() from exc
    audit.record(
        actor=actor,
        action=VERIFIED,
        target_type=AUDIT_TARGET,
        target_id=user.pk,
        now=now,
        reason=kind,
    )
    return organisation


@transaction.atomic
def revoke_organisation(*, actor: User, user: User, reason: str) -> None:
    """The account is a person's again (audited with the reason)."""
    refuse_unless_staff(actor)
    if not reason.strip():
        raise Invalid(_("Give a reason: the person will read it."), field="reason")
    deleted, _by_model = Organisation.objects.filter(user=user).delete()
    if not deleted:
        raise NotFound(_("This account is not a verified organisation."))
    audit.record(
        actor=actor,
        action=REVOKED,
        target_type=AUDIT_TARGET,
        target_id=user.pk,
        now=timezone.now(),
        reason=reason.strip(),
    )
