"""The home page: "I need" / "I can give", the person's own open posts, and two tabs of
what is nearby, needs and offers, in the order of posts/ranking.py or nearest first."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
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
from huzhu.public_cache import shared_part
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


def feed_params(
    data: dict[str, Any], where: FeedLocation, *, sort: str, limit: int
) -> SearchParams:
    """The search the feed form asks for (the list's and the map's)."""
    return SearchParams(
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


def feed_search(
    data: dict[str, Any], where: FeedLocation, *, sort: str, limit: int
) -> tuple[SearchParams, SearchPage, str]:
    """The feed form's search, its page, and the message of a search refused as asked
    (shown in place of the posts)."""
    params = feed_params(data, where, sort=sort, limit=limit)
    try:
        return params, search_posts(params), ""
    except DomainError as exc:
        return params, SearchPage(), exc.message


@dataclass(frozen=True)
class FeedPart:
    """What a feed shows that is the same for everyone who asks for it in the same language
    and time zone: computed from public data only, so it is shared for a few seconds
    (huzhu/public_cache.py, `shared_part`) between visitors and members alike."""

    cards: tuple[tuple[int, str], ...]  # (owner id, the rendered card); the id stays here
    next_cursor: str
    error: str
    filters: str  # the rendered filter form
    most_needed: tuple[tuple[str, str], ...]  # (item code, name)


def _feed_part(form: FeedForm, where: FeedLocation) -> FeedPart:
    data = form.cleaned_data
    _, page, error = feed_search(
        data, where, sort=data.get("sort") or "urgency", limit=FEED_PAGE_SIZE
    )
    badges = badges_for(post.owner_id for post, _ in page.hits)
    nobody = AnonymousUser()  # nothing of the reader's can reach a shared card
    return FeedPart(
        cards=tuple(
            (
                post.owner_id,
                render_to_string(
                    "web/_post_card.html",
                    {"card": card_for(post, nobody, distance, badges[post.owner_id])},
                ),
            )
            for post, distance in page.hits
        ),
        next_cursor=page.next_cursor or "",
        error=error,
        filters=render_to_string("web/_feed_filters.html", {"form": form}),
        most_needed=tuple(
            (item.code, localised(item.name_en, item.name_zh)) for item in most_needed_items()
        ),
    )


def home(request: HttpRequest) -> HttpResponse:
    # Every view of the feed is a search; too many answer the 429 page (safety/middleware.py).
    ratelimit.check_search(request, request.user.pk if request.user.is_authenticated else None)
    form = FeedForm({**DEFAULTS, **request.GET.dict()})
    form.is_valid()  # invalid fields are shown with their error and left out of the search
    data = form.cleaned_data
    where = feed_location(data)
    member = request.user if isinstance(request.user, User) else None
    feed = shared_part(
        request,
        "feed-part",
        lambda: _feed_part(form, where),
        member_id=member.pk if member else None,
    )
    params = feed_params(data, where, sort=data.get("sort") or "urgency", limit=FEED_PAGE_SIZE)
    kind, sort = params.kind, params.sort
    own = open_posts_of(member) if member and not data.get("cursor") else []
    now = timezone.now()
    more_url = ""
    if feed.next_cursor:
        query = request.GET.copy()
        query["cursor"] = feed.next_cursor
        more_url = "?" + query.urlencode()
    context = {
        "form": form,
        "where": where,
        "params": params,
        "filters": mark_safe(feed.filters),  # noqa: S308 - rendered by our own template
        "most_needed": [{"code": code, "name": name} for code, name in feed.most_needed],
        "own_cards": [
            {
                "card": card_for(post, request.user, _distance_km(where, post)),
                "confirm": awaits_confirmation(post, now),
            }
            for post in own
        ],
        # A member's own posts are above the feed, fresh; in the shared feed they may be
        # seconds old, so none of theirs is taken from it.
        "cards": [
            mark_safe(html)  # noqa: S308 - rendered by our own template
            for owner_id, html in feed.cards
            if member is None or owner_id != member.pk
        ],
        "tabs": [
            {"kind": code, "label": label, "url": _link(request, kind=code), "on": code == kind}
            for code, label in FEED_TABS.items()
        ],
        "other_sort_url": _link(request, sort="urgency" if sort == "distance" else "distance"),
        "more_url": more_url,
        "search_error": feed.error,
        "query": data.get("q") or "",
        "wider_url": _wider_link(request, params.radius_km),
        "clear_query_url": _link(request, q=""),
    }
    return render(request, "web/home.html", context)
