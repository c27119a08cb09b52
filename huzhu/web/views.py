"""The home page: "I need" / "I can give" and the feed of what is nearby."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from huzhu.errors import DomainError
from huzhu.posts.search import SearchPage, SearchParams, search_posts
from huzhu.safety import ratelimit
from huzhu.trust.queries import badges_for
from huzhu.web.cards import card_for
from huzhu.web.forms import DEFAULT_RADIUS_KM, DEFAULTS, FeedForm
from huzhu.web.places import default_centre, place_by_code

FEED_PAGE_SIZE = 20


@dataclass(frozen=True)
class FeedLocation:
    lat: float
    lng: float
    name: str


def feed_location(data: dict[str, Any]) -> FeedLocation:
    """A chosen district wins, then coordinates (browser or URL), then the default centre."""
    place = place_by_code(data.get("place") or "")
    if place is not None:
        return FeedLocation(place.lat, place.lng, str(place.name))
    lat, lng = data.get("lat"), data.get("lng")
    if lat is not None and lng is not None:
        return FeedLocation(lat, lng, _("your location"))
    centre = default_centre()
    return FeedLocation(centre.lat, centre.lng, str(centre.name))


def home(request: HttpRequest) -> HttpResponse:
    # Every view of the feed is a search; too many answer the 429 page (safety/middleware.py).
    ratelimit.check_search(request, request.user.pk if request.user.is_authenticated else None)
    form = FeedForm({**DEFAULTS, **request.GET.dict()})
    form.is_valid()  # invalid fields are shown with their error and left out of the search
    data = form.cleaned_data
    where = feed_location(data)
    params = SearchParams(
        lat=where.lat,
        lng=where.lng,
        radius_km=data.get("radius_km") or DEFAULT_RADIUS_KM,
        kind=data.get("kind") or None,
        category=data.get("category") or None,
        tag=data.get("tag") or None,
        sort=data.get("sort") or "urgency",
        limit=FEED_PAGE_SIZE,
        cursor=data.get("cursor") or None,
    )
    error = ""
    try:
        page = search_posts(params)
    except DomainError as exc:
        page, error = SearchPage(), exc.message
    badges = badges_for(post.owner_id for post, _ in page.hits)
    more_url = ""
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        more_url = "?" + query.urlencode()
    context = {
        "form": form,
        "where": where,
        "params": params,
        "cards": [
            card_for(post, request.user, distance, badges[post.owner_id])
            for post, distance in page.hits
        ],
        "more_url": more_url,
        "search_error": error,
    }
    return render(request, "web/home.html", context)
