"""Writes and reads for vouching: a trusted member (TL3 and up) says "I know this person".

A vouch from someone who is trusted now counts as a verification (TL1) for the person
vouched for, which gives people without a local phone or document a way in. Each member
may vouch a few times in a rolling week (levels.py, `vouches_per_week`); every sanction
against someone they vouched for, within HUZHU_VOUCH_SANCTION_DAYS, costs one vouch of
that allowance, so vouching for strangers has a price. Withdrawing does not give a vouch
back (otherwise one vouch could be lent around all week).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from huzhu.safety.models import Sanction
from huzhu.trust.levels import Level, level_name, lowest_level_with, unlocks_for
from huzhu.trust.limits import lock_person
from huzhu.trust.models import Vouch
from huzhu.trust.queries import level_of
from huzhu.trust.services import recompute_level

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Allowance:
    per_week: int
    used_this_week: int
    sanctions_against_vouched: int
    next_free_at: datetime | None  # when a vouch frees up, if none is left

    @property
    def left(self) -> int:
        return max(0, self.per_week - self.used_this_week - self.sanctions_against_vouched)


def _penalising_sanctions(voucher: User, now: datetime) -> list[datetime]:
    """When each sanction in the window against someone `voucher` vouched for (at the time
    of the sanction) was imposed. Overturned or lifted ones do not count, nor the automatic
    suspension a second warning brings: the warning behind it already did."""
    vouched_then = Vouch.objects.filter(
        voucher=voucher, vouchee_id=OuterRef("user_id"), created_at__lte=OuterRef("created_at")
    ).filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=OuterRef("created_at")))
    since = now - timedelta(days=settings.HUZHU_VOUCH_SANCTION_DAYS)
    sanctions = Sanction.objects.filter(
        created_at__gte=since, lifted_at__isnull=True, automated=False
    )
    return list(
        sanctions.filter(Exists(vouched_then))
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )


def allowance_of(voucher: User, now: datetime | None = None) -> Allowance:
    now = now or timezone.now()
    per_week = unlocks_for(level_of(voucher)).vouches_per_week
    this_week = list(
        Vouch.objects.filter(voucher=voucher, created_at__gt=now - WEEK)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    sanctions = _penalising_sanctions(voucher, now)
    frees = [this_week[0] + WEEK] if this_week else []
    if sanctions:
        frees.append(sanctions[0] + timedelta(days=settings.HUZHU_VOUCH_SANCTION_DAYS))
    return Allowance(
        per_week=per_week,
        used_this_week=len(this_week),
        sanctions_against_vouched=len(sanctions),
        next_free_at=min(frees) if frees and per_week else None,
    )


def access_person(user_id: int) -> User:
    """Someone to vouch for: any active account (404 for none, or an erased one)."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def refuse_level(voucher: User) -> None:
    """403 `trust_level` below the level that vouches. Callers check it before looking the
    person up, so that a refusal says nothing about whether they exist."""
    level = level_of(voucher)
    if unlocks_for(level).vouches_per_week > 0:
        return
    needed = lowest_level_with(lambda u: u.vouches_per_week > 0) or Level.TRUSTED
    raise Forbidden(
        _("Vouching opens at TL%(level)d (%(name)s); see your trust page for how to get there.")
        % {"level": needed, "name": level_name(needed)},
        code="trust_level",
    )


@transaction.atomic
def vouch(*, voucher: User, vouchee: User) -> Vouch:
    """Vouch for `vouchee`, within the voucher's allowance; their level is recomputed."""
    refuse_level(voucher)
    if voucher.pk == vouchee.pk:
        raise Invalid(_("You cannot vouch for yourself."), field="user_id")
    now = timezone.now()
    lock_person(voucher)
    if Vouch.objects.filter(voucher=voucher, vouchee=vouchee, withdrawn_at__isnull=True).exists():
        raise Conflict(_("You already vouch for this person."), code="already_vouched")
    allowance = allowance_of(voucher, now)
    if allowance.left <= 0:
        retry = allowance.next_free_at or now + WEEK
        raise TooManyRequests(
            _("You have no vouches left this week."),
            retry_after=int((retry - now).total_seconds()) + 1,
            code="vouch_allowance",
        )
    try:
        with transaction.atomic():
            given = Vouch.objects.create(voucher=voucher, vouchee=vouchee, created_at=now)
    except IntegrityError as exc:  # the same vouch, concurrently
        raise Conflict(_("You already vouch for this person."), code="already_vouched") from exc
    recompute_level(user=vouchee, now=now)
    return given


@transaction.atomic
def withdraw_vouch(*, voucher: User, vouchee_id: int) -> Vouch:
    """Withdraw the voucher's standing vouch; the person's level is recomputed (a lower
    level waits out the usual grace period). One 404 whether or not the person exists."""
    if not 0 < vouchee_id < 2**63:  # beyond any id; the database would refuse the number
        raise NotFound(_("You do not vouch for this person."))
    now = timezone.now()
    given = Vouch.objects.filter(
        voucher=voucher, vouchee_id=vouchee_id, vouchee__is_active=True, withdrawn_at__isnull=True
    )
    found = given.select_related("vouchee").first()
    if found is None or given.update(withdrawn_at=now) != 1:
        raise NotFound(_("You do not vouch for this person."))
    found.withdrawn_at = now
    recompute_level(user=found.vouchee, now=now)
    return found


def given_by(user: User) -> list[Vouch]:
    return list(Vouch.objects.filter(voucher=user).order_by("-created_at", "-pk")[:200])


def received_by(user: User) -> list[Vouch]:
    """Standing vouches only: a withdrawn one is the voucher's business."""
    found = Vouch.objects.filter(vouchee=user, withdrawn_at__isnull=True)
    return list(found.order_by("-created_at", "-pk")[:200])
