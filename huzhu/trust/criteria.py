"""What earns each level, in one table: a criterion measures one number about a person and
compares it with a threshold from settings.

A level is reached when every criterion of that level and of the levels below is met.
Reviews join as "good reviews", weighted by each writer's standing (standing.py); a
verified document and a vouch from someone trusted count as verifications, like a phone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huzhu.accounts.models import User
from huzhu.accounts.roles import moderators
from huzhu.exchanges.models import Exchange, NoShow
from huzhu.trust.levels import Level
from huzhu.trust.models import (
    Review,
    TrustState,
    VerifiedDocument,
    VerifiedEmail,
    VerifiedPhone,
    Vouch,
)
from huzhu.trust.reputation import wilson_lower_bound
from huzhu.trust.standing import (
    Standing,
    compute_standing,
    weighted_good_reviews,
    weighted_reputation,
)

NO_ACTIVITY_DAYS = 100_000  # "days since last exchange" for someone who never completed one


@dataclass(frozen=True)
class Facts:
    """The numbers about one person that the criteria compare, measured at one moment."""

    verifications: int
    completed_exchanges: int
    account_days: int
    no_shows_90d: int
    days_since_last_exchange: int
    good_reviews: int = 0  # net good reviews weighted by their writers' standing
    reviews_counted: int = 0  # revealed reviews that count, for the badge
    reviews_positive: int = 0

    @property
    def good_reviews_percent(self) -> int:
        """The Wilson lower bound of the share of good reviews, in whole percent; 0 until
        there are enough reviews to show a reputation at all."""
        if self.reviews_counted < settings.HUZHU_REVIEWS_SHOWN_FROM:
            return 0
        return int(wilson_lower_bound(self.reviews_positive, self.reviews_counted) * 100)


def vouched_by_trusted(user_id: int) -> bool:
    """Whether someone trusted *now* (TL3 and up, or staff) stands behind `user_id`: a
    voucher who drops below TL3 no longer verifies anyone."""
    trusted_voucher = TrustState.objects.filter(
        user_id=OuterRef("voucher_id"), level__gte=Level.TRUSTED
    )
    active = Vouch.objects.filter(vouchee_id=user_id, withdrawn_at__isnull=True)
    return active.filter(Q(voucher__in=moderators()) | Q(Exists(trusted_voucher))).exists()


def measure(user: User, now: datetime, standing: Standing | None = None) -> Facts:
    """`standing` is computed for the whole community; pass it when measuring many people."""
    completed = Exchange.objects.filter(
        Q(giver=user) | Q(receiver=user), status=Exchange.Status.COMPLETED
    )
    last = completed.aggregate(last=Max("ended_at"))["last"]
    verifications = (
        VerifiedPhone.objects.filter(user=user).count()
        + VerifiedEmail.objects.filter(user=user).count()
        + VerifiedDocument.objects.filter(user=user).count()
        + int(vouched_by_trusted(user.pk))
    )
    if standing is None and Review.objects.filter(reviewee=user).exists():
        standing = compute_standing(now)  # once, for both weighted measures below
    reputation = weighted_reputation(user.pk, standing, now)
    return Facts(
        verifications=verifications,
        completed_exchanges=completed.count(),
        account_days=(now - user.date_joined).days,
        no_shows_90d=NoShow.objects.filter(  # an overturned no-show counts nowhere
            reported_user=user, created_at__gte=now - timedelta(days=90), overturned=False
        ).count(),
        days_since_last_exchange=(now - last).days if last else NO_ACTIVITY_DAYS,
        good_reviews=weighted_good_reviews(user.pk, standing, now),
        reviews_counted=reputation.counted,
        reviews_positive=reputation.positive,
    )


def _threshold(name: str) -> Callable[[], int]:
    return lambda: int(settings.HUZHU_TRUST_THRESHOLDS[name])


@dataclass(frozen=True)
class Criterion:
    code: str
    level: Level
    label: Promise
    value: Callable[[Facts], int]
    threshold: Callable[[], int]
    comparison: Literal["at_least", "at_most"] = "at_least"

    def met(self, facts: Facts) -> bool:
        value, threshold = self.value(facts), self.threshold()
        return value >= threshold if self.comparison == "at_least" else value <= threshold


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "verified",
        Level.VERIFIED,
        _("verifications passed (phone, e-mail, document or a vouch)"),
        lambda f: f.verifications,
        lambda: 1,
    ),
    Criterion(
        "completed_exchanges",
        Level.MEMBER,
        _("completed exchanges"),
        lambda f: f.completed_exchanges,
        _threshold("tl2_completed_exchanges"),
    ),
    Criterion(
        "account_days",
        Level.MEMBER,
        _("days since you joined"),
        lambda f: f.account_days,
        _threshold("tl2_account_days"),
    ),
    Criterion(
        "no_shows",
        Level.MEMBER,
        _("missed hand-overs in the last 90 days"),
        lambda f: f.no_shows_90d,
        _threshold("tl2_max_no_shows_90d"),
        "at_most",
    ),
    Criterion(
        "good_reviews",
        Level.MEMBER,
        _("good reviews from members in good standing"),
        lambda f: f.good_reviews,
        _threshold("tl2_good_reviews"),
    ),
    Criterion(
        "completed_exchanges_tl3",
        Level.TRUSTED,
        _("completed exchanges"),
        lambda f: f.completed_exchanges,
        _threshold("tl3_completed_exchanges"),
    ),
    Criterion(
        "good_reviews_tl3",
        Level.TRUSTED,
        _("good reviews, cautiously estimated (%)"),
        lambda f: f.good_reviews_percent,
        _threshold("tl3_good_reviews_percent"),
    ),
    Criterion(
        "recently_active",
        Level.TRUSTED,
        _("days since your last completed exchange"),
        lambda f: f.days_since_last_exchange,
        _threshold("tl3_active_days"),
        "at_most",
    ),
    Criterion(
        "no_shows_tl3",
        Level.TRUSTED,
        _("missed hand-overs in the last 90 days"),
        lambda f: f.no_shows_90d,
        _threshold("tl3_max_no_shows_90d"),
        "at_most",
    ),
)


def earned_level(facts: Facts) -> Level:
    """The highest level (up to TL3) whose criteria, and all below, are met."""
    earned = Level.NEW
    for level in (Level.VERIFIED, Level.MEMBER, Level.TRUSTED):
        if not all(c.met(facts) for c in CRITERIA if c.level == level):
            break
        earned = level
    return earned
