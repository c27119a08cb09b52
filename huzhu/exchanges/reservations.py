"""How a post follows its exchanges: reserved quantities and the status they imply.

`Post.quantity_reserved` counts the units of accepted, disputed and completed exchanges.
It only moves through the conditional UPDATEs below, whose row counts are checked, so N
units are never promised N+1 times, whatever runs concurrently (SQLite or PostgreSQL).
The post's status then follows: pledged while anything is reserved, open when nothing
is, fulfilled once completed exchanges cover its quantity. Call these inside the
transaction that changes the exchange.
"""

from datetime import datetime

from django.db.models import F, Sum
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict
from huzhu.exchanges.models import Exchange
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post
from huzhu.posts.services import transition_post


def reserve_quantity(*, post_id: int, quantity: int, now: datetime) -> None:
    """Reserve `quantity` units, or raise Conflict (409) if fewer are left."""
    updated = (
        Post.objects.alias(reserved_after=F("quantity_reserved") + quantity)
        .filter(pk=post_id, reserved_after__lte=F("quantity"))
        .update(quantity_reserved=F("quantity_reserved") + quantity, updated_at=now)
    )
    if updated != 1:
        left = Post.objects.filter(pk=post_id).values_list("quantity", "quantity_reserved").get()
        raise Conflict(
            _("Only %(left)d left on this post; this exchange asks for %(wanted)d.")
            % {"left": left[0] - left[1], "wanted": quantity},
            code="quantity_unavailable",
        )


def release_quantity(*, post_id: int, quantity: int, now: datetime) -> None:
    """Give back units an accepted exchange held."""
    updated = Post.objects.filter(pk=post_id, quantity_reserved__gte=quantity).update(
        quantity_reserved=F("quantity_reserved") - quantity, updated_at=now
    )
    if updated != 1:  # pragma: no cover - only if the counter was changed by hand
        raise Conflict(_("This post changed meanwhile. Reload and try again."), code="stale")


def completed_quantity(post_id: int) -> int:
    total = Exchange.objects.filter(post_id=post_id, status=Exchange.Status.COMPLETED).aggregate(
        total=Sum("quantity")
    )["total"]
    return int(total or 0)


def sync_post_status(*, post_id: int, actor: User | None, now: datetime) -> Post:
    """Move the post to the status its exchanges imply, through `transition_post`.

    The first UPDATE takes the post's row lock on PostgreSQL (SQLite's IMMEDIATE
    transactions already serialise writers), so two exchanges completing at once are
    counted one after the other and the second sees the first's completed quantity.
    """
    Post.objects.filter(pk=post_id).update(updated_at=now)
    post = Post.objects.get(pk=post_id)
    if post.status not in LISTED:
        return post  # withdrawn, expired or fulfilled by hand: the owner decided
    if completed_quantity(post_id) >= post.quantity:
        target = Post.Status.FULFILLED
    elif post.quantity_reserved > 0:
        target = Post.Status.PLEDGED
    elif post.status == Post.Status.UNKNOWN:
        return post  # nothing reserved any more, and the owner still has to answer
    else:
        target = Post.Status.OPEN
    if target == post.status:
        return post
    return transition_post(
        post_id=post_id, to_status=target, actor=actor, reason="exchange", now=now
    )
