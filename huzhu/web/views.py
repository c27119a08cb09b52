"""The home page: "I need" / "I can give", the person's own open posts, and two tabs of
what is nearby, needs and offers, in the order of posts/ranking.py or nearest first."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.errors import DomainError
from huzhu.labels import localised
from huzhu.places import default_centre, place_by_code
from huzhu.posts.models import Post
from huzhu.posts.queries import most_needed_items, open_posts_of
from huzhu.posts.ranking import awaits_confirmation
from huzhu.posts.search import SearchPage, SearchParams, search_posts
from huzhu.safety import ratelimit
from huzhu.trust.queries import badges_for
from huzhu.web.cards import card_for
from huzhu.web.forms import DEFAULT_RADIUS_KM, DEFAULTS, RADII_KM, FeedForm

FEED_PAGE_SIZE = 20
FEED_TABS = {"need": gettext_lazy("Needs near me"), "offer": gettext_lazy("Offered near me")}


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


def _distance_km(where: FeedLocation, post: Post) -> float:
    """How far the viewer's own post is from the feed's centre (it is theirs to know)."""
    return geo.haversine_km(where.lat, where.lng, post.lat, post.lng)


def _link(request: HttpRequest, **changes: str) -> str:
    """This page's query with `changes`, from its first page."""
    query = request.GET.copy()
    query.pop("cursor", None)
    for name, value in changes.items():
        if value:
            query[name] = value
        else:  # an empty change drops the parameter (the search's keyword)
            query.pop(name, None)
    return "?" + query.urlencode()


def _wider_link(request: HttpRequest, radius_km: float) -> str:
    """The same search at the next larger distance, or "" at the largest."""
    wider = [km for km in RADII_KM if km > radius_km]
    return _link(request, radius_km=str(wider[0])) if wider else ""


def feed_search(
    data: dict[str, Any], where: FeedLocation, *, sort: str, limit: int
) -> tuple[SearchParams, SearchPage, str]:
    """The feed form's search (the list's and the map's), its page, and the message of a
    search refused as asked (shown in place of the posts)."""
    params = SearchParams(
        lat=where.lat,
        lng=where.lng,
        radius_km=data.get("radius_km") or DEFAULT_RADIUS_KM,
        kind=data.get("kind") if data.get("kind") in FEED_TABS else "need",
        category=data.get("category") or None,
        tag=data.get("tag") or None,
        sort=sort,
        limit=limit,
        cursor=data.get("cursor") or None,
        text=data.get("q") or None,
    )
    try:
        return params, search_posts(params), ""
    except DomainError as exc:
        return params, SearchPage(), exc.message


def home(request: HttpRequest) -> HttpResponse:
    # Every view of the feed is a search; too many answer the 429 page (safety/middleware.py).
    ratelimit.check_search(request, request.user.pk if request.user.is_authenticated else None)
    form = FeedForm({**DEFAULTS, **request.GET.dict()})
    form.is_valid()  # invalid fields are shown with their error and left out of the search
    data = form.cleaned_data
    where = feed_location(data)
    first_page = not data.get("cursor")
    own = open_posts_of(request.user) if isinstance(request.user, User) and first_page else []
    params, page, error = feed_search(
        data, where, sort=data.get("sort") or "urgency", limit=FEED_PAGE_SIZE
    )
    kind, sort = params.kind, params.sort
    now = timezone.now()
    own_ids = {post.pk for post in own}
    hits = [(post, distance) for post, distance in page.hits if post.pk not in own_ids]
    badges = badges_for(post.owner_id for post, _ in hits)
    more_url = ""
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        more_url = "?" + query.urlencode()
    context = {
        "form": form,
        "where": where,
        "params": params,
        "most_needed": [
            {"code": item.code, "name": localised(item.name_en, item.name_zh)}
            for item in most_needed_items()
        ],
        "own_cards": [
            {
                "card": card_for(post, request.user, _distance_km(where, post)),
                "confirm": awaits_confirmation(post, now),
            }
            for post in own
        ],
        "cards": [
            card_for(post, request.user, distance, badges[post.owner_id]) for post, distance in hits
        ],
        "tabs": [
            {"kind": code, "label": label, "url": _link(request, kind=code), "on": code == kind}
            for code, label in FEED_TABS.items()
        ],
        "other_sort_url": _link(request, sort="urgency" if sort == "distance" else "distance"),
        "more_url": more_url,
        "search_error": error,
        "query": data.get("q") or "",
        "wider_url": _wider_link(request, params.radius_km),
        "clear_query_url": _link(request, q=""),
    }
    return render(request, "web/home.html", context)
