"""Reviews after a completed exchange: write one, see the pair's reviews double-blind, and
let a moderator clear a low review they have checked.

Each side may review the other once, within the review window after completion. A score of
2 or less is flagged for the moderators (`queries.low_reviews_to_check`).
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.accounts.roles import require_moderator
from huzhu.errors import Conflict, Invalid, NotFound
from huzhu.exchanges.models import Exchange, Notification
from huzhu.exchanges.notifications import notify
from huzhu.exchanges.relay import is_revealed
from huzhu.text import rules
from huzhu.text.contact import mask_contacts
from huzhu.trust.limits import lock_person
from huzhu.trust.models import Review
from huzhu.trust.reputation import LOW_SCORE, window_closes_at
from huzhu.trust.services import recompute_level

logger = logging.getLogger(__name__)
MAX_COMMENT = 1000
MAX_THANKS = 500


def _check_input(score: int, comment: str, thanks: str) -> None:
    """The API's schema checks these too; the web form and other callers come here."""
    if not 1 <= score <= 5:
        raise Invalid(_("Choose a score from 1 to 5."), field="score")
    if len(comment) > MAX_COMMENT:
        raise Invalid(_("Keep the comment under 1000 characters."), field="comment")
    if len(thanks) > MAX_THANKS:
        raise Invalid(_("Keep the thank-you note under 500 characters."), field="thanks")
    # The note may be published: it keeps to the gift-only rule like any public text.
    rules.check_message(thanks, field="thanks")


def _check_can_review(exchange: Exchange, reviewer: User, now: datetime) -> None:
    if reviewer.pk not in (exchange.giver_id, exchange.receiver_id):
        raise NotFound(_("Exchange not found."))
    if exchange.status != Exchange.Status.COMPLETED or exchange.ended_at is None:
        raise Conflict(
            _("You can review only once the receiver has confirmed the hand-over."),
            code="not_completed",
        )
    if Review.objects.filter(exchange=exchange, reviewer=reviewer).exists():
        raise Conflict(_("You have already reviewed this exchange."), code="already_reviewed")
    if now >= window_closes_at(exchange.ended_at):
        raise Conflict(
            _("Reviews close %(days)d days after the exchange is completed.")
            % {"days": settings.HUZHU_REVIEW_WINDOW_DAYS},
            code="review_window_closed",
        )


@transaction.atomic
def write_review(
    *,
    exchange: Exchange,
    reviewer: User,
    score: int,
    comment: str = "",
    thanks: str = "",
    publish_thanks: bool = False,
    now: datetime | None = None,
) -> Review:
    """Review the other person in a completed exchange (once, within the window).

    The review counts towards reputation unless the reviewer already has a counting review
    of the same person within the pair window: then it is kept but does not count.
    """
    now = now or timezone.now()
    comment, thanks = comment.strip(), thanks.strip()
    _check_input(score, comment, thanks)
    _check_can_review(exchange, reviewer, now)
    reviewee_id = exchange.receiver_id if exchange.giver_id == reviewer.pk else exchange.giver_id
    lock_person(reviewer)  # two reviews of the same person at once must not both count
    recent = Review.objects.filter(
        reviewer=reviewer,
        reviewee_id=reviewee_id,
        counts=True,
        created_at__gt=now - timedelta(days=settings.HUZHU_REVIEW_PAIR_DAYS),
    )
    try:
        with transaction.atomic():
            review = Review.objects.create(
                exchange=exchange,
                reviewer=reviewer,
                reviewee_id=reviewee_id,
                score=score,
                comment=comment,
                thanks=thanks,
                publish_thanks=publish_thanks and bool(thanks),
                counts=not recent.exists(),
                created_at=now,
                flagged_at=now if score <= LOW_SCORE else None,
            )
    except IntegrityError as exc:  # the same person, twice at once
        raise Conflict(
            _("You have already reviewed this exchange."), code="already_reviewed"
        ) from exc
    logger.info("review %s written on exchange %s", review.pk, exchange.pk)
    if Review.objects.filter(exchange=exchange).count() == 2:  # both written: both shown
        for person_id in (exchange.giver_id, exchange.receiver_id):
            notify(user_id=person_id, kind=Notification.Kind.REVIEW, exchange=exchange, now=now)
    # A review may reveal the pair's reviews, which moves both people's reputation.
    for person in (exchange.giver, exchange.receiver):
        recompute_level(user=person, now=now)
    return review


@transaction.atomic
def clear_review_flag(*, review: Review, moderator: User, now: datetime | None = None) -> Review:
    """A moderator has looked at a low review: it leaves the queue (the review stays)."""
    require_moderator(moderator)
    now = now or timezone.now()
    Review.objects.filter(pk=review.pk, flag_cleared_at__isnull=True).update(flag_cleared_at=now)
    logger.info("review %s flag cleared by %s", review.pk, moderator.pk)
    review.refresh_from_db()
    return review


def review_data(review: Review, *, masked: bool) -> dict[str, Any]:
    show = mask_contacts if masked else str
    return {
        "id": review.pk,
        "score": review.score,
        "comment": show(review.comment),
        "thanks": show(review.thanks),
        "publish_thanks": review.publish_thanks,
        "counts": review.counts,
        "created_at": review.created_at,
    }


def reviews_of(exchange: Exchange, viewer: User, now: datetime | None = None) -> dict[str, Any]:
    """The pair's reviews as `viewer` may see them: their own at once, the other's only
    once both have reviewed or the window has closed."""
    now = now or timezone.now()
    reviews = {r.reviewer_id: r for r in Review.objects.filter(exchange=exchange)}
    mine = reviews.get(viewer.pk)
    theirs = next((r for r in reviews.values() if r.reviewer_id != viewer.pk), None)
    completed = exchange.status == Exchange.Status.COMPLETED and exchange.ended_at is not None
    closes = window_closes_at(exchange.ended_at) if completed and exchange.ended_at else None
    closed = closes is not None and now >= closes
    revealed = closed or (mine is not None and theirs is not None)
    return {
        "can_review": completed and mine is None and not closed,
        "window_closes_at": closes,
        "revealed": revealed,
        "theirs_written": theirs is not None,
        "mine": review_data(mine, masked=False) if mine else None,
        "theirs": review_data(theirs, masked=not is_revealed(exchange))
        if theirs and revealed
        else None,
    }
