"""Writes to exchanges: responding to a post and moving the exchange through its lifecycle.

Every status change goes through `transition_exchange`, a conditional UPDATE on the status
we read, which writes the history row in the same transaction. Quantities and the post's
status follow through `reservations`. Notifications are written with the change and
e-mailed after commit (`notifications.notify`).
"""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Forbidden
from huzhu.exchanges import notifications
from huzhu.exchanges.lifecycle import HOLDS_QUANTITY, can_move
from huzhu.exchanges.models import Exchange, ExchangeStatusChange, Message, NoShow
from huzhu.exchanges.reservations import release_quantity, reserve_quantity, sync_post_status
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post
from huzhu.safety.hoarding import check_item_cap
from huzhu.text import rules
from huzhu.trust.limits import check_can_respond, lock_person
from huzhu.trust.services import recompute_level

S = Exchange.Status
Kind = notifications.Kind


def other_side(exchange: Exchange, user: User) -> int:
    """The id of the participant who is not `user`."""
    return exchange.receiver_id if exchange.giver_id == user.pk else exchange.giver_id


def other_person(exchange: Exchange, user: User) -> User:
    """The participant who is not `user`."""
    return exchange.receiver if exchange.giver_id == user.pk else exchange.giver


def transition_exchange(
    *,
    exchange: Exchange,
    to_status: str,
    actor: User | None,
    reason: str,
    now: datetime,
    note: str = "",
    **fields: Any,
) -> Exchange:
    """Move the exchange to `to_status` if the lifecycle allows it from the status we read.

    Like `transition_post`: conditional on that status, so of two concurrent moves only
    one wins and the other gets a 409. `fields` are set in the same UPDATE; `note` is what a
    person wrote about the change, kept on the history row. Call inside a transaction.
    """
    from_status = exchange.status
    if not can_move(from_status, to_status):
        raise Conflict(
            _("This exchange is %(status)s and cannot become %(target)s.")
            % {"status": S(from_status).label, "target": S(to_status).label},
            code="illegal_transition",
        )
    updated = Exchange.objects.filter(pk=exchange.pk, status=from_status).update(
        status=to_status, updated_at=now, **fields
    )
    if updated != 1:
        raise Conflict(_("This exchange changed meanwhile. Reload and try again."), code="stale")
    ExchangeStatusChange.objects.create(
        exchange=exchange,
        from_status=from_status,
        to_status=to_status,
        at=now,
        actor=actor,
        reason=reason,
        note=note,
    )
    exchange.status = to_status
    exchange.updated_at = now
    for name, value in fields.items():
        setattr(exchange, name, value)
    return exchange


def _check_can_respond(post: Post, responder: User, quantity: int) -> None:
    if post.owner_id == responder.pk:
        raise Conflict(_("This is your own post: you cannot respond to it."), code="own_post")
    if post.status not in LISTED:
        raise Conflict(
            _("This post is %(status)s and no longer takes responses.")
            % {"status": post.get_status_display()},
            code="not_listed",
        )
    left = post.quantity - post.quantity_reserved
    if quantity > left:
        raise Conflict(
            _("Only %(left)d left on this post; you asked for %(wanted)d.")
            % {"left": left, "wanted": quantity},
            code="quantity_unavailable",
        )


@transaction.atomic
def respond_to_post(*, post: Post, responder: User, quantity: int, message: str) -> Exchange:
    """Pledge to a need or ask for an offer: a proposed exchange the owner may accept."""
    _check_can_respond(post, responder, quantity)
    rules.check_message(message, field="message")
    now = timezone.now()
    lock_person(responder)
    check_can_respond(user=responder, now=now)
    if post.kind == Post.Kind.OFFER:  # asking for it: the item's cap counts every ask
        check_item_cap(user=responder, item=post.item, quantity=quantity, unit=post.unit, now=now)
    giver, receiver = (
        (responder, post.owner) if post.kind == Post.Kind.NEED else (post.owner, responder)
    )
    try:
        with transaction.atomic():
            exchange = Exchange.objects.create(
                post=post,
                giver=giver,
                receiver=receiver,
                quantity=quantity,
                status=S.PROPOSED,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("You already have an exchange going on this post."), code="already_responded"
        ) from exc
    ExchangeStatusChange.objects.create(
        exchange=exchange, from_status="", to_status=S.PROPOSED, at=now, actor=responder
    )
    if message.strip():
        Message.objects.create(
            exchange=exchange, author=responder, body=message.strip(), created_at=now
        )
    notifications.notify(user_id=post.owner_id, kind=Kind.RESPONSE, exchange=exchange, now=now)
    return exchange


def _require_owner(exchange: Exchange, actor: User) -> None:
    if exchange.post.owner_id != actor.pk:
        raise Forbidden(_("Only the post's owner can do this."), code="not_post_owner")


@transaction.atomic
def accept_exchange(*, exchange: Exchange, actor: User) -> Exchange:
    """The owner accepts: the quantity is reserved, or 409 if it is no longer there."""
    _require_owner(exchange, actor)
    now = timezone.now()
    post_status = Post.objects.filter(pk=exchange.post_id).values_list("status", flat=True).get()
    if post_status not in LISTED and exchange.status == S.PROPOSED:
        raise Conflict(_("This post is no longer listed."), code="not_listed")
    transition_exchange(
        exchange=exchange,
        to_status=S.ACCEPTED,
        actor=actor,
        reason="owner",
        now=now,
        accepted_at=now,
    )
    reserve_quantity(post_id=exchange.post_id, quantity=exchange.quantity, now=now)
    sync_post_status(post_id=exchange.post_id, actor=actor, now=now)
    notifications.notify(
        user_id=other_side(exchange, actor), kind=Kind.ACCEPTED, exchange=exchange, now=now
    )
    return exchange


@transaction.atomic
def decline_exchange(*, exchange: Exchange, actor: User, reason: str = "") -> Exchange:
    """The owner says no to a proposal."""
    _require_owner(exchange, actor)
    now = timezone.now()
    transition_exchange(
        exchange=exchange,
        to_status=S.DECLINED,
        actor=actor,
        reason="owner",
        now=now,
        ended_at=now,
        cancel_reason=reason.strip(),
    )
    notifications.notify(
        user_id=other_side(exchange, actor), kind=Kind.DECLINED, exchange=exchange, now=now
    )
    return exchange


def end_and_release(
    *,
    exchange: Exchange,
    actor: User,
    history_reason: str,
    reason: str,
    now: datetime,
    notify_other_side: bool = True,
) -> Exchange:
    """Cancel, give back the quantity it held, and let the post follow. Inside a transaction."""
    held = exchange.status in HOLDS_QUANTITY
    transition_exchange(
        exchange=exchange,
        to_status=S.CANCELLED,
        actor=actor,
        reason=history_reason,
        now=now,
        note=reason.strip(),
        ended_at=now,
        cancel_reason=reason.strip(),
        cancelled_by=actor,
    )
    if held:
        release_quantity(post_id=exchange.post_id, quantity=exchange.quantity, now=now)
        sync_post_status(post_id=exchange.post_id, actor=actor, now=now)
    if notify_other_side:
        notifications.notify(
            user_id=other_side(exchange, actor), kind=Kind.CANCELLED, exchange=exchange, now=now
        )
    return exchange


def _refuse_if_disputed(exchange: Exchange) -> None:
    # The lifecycle lets a disputed exchange end, but only a moderator's settlement may end it.
    if exchange.status == S.DISPUTED:
        raise Conflict(
            _("This exchange is disputed: a moderator will settle it."),
            code="illegal_transition",
        )


@transaction.atomic
def cancel_exchange(*, exchange: Exchange, actor: User, reason: str) -> Exchange:
    """Either side calls it off; an accepted exchange gives its quantity back."""
    _refuse_if_disputed(exchange)
    return end_and_release(
        exchange=exchange,
        actor=actor,
        history_reason="cancelled",
        reason=reason,
        now=timezone.now(),
    )


def _record_no_show(*, exchange: Exchange, actor: User, reason: str, now: datetime) -> Exchange:
    if exchange.status != S.ACCEPTED:
        raise Conflict(
            _("Only an accepted exchange can have a hand-over."), code="illegal_transition"
        )
    reason = reason.strip()
    rules.check_message(reason, field="reason")
    NoShow.objects.create(
        exchange=exchange,
        reported_by=actor,
        reported_user_id=other_side(exchange, actor),
        reason=reason,
        created_at=now,
    )
    recompute_level(user=other_person(exchange, actor), now=now)
    return end_and_release(
        exchange=exchange, actor=actor, history_reason="no_handover", reason=reason, now=now
    )


@transaction.atomic
def mark_handed_over(
    *, exchange: Exchange, actor: User, handover_happened: bool, reason: str = ""
) -> Exchange:
    """The giver answers "did the hand-over happen?"; no means a private no-show, cancelled."""
    if exchange.giver_id != actor.pk:
        raise Forbidden(_("Only the giver can say they handed it over."), code="not_giver")
    now = timezone.now()
    if not handover_happened:
        return _record_no_show(exchange=exchange, actor=actor, reason=reason, now=now)
    if exchange.status != S.ACCEPTED:
        raise Conflict(
            _("Only an accepted exchange can be handed over."), code="illegal_transition"
        )
    # Conditional on the state we read, like every transition: of two taps only one stamps
    # and notifies, and an exchange cancelled meanwhile is not stamped.
    stamped = Exchange.objects.filter(
        pk=exchange.pk, status=S.ACCEPTED, handed_over_at__isnull=True
    ).update(handed_over_at=now, updated_at=now)
    if stamped == 1:
        exchange.handed_over_at = now
        notifications.notify(
            user_id=exchange.receiver_id, kind=Kind.HANDED_OVER, exchange=exchange, now=now
        )
        return exchange
    current = Exchange.objects.filter(pk=exchange.pk).values("status", "handed_over_at").get()
    if current["status"] != S.ACCEPTED:
        raise Conflict(_("This exchange changed meanwhile. Reload and try again."), code="stale")
    exchange.handed_over_at = current["handed_over_at"]  # the earlier tap's answer stands
    return exchange


@transaction.atomic
def complete_exchange(
    *, exchange: Exchange, actor: User, handover_happened: bool, reason: str = ""
) -> Exchange:
    """The receiver answers "did the hand-over happen?": yes completes, no cancels it."""
    if exchange.receiver_id != actor.pk:
        raise Forbidden(_("Only the receiver can confirm receipt."), code="not_receiver")
    now = timezone.now()
    if not handover_happened:
        return _record_no_show(exchange=exchange, actor=actor, reason=reason, now=now)
    _refuse_if_disputed(exchange)
    finish_completed(
        exchange=exchange, actor=actor, history_reason="received", now=now, received_at=now
    )
    notifications.notify(user_id=exchange.giver_id, kind=Kind.COMPLETED, exchange=exchange, now=now)
    return exchange


def finish_completed(
    *,
    exchange: Exchange,
    actor: User,
    history_reason: str,
    now: datetime,
    note: str = "",
    **fields: Any,
) -> Exchange:
    """Complete: the quantity stays reserved (handed over), the post follows, levels move.

    Inside a transaction; the caller notifies."""
    transition_exchange(
        exchange=exchange,
        to_status=S.COMPLETED,
        actor=actor,
        reason=history_reason,
        now=now,
        note=note,
        ended_at=now,
        **fields,
    )
    sync_post_status(post_id=exchange.post_id, actor=actor, now=now)
    # A completed exchange counts towards both people's levels.
    recompute_level(user=exchange.giver, now=now)
    recompute_level(user=exchange.receiver, now=now)
    return exchange
