"""Matching: the offers that could meet a new need, the needs a new offer could meet.

Both go through `search_posts`, the feed's own exact nearby search, within
`HUZHU_MATCH_RADIUS_KM` of the post's private point:

- for a need, open offers of the same item (or, when the need names no item, of its
  category), ordered by distance and the giver's standing (`match_score`);
- for an offer, the most urgent open needs for the same item, plus needs of its category
  that name no item (they may well be met by it), in urgency order.

The owner's own posts, posts with nothing left to promise and posts whose owner has not
answered "still needed?" (`unknown`) are left out.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from huzhu.exchanges.models import Exchange
from huzhu.posts.models import Post
from huzhu.posts.search import MAX_RADIUS_KM, MIN_RADIUS_KM, SearchParams, search_posts

MATCH_LIMIT = 5
POOL = 50  # candidates read per search, before our own posts and full ones are dropped
# The giver's standing counts like being this much closer, up to STANDING_CAP exchanges.
KM_PER_COMPLETED = 0.5
STANDING_CAP = 6


@dataclass(frozen=True)
class Match:
    post: Post
    distance_km: float
    reason: str  # "item": the same item; "category": the same category


def giver_standing(user_ids: set[int]) -> dict[int, int]:
    """How much we trust each person as a giver, for ordering suggestions.

    A stand-in until the trust app exists: the number of exchanges they completed as the
    giver. The trust issue replaces this function with trust levels and reviews.
    """
    rows = (
        Exchange.objects.filter(giver_id__in=user_ids, status=Exchange.Status.COMPLETED)
        .values("giver_id")
        .annotate(done=Count("id"))
    )
    return {row["giver_id"]: row["done"] for row in rows}


def match_score(distance_km: float, standing: int) -> float:
    """Smaller is better: the distance, less a bonus for a giver with a record."""
    return distance_km - KM_PER_COMPLETED * min(standing, STANDING_CAP)


def _search(
    post: Post, kind: str, sort: str, *, item_id: int | None = None, category: str | None = None
) -> list[tuple[Post, float]]:
    params = SearchParams(
        # From the post's public point: a suggestion's distance may reach the other person.
        lat=post.public_lat,
        lng=post.public_lng,
        # An operator's setting outside search's range is clamped, not an error page.
        radius_km=min(max(settings.HUZHU_MATCH_RADIUS_KM, MIN_RADIUS_KM), MAX_RADIUS_KM),
        kind=kind,
        sort=sort,
        limit=POOL,
        item_id=item_id,
        category=category,
    )
    return [
        (hit, distance)
        for hit, distance in search_posts(params).hits
        if hit.owner_id != post.owner_id
        and hit.status != Post.Status.UNKNOWN
        and hit.quantity > hit.quantity_reserved
    ]


def offers_for(need: Post) -> list[Match]:
    if need.item_id:
        hits = _search(need, Post.Kind.OFFER, "distance", item_id=need.item_id)
    else:
        hits = _search(need, Post.Kind.OFFER, "distance", category=need.category.code)
    reason = "item" if need.item_id else "category"
    standing = giver_standing({hit.owner_id for hit, _ in hits})
    ranked = sorted(
        hits, key=lambda h: (match_score(h[1], standing.get(h[0].owner_id, 0)), h[0].pk)
    )
    return [Match(hit, distance, reason) for hit, distance in ranked[:MATCH_LIMIT]]


def needs_for(offer: Post) -> list[Match]:
    found: list[Match] = []
    if offer.item_id:
        hits = _search(offer, Post.Kind.NEED, "urgency", item_id=offer.item_id)
        found += [Match(hit, distance, "item") for hit, distance in hits]
    hits = _search(offer, Post.Kind.NEED, "urgency", category=offer.category.code)
    found += [
        Match(hit, distance, "category")
        for hit, distance in hits
        if not offer.item_id or hit.item_id is None
    ]
    # Urgency order across both searches: the search's own key.
    found.sort(key=lambda m: (m.post.rank if m.post.rank is not None else 2**62, m.post.pk))
    return found[:MATCH_LIMIT]


def matches_for(post: Post) -> list[Match]:
    """Suggestions for `post`, or none once it is no longer listed."""
    if post.status not in (Post.Status.OPEN, Post.Status.PLEDGED):
        return []
    return offers_for(post) if post.kind == Post.Kind.NEED else needs_for(post)
