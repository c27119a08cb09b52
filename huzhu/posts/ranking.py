"""The urgency order of listed posts: the one home of the feed's ranking rules.

Search reads posts in the order of the stored `Post.rank` (smaller first) through indexes,
so a rank must not change as time passes; the few moments where it must change are
events: a post is created, confirmed, changes status, or crosses its waiting cap (the
`sink_stale_needs` sweep).

- Needs: rank = anchor - tag boost, where the anchor is when the need was posted or last
  confirmed by its owner ("still needed", an edit). Among needs waiting less than
  `HUZHU_NEED_WAIT_CAP_HOURS` an older need comes first and urgency tags count as extra
  hours of waiting (huzhu/posts/tags.py). Waiting counts only up to the cap: past it,
  a need nobody confirmed sinks below every fresh one (STALE_PENALTY) until its owner
  confirms it, which anchors it anew. So a fresh need tagged 老人 is never behind needs
  that have waited weeks.
- Offers: freshest first. Their ranks sit after every need (OFFER_BASE), so a feed of both
  kinds lists needs first.
- `unknown` posts (a "still needed?" went unanswered) rank after all others of their kind.
"""

from datetime import datetime, timedelta

from django.conf import settings

from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post
from huzhu.posts.tags import boost_seconds

# A need past its waiting cap: after every fresh need (ranks are seconds since 1970, and a
# year is far more than any post's life), before every `unknown` one.
STALE_PENALTY = 365 * 24 * 3600
UNKNOWN_RANK_PENALTY = 10 * 365 * 24 * 3600
# Offers rank as OFFER_BASE minus their creation time: newest first, after every need.
OFFER_BASE = 1 << 34


def wait_cap() -> timedelta:
    return timedelta(hours=settings.HUZHU_NEED_WAIT_CAP_HOURS)


def anchor_of(created_at: datetime, confirmed_at: datetime | None) -> datetime:
    """When a need's wait started: posted, or last confirmed by its owner."""
    return max(created_at, confirmed_at) if confirmed_at else created_at


def rank_for(
    *,
    kind: str,
    status: str,
    hidden_at: datetime | None,
    created_at: datetime,
    confirmed_at: datetime | None,
    tag_bits: int,
    now: datetime,
) -> int | None:
    """The order key (smaller first) of a post at `now`; None when it is not listed.

    The one place that decides whether a post is listed: a status in LISTED, and not
    hidden by moderators pending review.
    """
    if status not in LISTED or hidden_at is not None:
        return None
    penalty = UNKNOWN_RANK_PENALTY if status == Post.Status.UNKNOWN else 0
    if kind == Post.Kind.OFFER:
        return OFFER_BASE - int(created_at.timestamp()) + penalty
    anchor = anchor_of(created_at, confirmed_at)
    rank = int(anchor.timestamp()) - boost_seconds(tag_bits) + penalty
    if not penalty and now - anchor >= wait_cap():
        rank += STALE_PENALTY
    return rank


def awaits_confirmation(post: Post, now: datetime) -> bool:
    """Whether a listed need has sunk for want of its owner's "still needed"."""
    if post.kind != Post.Kind.NEED or post.status not in LISTED:
        return False
    stale = now - anchor_of(post.created_at, post.confirmed_at) >= wait_cap()
    return stale or post.status == Post.Status.UNKNOWN


def compute_rank(post: Post, now: datetime) -> int | None:
    return rank_for(
        kind=post.kind,
        status=post.status,
        hidden_at=post.hidden_at,
        created_at=post.created_at,
        confirmed_at=post.confirmed_at,
        tag_bits=post.tag_bits,
        now=now,
    )


def sink_stale_needs(*, now: datetime, batch: int = 1000) -> int:
    """Re-rank the listed needs that reached their waiting cap since the last sweep, so
    they sink below fresh ones. Returns how many moved; safe to run concurrently (each
    UPDATE is conditional on the rank it replaces)."""
    cutoff = now - wait_cap()
    fresh_below = int(now.timestamp()) + 1  # fresh needs' ranks are at most their anchor
    due = (
        Post.objects.filter(kind=Post.Kind.NEED, rank__isnull=False, rank__lt=fresh_below)
        .exclude(confirmed_at__gt=cutoff)
        .filter(created_at__lte=cutoff)
        .only("kind", "status", "hidden_at", "created_at", "confirmed_at", "tag_bits", "rank")
        .order_by("rank")[:batch]
    )
    moved = 0
    for post in due:
        rank = compute_rank(post, now)
        if rank != post.rank:
            moved += Post.objects.filter(pk=post.pk, rank=post.rank).update(rank=rank)
    return moved
