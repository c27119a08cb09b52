"""Writes for trust levels: recompute one person's level, or everyone's (nightly).

Promotion applies at once. A lower level waits: the first time it is computed the person
gets a warning in their inbox and a grace period (HUZHU_TRUST_GRACE_DAYS); if it is still
lower when the period ends it applies, and if they recover meanwhile it is forgotten.
Staff accounts are TL4, granted by an operator rather than earned.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.accounts.roles import is_moderator
from huzhu.exchanges import notifications
from huzhu.trust.criteria import earned_level, measure
from huzhu.trust.levels import Level
from huzhu.trust.models import TrustState
from huzhu.trust.standing import Standing, compute_standing


@transaction.atomic
def recompute_level(
    *, user: User, now: datetime | None = None, standing: Standing | None = None
) -> TrustState:
    """Measure `user` against the criteria and store their level (and badge numbers)."""
    now = now or timezone.now()
    facts = measure(user, now, standing)
    earned = Level.MODERATOR if is_moderator(user) else earned_level(facts)
    TrustState.objects.bulk_create([TrustState(user=user, computed_at=now)], ignore_conflicts=True)
    state = TrustState.objects.get(user=user)
    if earned >= state.level or state.level == Level.MODERATOR:
        # TL4 is granted with staff status and goes with it, without a grace period.
        state.level, state.pending_level, state.demote_at = earned, None, None
    elif state.demote_at is None:
        state.pending_level = earned
        state.demote_at = now + timedelta(days=settings.HUZHU_TRUST_GRACE_DAYS)
        notifications.notify_person(user_id=user.pk, kind=notifications.Kind.TRUST_WARNING, now=now)
    elif now >= state.demote_at:
        state.level, state.pending_level, state.demote_at = earned, None, None
    else:
        state.pending_level = earned
    state.verified = facts.verifications > 0
    state.completed_exchanges = facts.completed_exchanges
    state.reviews_counted = facts.reviews_counted
    state.reviews_positive = facts.reviews_positive
    state.computed_at = now
    state.save()
    return state


def recompute_all(*, now: datetime | None = None) -> int:
    """Recompute every active person's level, one short transaction each."""
    now = now or timezone.now()
    # Standing is computed once from the levels as they were at the start of the run: a
    # promotion during the run makes a new seed at the next run, not halfway through.
    standing = compute_standing(now)
    count = 0
    for user in User.objects.filter(is_active=True).iterator(chunk_size=500):
        recompute_level(user=user, now=now, standing=standing)
        count += 1
    return count
