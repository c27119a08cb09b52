"""Turn exchanges into what one of its two people may see.

Never the other person's username or e-mail before both consented, never a no-show
record, and free text (titles, names, reasons, messages) masked until revealed. Once both
consented, the contact shown is what the other person verified: their e-mail address, and
their phone if they chose to show it when they verified it.
"""

from typing import Any

from huzhu.accounts.models import User
from huzhu.exchanges import queries
from huzhu.exchanges.contact import contact_details, mask_contacts
from huzhu.exchanges.lifecycle import ENDED, HOLDS_QUANTITY, REVEALABLE
from huzhu.exchanges.matching import Match
from huzhu.exchanges.models import Alert, Exchange, Message, Notification
from huzhu.exchanges.notifications import entry_for
from huzhu.exchanges.relay import has_consented, is_revealed
from huzhu.exchanges.services import other_person
from huzhu.posts import geo
from huzhu.posts.presenters import hit_data
from huzhu.trust.queries import badge_for, verified_contact

S = Exchange.Status


def actions_for(exchange: Exchange, viewer: User) -> list[str]:
    """What `viewer` may do next, in the order a page shows the buttons."""
    is_owner = exchange.post.owner_id == viewer.pk
    status = exchange.status
    actions: list[str] = []
    if status == S.PROPOSED and is_owner:
        actions += ["accept", "decline"]
    if status == S.ACCEPTED and viewer.pk == exchange.giver_id and not exchange.handed_over_at:
        actions.append("handed_over")
    if status == S.ACCEPTED and viewer.pk == exchange.receiver_id:
        actions.append("complete")
    if status in REVEALABLE and not has_consented(exchange, viewer):
        actions.append("reveal_contact")
    if status in (S.PROPOSED, S.ACCEPTED):
        actions.append("cancel")
    if status not in ENDED:
        actions.append("message")
    return actions


def contact_of(exchange: Exchange, viewer: User) -> dict[str, Any] | None:
    """The other person's contact details, once both consented; otherwise None."""
    if not is_revealed(exchange):
        return None
    other = other_person(exchange, viewer)
    details: list[str] = []
    for message in queries.messages_of(exchange).filter(author=other):
        details += [d for d in contact_details(message.body) if d not in details]
    return {**verified_contact(other.pk), "details": details}


def exchange_data(exchange: Exchange, viewer: User) -> dict[str, Any]:
    revealed = is_revealed(exchange)
    post = exchange.post
    other = other_person(exchange, viewer)
    history = [
        {"from_status": h.from_status, "to_status": h.to_status, "at": h.at, "reason": h.reason}
        for h in queries.history_of(exchange)
    ]
    return {
        "id": exchange.pk,
        "post": {
            "id": post.pk,
            "kind": post.kind,
            "title": mask_contacts(post.title),
            "unit": post.unit,
        },
        "quantity": exchange.quantity,
        "status": exchange.status,
        "role": "giver" if viewer.pk == exchange.giver_id else "receiver",
        "is_post_owner": post.owner_id == viewer.pk,
        "other": {
            "display_name": mask_contacts(other.display_name),
            "badge": badge_for(other.pk),
        },
        "holds_quantity": exchange.status in HOLDS_QUANTITY,
        "created_at": exchange.created_at,
        "updated_at": exchange.updated_at,
        "accepted_at": exchange.accepted_at,
        "handed_over_at": exchange.handed_over_at,
        "received_at": exchange.received_at,
        "ended_at": exchange.ended_at,
        "cancel_reason": exchange.cancel_reason
        if revealed
        else mask_contacts(exchange.cancel_reason),
        "status_history": history,
        "consent": {
            "mine": has_consented(exchange, viewer),
            "theirs": has_consented(exchange, other),
        },
        "contact": contact_of(exchange, viewer),
        "actions": actions_for(exchange, viewer),
    }


def message_data(message: Message, viewer: User, *, revealed: bool) -> dict[str, Any]:
    body = message.body if revealed else mask_contacts(message.body)
    return {
        "id": message.pk,
        "body": body,
        "masked": body != message.body,
        "is_own": message.author_id == viewer.pk,
        "created_at": message.created_at,
    }


def thread_data(exchange: Exchange, viewer: User) -> dict[str, Any]:
    revealed = is_revealed(exchange)
    return {
        "items": [
            message_data(m, viewer, revealed=revealed) for m in queries.messages_of(exchange)
        ],
        "read_only": exchange.status in ENDED,
        "revealed": revealed,
    }


def notification_data(notification: Notification) -> dict[str, Any]:
    entry = entry_for(notification)
    return {
        "id": entry.id,
        "kind": entry.kind,
        "exchange_id": entry.exchange_id,
        "post_id": entry.post_id,
        "text": entry.text,
        "created_at": entry.created_at,
        "read_at": entry.read_at,
    }


def alert_data(alert: Alert) -> dict[str, Any]:
    lat, lng = geo.area_centre(alert.area_cell)
    item = alert.item
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "item": (
            {"code": item.code, "name_en": item.name_en, "name_zh": item.name_zh} if item else None
        ),
        "category": alert.category.code,
        "radius_km": alert.radius_km,
        "area": {"lat": lat, "lng": lng, "precision_m": 1000},
        "created_at": alert.created_at,
    }


def match_data(match: Match, viewer: User) -> dict[str, Any]:
    return {**hit_data(match.post, match.distance_km, viewer), "match": match.reason}
