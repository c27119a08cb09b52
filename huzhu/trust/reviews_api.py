"""Reviews API, mounted under /exchanges: review the other person after a completed
exchange, and read the pair's reviews double-blind."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.exchanges.queries import access_exchange
from huzhu.trust import reviews
from huzhu.trust.schemas import ErrorOut, ReviewIn, ReviewOut, ReviewsOut

router = Router(tags=["reviews"])


@router.post(
    "/{exchange_id}/review",
    auth=api_auth,
    response={201: ReviewOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Review the other person after a completed exchange",
    description="Once per person and exchange, within 14 days of completion. 409 "
    "`not_completed` before the receiver confirmed the hand-over, `already_reviewed` for a "
    "second review, `review_window_closed` after the window. `comment` is private to the two "
    "of you (and moderators); `thanks` shows on the public stories wall, without names, only "
    "if `publish_thanks` is true. Double-blind: the other person sees your review once they "
    "have reviewed too or the window has closed.",
)
def write_review(request: HttpRequest, exchange_id: int, payload: ReviewIn) -> Status[Any]:
    user = caller(request)
    review = reviews.write_review(
        exchange=access_exchange(user, exchange_id),
        reviewer=user,
        score=payload.score,
        comment=payload.comment,
        thanks=payload.thanks,
        publish_thanks=payload.publish_thanks,
    )
    return Status(201, reviews.review_data(review, masked=False))


@router.get(
    "/{exchange_id}/reviews",
    auth=api_auth,
    response={200: ReviewsOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The two reviews of an exchange, as far as you may see them",
    description="Your own review at once; the other person's (`theirs`) only once you have "
    "both reviewed or the review window has closed. `theirs_written` says whether they have.",
)
def list_reviews(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    user = caller(request)
    return reviews.reviews_of(access_exchange(user, exchange_id), user)
