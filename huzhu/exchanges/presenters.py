"""Turn exchanges into what one of its two people may see.

Never the other person's username or e-mail before both consented, never a no-show
record, and free text (titles, names, reasons, messages) masked until revealed. Once both
consented, the contact shown is what the other person verified: their e-mail address, and
their phone if they chose to show it when they verified it.
"""

from typing import Any

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.exchanges import queries
from huzhu.exchanges.disputes import is_participant
from huzhu.exchanges.lifecycle import ENDED, HOLDS_QUANTITY, REVEALABLE
from huzhu.exchanges.matching import Match
from huzhu.exchanges.models import Alert, Exchange, Message, Notification
from huzhu.exchanges.notifications import entry_for
from huzhu.exchanges.relay import has_consented, is_revealed
from huzhu.exchanges.services import other_person
from huzhu.posts.presenters import hit_data
from huzhu.text.contact import contact_details, mask_contacts
from huzhu.trust.queries import badge_for, verified_contact

S = Exchange.Status


def actions_for(exchange: Exchange, viewer: User) -> list[str]:
    """What `viewer` may do next, in the order a page shows the buttons."""
    status = exchange.status
    if not is_participant(exchange, viewer):  # a moderator reading it
        return ["settle"] if status == S.DISPUTED else []
    is_owner = exchange.post.owner_id == viewer.pk
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
    if status == S.ACCEPTED:
        actions.append("dispute")
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


def _unmasked_for(exchange: Exchange, viewer: User) -> bool:
    """Free text shows as written only to the two people, once both consented.

    A moderator always reads it masked: consent was given to each other, not to us.
    """
    return is_participant(exchange, viewer) and is_revealed(exchange)


def _text(text: str, *, unmasked: bool) -> str:
    return text if unmasked else mask_contacts(text)


def _person(user: User) -> dict[str, Any]:
    return {"display_name": mask_contacts(user.display_name), "badge": badge_for(user.pk)}


def _sides(exchange: Exchange, viewer: User) -> dict[str, Any]:
    """Who is who from `viewer`'s side; a moderator sees both people and no consent."""
    if not is_participant(exchange, viewer):
        parties = {"giver": _person(exchange.giver), "receiver": _person(exchange.receiver)}
        return {"role": "moderator", "other": None, "parties": parties, "consent": None}
    other = other_person(exchange, viewer)
    return {
        "role": "giver" if viewer.pk == exchange.giver_id else "receiver",
        "other": _person(other),
        "parties": None,
        "consent": {
            "mine": has_consented(exchange, viewer),
            "theirs": has_consented(exchange, other),
        },
    }


def exchange_data(exchange: Exchange, viewer: User) -> dict[str, Any]:
    """The exchange as one of its two people, or a moderator, may see it."""
    unmasked = _unmasked_for(exchange, viewer)
    post = exchange.post
    history = [
        {
            "from_status": h.from_status,
            "to_status": h.to_status,
            "at": h.at,
            "reason": h.reason,
            "note": _text(h.note, unmasked=unmasked),
        }
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
        "is_post_owner": post.owner_id == viewer.pk,
        **_sides(exchange, viewer),
        "holds_quantity": exchange.status in HOLDS_QUANTITY,
        "created_at": exchange.created_at,
        "updated_at": exchange.updated_at,
        "accepted_at": exchange.accepted_at,
        "handed_over_at": exchange.handed_over_at,
        "received_at": exchange.received_at,
        "ended_at": exchange.ended_at,
        "cancel_reason": _text(exchange.cancel_reason, unmasked=unmasked),
        "status_history": history,
        "contact": contact_of(exchange, viewer) if is_participant(exchange, viewer) else None,
        "actions": actions_for(exchange, viewer),
    }


def message_data(message: Message, viewer: User, *, revealed: bool) -> dict[str, Any]:
    """`revealed`: masking lifts for this viewer (see `_unmasked_for`)."""
    body = _text(message.body, unmasked=revealed)
    return {
        "id": message.pk,
        "body": body,
        "masked": body != message.body,
        "is_own": message.author_id == viewer.pk,
        "author": "giver" if message.author_id == message.exchange.giver_id else "receiver",
        "created_at": message.created_at,
    }


def thread_data(exchange: Exchange, viewer: User) -> dict[str, Any]:
    unmasked = _unmasked_for(exchange, viewer)
    return {
        "items": [
            message_data(m, viewer, revealed=unmasked) for m in queries.messages_of(exchange)
        ],
        "read_only": exchange.status in ENDED or not is_participant(exchange, viewer),
        "revealed": unmasked,
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
