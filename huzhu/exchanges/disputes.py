"""Disputes: a participant opens one on an accepted exchange, a moderator settles it.

A disputed exchange keeps holding its quantity (lifecycle.HOLDS_QUANTITY) until a
moderator settles it as completed (the units stay handed over) or cancelled (they go
back to the post). Both moves are `transition_exchange`'s conditional UPDATE, so a
dispute racing a completion, or two settlements, cannot both win. While it is disputed
(or its post or a message is reported) a moderator may read the exchange; every read
leaves a `RelayAccess` row (`record_relay_access`).
"""

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.accounts.roles import require_moderator
from huzhu.errors import Conflict, Invalid
from huzhu.exchanges import notifications
from huzhu.exchanges.models import Exchange, RelayAccess
from huzhu.exchanges.services import (
    end_and_release,
    finish_completed,
    other_side,
    transition_exchange,
)

S = Exchange.Status
Kind = notifications.Kind
MAX_REASON_LENGTH = 300
Outcome = Literal["completed", "cancelled"]


def is_participant(exchange: Exchange, user: User) -> bool:
    return user.pk in (exchange.giver_id, exchange.receiver_id)


def _clean_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise Invalid(_("Say briefly what went wrong."), field="reason")
    if len(text) > MAX_REASON_LENGTH:
        raise Invalid(
            _("A reason may be at most %(n)d characters.") % {"n": MAX_REASON_LENGTH},
            field="reason",
        )
    return text


@transaction.atomic
def open_dispute(*, exchange: Exchange, actor: User, reason: str) -> Exchange:
    """Either participant asks a moderator to look at an accepted exchange."""
    text = _clean_reason(reason)
    now = timezone.now()
    transition_exchange(
        exchange=exchange, to_status=S.DISPUTED, actor=actor, reason="disputed", now=now, note=text
    )
    notifications.notify(
        user_id=other_side(exchange, actor), kind=Kind.DISPUTED, exchange=exchange, now=now
    )
    return exchange


@transaction.atomic
def settle_dispute(
    *, exchange: Exchange, moderator: User, outcome: Outcome, reason: str
) -> Exchange:
    """A moderator ends a disputed exchange: completed keeps the quantity, cancelled frees it.

    The caller has checked that `moderator` is one and not a participant.
    """
    require_moderator(moderator)
    text = _clean_reason(reason)
    now = timezone.now()
    if exchange.status != S.DISPUTED:
        # The lifecycle would let an accepted exchange complete or cancel too; a
        # settlement is only for disputes.
        raise Conflict(_("Only a disputed exchange can be settled."), code="illegal_transition")
    if outcome == "completed":
        finish_completed(
            exchange=exchange, actor=moderator, history_reason="settled", now=now, note=text
        )
    else:
        end_and_release(
            exchange=exchange,
            actor=moderator,
            history_reason="settled",
            reason=text,
            now=now,
            notify_other_side=False,
        )
    for user_id in (exchange.giver_id, exchange.receiver_id):
        notifications.notify(user_id=user_id, kind=Kind.SETTLED, exchange=exchange, now=now)
    return exchange


def record_relay_access(
    *, exchange: Exchange, moderator: User, reason: str, now: datetime | None = None
) -> RelayAccess:
    """Log one moderator read of an exchange (append-only: nothing updates or deletes it)."""
    return RelayAccess.objects.create(
        exchange=exchange, moderator=moderator, reason=reason, at=now or timezone.now()
    )


def record_read(*, exchange: Exchange, reader: User, relay_reason: str | None) -> None:
    """What every page and endpoint that shows an exchange calls after reading it: a
    moderator's read (one with a `relay_reason`) is logged; its two people's are not."""
    if relay_reason is not None:
        record_relay_access(exchange=exchange, moderator=reader, reason=relay_reason)
