"""The masked relay: messages between the two people, and consent to reveal contact.

Messages are stored as written and served masked (contact.mask_contacts) until both
people have consented; then each sees the other's contact details. The thread is
read-only once the exchange has ended.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid
from huzhu.exchanges import notifications
from huzhu.exchanges.lifecycle import ENDED, REVEALABLE
from huzhu.exchanges.models import Exchange, Message
from huzhu.exchanges.services import other_side
from huzhu.text import rules

MAX_MESSAGE_LENGTH = 2000


def is_revealed(exchange: Exchange) -> bool:
    """Both people said yes: contact details show and masking lifts in the thread."""
    return exchange.giver_consented_at is not None and exchange.receiver_consented_at is not None


def has_consented(exchange: Exchange, user: User) -> bool:
    if user.pk == exchange.giver_id:
        return exchange.giver_consented_at is not None
    return exchange.receiver_consented_at is not None


@transaction.atomic
def post_message(*, exchange: Exchange, author: User, body: str) -> Message:
    """Add a message to the thread while the exchange is still going."""
    text = body.strip()
    if not text:
        raise Invalid(_("Write a message first."), field="body")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise Invalid(
            _("A message may be at most %(n)d characters.") % {"n": MAX_MESSAGE_LENGTH},
            field="body",
        )
    rules.check_message(text)
    now = timezone.now()
    # Conditional on the exchange still being open: a message cannot slip in after it ended.
    still_open = (
        Exchange.objects.filter(pk=exchange.pk).exclude(status__in=ENDED).update(updated_at=now)
    )
    if still_open != 1:
        raise Conflict(_("This exchange has ended; its messages are read-only."), code="ended")
    message = Message.objects.create(exchange=exchange, author=author, body=text, created_at=now)
    notifications.notify(
        user_id=other_side(exchange, author),
        kind=notifications.Kind.MESSAGE,
        exchange=exchange,
        now=now,
    )
    return message


@transaction.atomic
def reveal_contact(*, exchange: Exchange, actor: User) -> Exchange:
    """Record `actor`'s consent to share contact details. Asking twice changes nothing."""
    if exchange.status not in REVEALABLE:
        raise Conflict(
            _("Contact details can only be shared while the exchange is going."), code="ended"
        )
    field = "giver_consented_at" if actor.pk == exchange.giver_id else "receiver_consented_at"
    now = timezone.now()
    first_time = (
        Exchange.objects.filter(
            pk=exchange.pk, status__in=REVEALABLE, **{f"{field}__isnull": True}
        ).update(**{field: now, "updated_at": now})
        == 1
    )
    exchange.refresh_from_db(fields=["giver_consented_at", "receiver_consented_at", "status"])
    if not first_time and not has_consented(exchange, actor):
        raise Conflict(
            _("Contact details can only be shared while the exchange is going."), code="ended"
        )
    if first_time and not is_revealed(exchange):
        notifications.notify(
            user_id=other_side(exchange, actor),
            kind=notifications.Kind.REVEAL,
            exchange=exchange,
            now=now,
        )
    return exchange
