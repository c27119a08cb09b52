"""Insights API: the public, privacy-safe statistics and one's own "for you" feed."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.accounts.models import User
from huzhu.insights import for_you
from huzhu.insights.presenters import stats_data
from huzhu.insights.schemas import ForYouOut, ForYouPlaceIn, StatsOut
from huzhu.insights.stats_snapshot import current_stats
from huzhu.posts.presenters import hit_data
from huzhu.posts.schemas import ErrorOut
from huzhu.trust.queries import badges_for

router = Router(tags=["insights"])


@router.get(
    "/stats",
    auth=None,
    response={200: StatsOut},
    summary="Public statistics: needs and offers, fulfilment, reports, moderation",
    description="Counts by category, area (district) and ISO week of posting, the median "
    "hours from a need's posting to its fulfilment, and reports received, acted on and "
    "upheld; sanctions by kind, appeals received, decided and overturned, and moderation "
    "actions automated versus by a moderator. A null figure is suppressed: it describes "
    "fewer than 11 people, or hiding it keeps another suppressed figure from being worked "
    "out by subtraction. Recomputed at most every few minutes. The same figures as CSV: "
    "/transparency.csv.",
)
def stats(request: HttpRequest) -> dict[str, Any]:
    return stats_data(current_stats())


def feed_data(user: User) -> dict[str, Any]:
    feed = for_you.feed_for(user)
    badges = badges_for(s.post.owner_id for s in feed.suggestions)
    return {
        "place": {"code": feed.place.code, "name": str(feed.place.name)},
        "learning": feed.learning,
        "items": [
            {**hit_data(s.post, s.distance_km, user, badges[s.post.owner_id]), "reason": s.reason}
            for s in feed.suggestions
        ],
    }


@router.get(
    "/me/for-you",
    auth=api_auth,
    response={200: ForYouOut, 401: ErrorOut, 409: ErrorOut},
    summary="Open needs near you for things you offered before",
    description="Only after you turn on the feed at /me/consents (409 `consent_required` "
    "otherwise). Each item says why it is shown. Learning from your offers needs the "
    "`activity_recommendations` consent too.",
)
def get_for_you(request: HttpRequest) -> dict[str, Any]:
    return feed_data(caller(request))


@router.put(
    "/me/for-you",
    auth=api_auth,
    response={200: ForYouOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Choose the district your feed looks around",
)
def put_for_you(request: HttpRequest, payload: ForYouPlaceIn) -> dict[str, Any]:
    user = caller(request)
    for_you.choose_place(user=user, place_code=payload.place)
    return feed_data(user)


@router.delete(
    "/me/for-you",
    auth=api_auth,
    response={204: None, 401: ErrorOut},
    summary="Reset your feed: forget the district and what was learned",
)
def reset_for_you(request: HttpRequest) -> Status[None]:
    for_you.reset_profile(user=caller(request))
    return Status(204, None)
