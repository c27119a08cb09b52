"""What the exchanges app keeps about a person: their exchanges (the other side as the
export's pseudonym), the messages they wrote, notifications and their preferences, alerts and
no-shows. Registered in accounts/personal_data.py."""

import logging
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q

from huzhu.accounts.models import User
from huzhu.accounts.personal_data import Part, Pseudonym, histories
from huzhu.errors import DomainError
from huzhu.exchanges.lifecycle import LIVE
from huzhu.exchanges.models import (
    Alert,
    AlertQuota,
    Exchange,
    ExchangeStatusChange,
    Message,
    NoShow,
    Notification,
    NotificationPreferences,
    PushSubscription,
)
from huzhu.exchanges.preferences import preferences_of
from huzhu.exchanges.services import cancel_exchange

logger = logging.getLogger("huzhu.accounts.erasure")  # one logger for every erasure line


def export_exchanges(user: User, pseudonym: Pseudonym) -> dict[str, Any]:
    return {
        "exchanges": _exchanges(user, pseudonym),
        "messages": [
            {"exchange_id": m.exchange_id, "body": m.body, "created_at": m.created_at}
            for m in Message.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "notifications": [
            {"kind": n.kind, "created_at": n.created_at, "read_at": n.read_at}
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "notification_preferences": {
            **preferences_of(user.pk).as_data(),
            "push_subscriptions": [
                {"push_service": urlsplit(endpoint).netloc, "created_at": created_at}
                for endpoint, created_at in PushSubscription.objects.filter(user=user).values_list(
                    "endpoint", "created_at"
                )
            ],
        },
        "alerts": _alerts(user),
        "no_shows_about_me": [
            {
                "exchange_id": n.exchange_id,
                "reported_by": pseudonym(user, n.reported_by_id) if n.reported_by_id else None,
                "created_at": n.created_at,
                "contested_at": n.contested_at,
                "contest_reason": n.contest_reason,
                "decided_at": n.decided_at,
                "overturned": n.overturned,
            }
            for n in NoShow.objects.filter(reported_user=user).order_by("created_at", "pk")
        ],
        "no_shows_i_reported": [
            {"exchange_id": n.exchange_id, "reason": n.reason, "created_at": n.created_at}
            for n in NoShow.objects.filter(reported_by=user).order_by("created_at", "pk")
        ],
    }


def _exchanges(user: User, pseudonym: Pseudonym) -> list[dict[str, Any]]:
    mine = Exchange.objects.filter(Q(giver=user) | Q(receiver=user)).order_by("pk")
    history = histories(ExchangeStatusChange.objects.filter(exchange__in=mine), "exchange_id")
    return [
        {
            "id": exchange.pk,
            "post_id": exchange.post_id,
            "role": "giver" if exchange.giver_id == user.pk else "receiver",
            "counterpart": pseudonym(
                user, exchange.receiver_id if exchange.giver_id == user.pk else exchange.giver_id
            ),
            "quantity": exchange.quantity,
            "status": exchange.status,
            "created_at": exchange.created_at,
            "history": history.get(exchange.pk, []),
        }
        for exchange in mine
    ]


def _alerts(user: User) -> list[dict[str, Any]]:
    alerts = Alert.objects.filter(user=user).select_related("category", "item").order_by("pk")
    return [
        {
            "kind": alert.kind,
            "category": alert.category.code,
            "item": alert.item.code if alert.item else None,
            "lat": alert.lat,
            "lng": alert.lng,
            "radius_km": alert.radius_km,
            "created_at": alert.created_at,
        }
        for alert in alerts
    ]


def stop_exchanges(user: User) -> None:
    """Live exchanges are cancelled through the usual service, so reserved quantities return
    and the other person is told."""
    live = Exchange.objects.filter(Q(giver=user) | Q(receiver=user), status__in=LIVE)
    for exchange in live.select_related("post", "giver", "receiver"):
        try:
            with transaction.atomic():
                cancel_exchange(exchange=exchange, actor=user, reason="account erased")
        except DomainError:
            logger.warning("exchange %s could not be cancelled at erasure", exchange.pk)


def erase_exchanges(user: User) -> None:
    Message.objects.filter(author=user).update(body="")
    # What they wrote about a change (a dispute's reason) is their text like a message.
    ExchangeStatusChange.objects.filter(actor=user).exclude(note="").update(note="")
    for model in (Alert, AlertQuota, Notification, NotificationPreferences, PushSubscription):
        model._default_manager.filter(user=user).delete()


PART = Part(app="exchanges", export=export_exchanges, stop=stop_exchanges, erase=erase_exchanges)
