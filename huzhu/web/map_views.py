"""The feed as a map, for members: the same search as the home page's list, its posts drawn
at their public points over the server-drawn districts (area_map.py). Leaflet
(vendored) pans and zooms it when JavaScript runs; without JavaScript the SVG and the list
below it are the page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from huzhu.area_map import area_map, district_data, marker
from huzhu.posts.search import MAX_LIMIT
from huzhu.safety import ratelimit
from huzhu.text.contact import mask_contacts
from huzhu.web.cards import area_of, post_url
from huzhu.web.forms import DEFAULTS, FeedForm
from huzhu.web.views import FEED_TABS, feed_location, feed_search


@login_required
@require_GET
def feed_map(request: HttpRequest) -> HttpResponse:
    ratelimit.check_search(request, request.user.pk)
    form = FeedForm({**DEFAULTS, **request.GET.dict()})
    form.is_valid()  # invalid fields are shown with their error and left out of the search
    data = form.cleaned_data
    where = feed_location(data)
    # A map shows what is nearest, whatever the list's order, and its first page only.
    data = {**data, "cursor": None}
    params, page, error = feed_search(data, where, sort="distance", limit=MAX_LIMIT)
    kind = params.kind
    posts = [post for post, _ in page.hits]
    # Only the public point leaves the server: never post.lat / post.lng.
    markers = [
        marker(
            p.public_lat,
            p.public_lng,
            kind=p.kind,
            title=mask_contacts(p.title),
            url=post_url(p.pk),
        )
        for p in posts
    ]
    query = request.GET.copy()
    tabs = []
    for code, label in FEED_TABS.items():
        query["kind"] = code
        url = "?" + query.urlencode()
        tabs.append({"kind": code, "label": label, "url": url, "on": code == kind})
    query["kind"] = str(kind)
    drawn = area_map(markers)
    context = {
        "where": where,
        "params": params,
        "map": drawn,
        "picker_districts": district_data(drawn),
        "posts": [
            {"marker": m, "near": area_of(p).near, "kind": p.kind}
            for m, p in zip(markers, posts, strict=True)
        ],
        "marker_data": [
            {"lat": m.lat, "lng": m.lng, "kind": m.kind, "title": m.title, "url": m.url}
            for m in markers
        ],
        "tabs": tabs,
        "list_url": reverse("home") + "?" + query.urlencode(),
        "tiles": settings.HUZHU_MAP_TILES,
        "search_error": error,
    }
    return render(request, "web/map.html", context)
