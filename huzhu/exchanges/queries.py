"""Reads of exchanges, and the access helpers that decide who may see or act on one.

`access_exchange` is for the two people (everything they do); `access_exchange_to_read`
also lets a moderator read while there is a reason, which the caller logs (nothing here
writes); `access_exchange_to_settle` is for a moderator who is not one of the two.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.accounts.roles import is_moderator
from huzhu.errors import Forbidden, NotFound
from huzhu.exchanges.disputes import is_participant
from huzhu.exchanges.models import (
    Exchange,
    ExchangeStatusChange,
    Message,
    Notification,
    RelayAccess,
)
from huzhu.safety.models import Report

LIST_LIMIT = 100


def _with_relations(queryset: QuerySet[Exchange]) -> QuerySet[Exchange]:
    return queryset.select_related("post", "post__owner", "giver", "receiver")


def access_exchange(viewer: User | AnonymousUser, exchange_id: int) -> Exchange:
    """The exchange if `viewer` is one of its two people; otherwise NotFound (404)."""
    if not viewer.is_authenticated:
        raise NotFound(_("Exchange not found."))
    exchange = (
        _with_relations(Exchange.objects.filter(pk=exchange_id))
        .filter(Q(giver_id=viewer.pk) | Q(receiver_id=viewer.pk))
        .first()
    )
    if exchange is None:
        raise NotFound(_("Exchange not found."))
    return exchange


def _find(viewer: User | AnonymousUser, exchange_id: int) -> tuple[Exchange, User]:
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        raise NotFound(_("Exchange not found."))
    exchange = _with_relations(Exchange.objects.filter(pk=exchange_id)).first()
    if exchange is None:
        raise NotFound(_("Exchange not found."))
    return exchange, viewer


def relay_access_reason(exchange: Exchange) -> str | None:
    """Why a moderator may read this exchange now, or None: disputed, or reported.

    A report counts while open or upheld; a dismissed one was judged unfounded and no
    longer justifies reading a private thread.
    """
    if exchange.status == Exchange.Status.DISPUTED:
        return RelayAccess.Reason.DISPUTED
    reports = Report.objects.exclude(status=Report.Status.DISMISSED)
    message_ids = Message.objects.filter(exchange=exchange).values("pk")
    reported = reports.filter(
        Q(target_type=Report.Target.POST, target_id=exchange.post_id)
        | Q(target_type=Report.Target.MESSAGE, target_id__in=message_ids)
    ).exists()
    return RelayAccess.Reason.REPORTED if reported else None


@dataclass(frozen=True, slots=True)
class ReadAccess:
    """An exchange someone may read, and why when they read it as a moderator: the reason
    the caller logs with `disputes.record_relay_access` (None for its two people)."""

    exchange: Exchange
    relay_reason: str | None


def access_exchange_to_read(viewer: User | AnonymousUser, exchange_id: int) -> ReadAccess:
    """The exchange for reading: its two people always; a moderator only while it is
    disputed or reported. Else NotFound (404)."""
    exchange, user = _find(viewer, exchange_id)
    if is_participant(exchange, user):
        return ReadAccess(exchange, None)
    reason = relay_access_reason(exchange) if is_moderator(user) else None
    if reason is None:
        raise NotFound(_("Exchange not found."))
    return ReadAccess(exchange, reason)


def access_exchange_to_settle(viewer: User | AnonymousUser, exchange_id: int) -> Exchange:
    """The exchange for a moderator to settle. One of its two people gets Forbidden (403):
    nobody settles their own dispute. Anyone else gets NotFound (404)."""
    exchange, user = _find(viewer, exchange_id)
    if is_participant(exchange, user):
        raise Forbidden(
            _("A moderator who is not part of this exchange settles it."), code="not_moderator"
        )
    if not is_moderator(user):
        raise NotFound(_("Exchange not found."))
    return exchange


def exchanges_of(user: User, *, post_id: int | None = None) -> QuerySet[Exchange]:
    """The exchanges `user` takes part in, newest first; on one post if `post_id` is given."""
    queryset = Exchange.objects.filter(Q(giver=user) | Q(receiver=user))
    if post_id is not None:
        queryset = queryset.filter(post_id=post_id)
    return _with_relations(queryset).order_by("-created_at", "-id")[:LIST_LIMIT]


def history_of(exchange: Exchange) -> QuerySet[ExchangeStatusChange]:
    return exchange.history.order_by("at", "id")


def messages_of(exchange: Exchange) -> QuerySet[Message]:
    return exchange.messages.order_by("created_at", "id")


def notifications_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(user=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.select_related(
        "post", "exchange__post", "exchange__giver", "exchange__receiver"
    ).order_by("-created_at", "-id")[:LIST_LIMIT]


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def access_notification(user: User, notification_id: int) -> Notification:
    """One of `user`'s own notifications; anyone else's is NotFound (404)."""
    notification = (
        Notification.objects.filter(pk=notification_id, user=user)
        .select_related("post", "exchange__post", "exchange__giver", "exchange__receiver")
        .first()
    )
    if notification is None:
        raise NotFound(_("Notification not found."))
    return notification
