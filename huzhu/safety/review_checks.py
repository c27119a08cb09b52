"""Low reviews (score 2 or less) wait in the console until a moderator has looked; handling
one clears its flag (trust/reviews.py) and writes the audit entry."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict
from huzhu.safety import audit
from huzhu.safety.models import AuditEntry
from huzhu.safety.moderation import check_reason
from huzhu.trust.models import Review
from huzhu.trust.reviews import clear_review_flag


@transaction.atomic
def handle_low_review(*, moderator: User, review: Review, reason: str) -> Review:
    """Take the review off the queue. 409 if it is not (or no longer) waiting."""
    reason = check_reason(reason)
    if review.flagged_at is None or review.flag_cleared_at is not None:
        raise Conflict(_("This review is not waiting for a moderator."), code="not_flagged")
    now = timezone.now()
    review = clear_review_flag(review=review, moderator=moderator, now=now)
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.REVIEW_HANDLED,
        target_type="review",
        target_id=review.pk,
        reason=reason,
        now=now,
    )
    return review
