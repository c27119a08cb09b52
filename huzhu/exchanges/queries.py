"""Reads of exchanges, and the one access helper that decides who may see an exchange."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import NotFound
from huzhu.exchanges.models import Exchange, ExchangeStatusChange, Message, Notification

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
