"""Reputation from reviews: which reviews are revealed and count, and how they are shown.

A review is revealed once both people in its exchange have reviewed or the review window
has closed. Reputation uses revealed reviews only: otherwise a badge that moved the moment
the other person reviewed would give their score away before the double-blind lifts. Each
review weighs by its writer's standing, like promotion (standing.weighted_reputation), so
sock accounts' praise does not move the public badge.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from huzhu.trust.models import Review

POSITIVE_SCORE = 4  # 4 and 5 are good reviews
LOW_SCORE = 2  # 1 and 2 are poor: they alert a moderator and weigh against
Z_95 = 1.959963984540054  # the normal quantile for a two-sided 95% interval


def wilson_lower_bound(positive: int, total: int, z: float = Z_95) -> float:
    """The lower bound of the Wilson score interval for the share of positive reviews.

    Unlike the raw share it rewards evidence: 3 of 3 is about 0.44, 30 of 30 about 0.89.
    """
    if total <= 0:
        return 0.0
    if not 0 <= positive <= total:
        raise ValueError("positive must lie between 0 and total")
    share = positive / total
    z2 = z * z
    centre = share + z2 / (2 * total)
    spread = z * math.sqrt((share * (1 - share) + z2 / (4 * total)) / total)
    return max(0.0, (centre - spread) / (1 + z2 / total))


def window_closes_at(ended_at: datetime) -> datetime:
    return ended_at + timedelta(days=settings.HUZHU_REVIEW_WINDOW_DAYS)


def revealed_reviews(now: datetime) -> QuerySet[Review]:
    """Reviews the reviewee may read: both sides reviewed, or the window has closed."""
    answered = Review.objects.filter(
        exchange_id=OuterRef("exchange_id"), reviewer_id=OuterRef("reviewee_id")
    )
    closed_before = now - timedelta(days=settings.HUZHU_REVIEW_WINDOW_DAYS)
    return Review.objects.filter(Q(Exists(answered)) | Q(exchange__ended_at__lte=closed_before))


@dataclass(frozen=True)
class Reputation:
    counted: int
    positive: int

    @property
    def enough(self) -> bool:
        return self.counted >= settings.HUZHU_REVIEWS_SHOWN_FROM

    @property
    def lower_bound(self) -> float | None:
        """Shown only from a few reviews on; before that there is nothing fair to show."""
        return round(wilson_lower_bound(self.positive, self.counted), 3) if self.enough else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "reviews_counted": self.counted,
            "reviews_positive": self.positive,
            "enough_reviews": self.enough,
            "positive_lower_bound": self.lower_bound,
        }
