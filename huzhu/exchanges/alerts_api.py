"""Alerts, matches and check-ins API: your saved alerts, suggestions for your own post,
and your answer to "still needed?".

An alert, a post's matches and its check-in are their owner's alone: anyone else gets 404.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.exchanges import alerts, checkins, presenters
from huzhu.exchanges.matching import matches_for
from huzhu.exchanges.schemas import (
    AlertIn,
    AlertListOut,
    AlertOut,
    ErrorOut,
    MatchListOut,
    StillNeededIn,
)
from huzhu.posts.presenters import post_detail_data
from huzhu.posts.queries import access_own_post, access_post
from huzhu.posts.schemas import PostDetailOut

router = Router(tags=["alerts"])
# Mounted under /posts: suggestions and check-ins start from a post.
posts_router = Router(tags=["alerts"])


@router.get(
    "",
    auth=api_auth,
    response={200: AlertListOut, 401: ErrorOut},
    summary="Your saved alerts, newest first",
)
def list_alerts(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    return {
        "items": [presenters.alert_data(alert) for alert in alerts.alerts_of(user)],
        "limit": settings.HUZHU_ALERTS_PER_USER,
    }


@router.post(
    "",
    auth=api_auth,
    response={201: AlertOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Save an alert: hear about new needs or offers nearby",
    description="Name an `item`, or a `category` for anything in it, a centre (kept "
    "private; only an approximate area is shown) and a radius of 1–50 km. New matching "
    "posts by others then reach your inbox (and e-mail, as your preferences say), at most "
    "a few a day. 409 `alert_limit` when you already have as many alerts as allowed.",
)
def create_alert(request: HttpRequest, payload: AlertIn) -> Status[Any]:
    user = caller(request)
    alert = alerts.create_alert(owner=user, draft=alerts.AlertDraft(**payload.dict()))
    return Status(201, presenters.alert_data(alerts.access_alert(user, alert.pk)))


@router.delete(
    "/{alert_id}",
    auth=api_auth,
    response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Delete one of your alerts",
)
def delete_alert(request: HttpRequest, alert_id: int) -> Status[None]:
    alerts.delete_alert(alert=alerts.access_alert(caller(request), alert_id))
    return Status(204, None)


@posts_router.get(
    "/{post_id}/matches",
    auth=api_auth,
    response={200: MatchListOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Suggestions for your post: offers for a need, needs for an offer",
    description="Open offers nearby of the same item (or category) for a need, nearest and "
    "most reliable givers first; the most urgent needs nearby for an offer. Only the "
    "post's owner may ask; anyone else gets 404.",
)
def post_matches(request: HttpRequest, post_id: int) -> dict[str, Any]:
    user = caller(request)
    post = access_own_post(user, post_id)
    return {"items": [presenters.match_data(match, user) for match in matches_for(post)]}


@posts_router.post(
    "/{post_id}/still-needed",
    auth=api_auth,
    response={200: PostDetailOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary='Answer "still needed?" for your post',
    description="`true` keeps the post listed (an `unknown` post is reopened) and restarts "
    "the check-in clock; `false` withdraws it. 409 once the post is closed. Only the "
    "post's owner may answer; anyone else gets 404.",
)
def still_needed(request: HttpRequest, post_id: int, payload: StillNeededIn) -> dict[str, Any]:
    user = caller(request)
    post = access_own_post(user, post_id)
    checkins.answer_checkin(post=post, actor=user, still_needed=payload.still_needed)
    return post_detail_data(access_post(user, post_id), user)
