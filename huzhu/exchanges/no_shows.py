"""Contesting a recorded no-show: the person it counts against says it is wrong, once, and
a moderator who is not part of the exchange decides.

A no-show weighs on the trust level of the person it names (trust/criteria.py) and on the
moderators' fraud signals, on one participant's word. So that one tap cannot harm a helper
by accident, they may contest it with a reason; a moderator upholds it or overturns it.
An overturned no-show stays as the record (with who decided and why) but counts nowhere,
and the person's level is recomputed at once. Both steps are conditional updates, so a
second contest or decision is a 409.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.accounts.roles import is_moderator
from huzhu.errors import Conflict, Forbidden, Invalid, NotFound
from huzhu.exchanges.disputes import is_participant
from huzhu.exchanges.models import Exchange, NoShow
from huzhu.trust.services import recompute_level

MAX_REASON_LENGTH = 300


@dataclass(frozen=True)
class NoShowState:
    exchange_id: int
    created_at: datetime
    contested_at: datetime | None
    decided_at: datetime | None
    overturned: bool


def state_of(no_show: NoShow) -> NoShowState:
    return NoShowState(
        exchange_id=no_show.exchange_id,
        created_at=no_show.created_at,
        contested_at=no_show.contested_at,
        decided_at=no_show.decided_at,
        overturned=no_show.overturned,
    )


def _reason(text: str) -> str:
    text = text.strip()
    if not text:
        raise Invalid(_("Say briefly why."), field="reason")
    if len(text) > MAX_REASON_LENGTH:
        raise Invalid(
            _("A reason may be at most %(n)d characters.") % {"n": MAX_REASON_LENGTH},
            field="reason",
        )
    return text


def _no_show_of(exchange: Exchange) -> NoShow:
    no_show = NoShow.objects.filter(exchange=exchange).first()
    if no_show is None:
        raise NotFound(_("No missed hand-over is recorded on this exchange."))
    return no_show


@transaction.atomic
def contest_no_show(*, exchange: Exchange, actor: User, reason: str) -> NoShow:
    """The person the no-show names says it is wrong. 403 for the one who reported it."""
    no_show = _no_show_of(exchange)
    if no_show.reported_user_id != actor.pk:
        raise Forbidden(
            _("Only the person it counts against can contest it."), code="not_reported_user"
        )
    text = _reason(reason)
    now = timezone.now()
    contested = NoShow.objects.filter(pk=no_show.pk, contested_at__isnull=True).update(
        contested_at=now, contest_reason=text
    )
    if contested != 1:
        raise Conflict(_("You have contested this already."), code="already_contested")
    no_show.refresh_from_db()
    return no_show


@transaction.atomic
def decide_no_show(*, exchange: Exchange, moderator: User, overturn: bool, reason: str) -> NoShow:
    """A moderator who is not part of the exchange upholds or overturns a contested no-show."""
    if is_participant(exchange, moderator):
        raise Forbidden(
            _("A moderator who is not part of this exchange decides."), code="not_moderator"
        )
    if not is_moderator(moderator):
        raise NotFound(_("Exchange not found."))
    no_show = _no_show_of(exchange)
    text = _reason(reason)
    now = timezone.now()
    decided = NoShow.objects.filter(
        pk=no_show.pk, contested_at__isnull=False, decided_at__isnull=True
    ).update(decided_at=now, decided_by=moderator, decision_reason=text, overturned=overturn)
    if decided != 1:
        raise Conflict(
            _("Only a contested no-show that is not yet decided can be decided."),
            code="not_contested",
        )
    no_show.refresh_from_db()
    if overturn:
        recompute_level(user=no_show.reported_user, now=now)
    return no_show


def contested_no_shows(limit: int = 100) -> list[NoShow]:
    """Contested, undecided no-shows, oldest first: the moderators' work list."""
    waiting = NoShow.objects.filter(contested_at__isnull=False, decided_at__isnull=True)
    return list(waiting.order_by("contested_at", "pk")[:limit])
