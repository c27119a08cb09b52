"""Appeals: a sanctioned person asks for another look, in a dialogue with the moderators.

A moderator other than the one who imposed the sanction decides (403 `same_moderator`
otherwise; for an automatic suspension, none of the moderators whose warnings brought
it): upheld, or overturned, which lifts the sanction. Every decision is audited. A
suspended or banned person cannot log in, so the log-in page offers them the appeal form
after checking their password (views.appeal_restricted).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Forbidden, Invalid
from huzhu.safety import audit
from huzhu.safety.models import Appeal, AppealMessage, AuditEntry, Sanction
from huzhu.safety.sanctions import lift_sanction

logger = logging.getLogger(__name__)
MAX_MESSAGE = 2000


def _clean(body: str, field: str) -> str:
    body = body.strip()
    if not body:
        raise Invalid(_("Write a message."), field=field)
    if len(body) > MAX_MESSAGE:
        raise Invalid(_("At most %(n)d characters.") % {"n": MAX_MESSAGE}, field=field)
    return body


@transaction.atomic
def file_appeal(*, user: User, sanction: Sanction, message: str) -> Appeal:
    """Open the appeal of the person's own sanction with their first message."""
    message = _clean(message, "message")
    if sanction.user_id != user.pk:  # pragma: no cover - callers use access_own_sanction
        raise Forbidden(_("This is not your sanction."))
    if sanction.lifted_at is not None:
        raise Conflict(_("This sanction was lifted already."), code="not_in_force")
    now = timezone.now()
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(sanction=sanction, created_at=now)
    except IntegrityError as exc:
        raise Conflict(
            _("You have appealed this already. Add to the dialogue instead."),
            code="already_appealed",
        ) from exc
    AppealMessage.objects.create(appeal=appeal, author=user, body=message, created_at=now)
    logger.info("appeal %s filed on sanction %s", appeal.pk, sanction.pk)
    return appeal


@transaction.atomic
def add_message(*, appeal: Appeal, author: User, body: str, from_moderator: bool) -> AppealMessage:
    """One more message in an open appeal's dialogue; 409 once it is decided."""
    body = _clean(body, "body")
    if appeal.status != Appeal.Status.OPEN:
        raise Conflict(_("This appeal is decided."), code="appeal_decided")
    return AppealMessage.objects.create(
        appeal=appeal,
        author=author,
        from_moderator=from_moderator,
        body=body,
        created_at=timezone.now(),
    )


def send_appeal_message(*, user: User, sanction: Sanction, body: str) -> None:
    """What the sanctioned person writes: it files the appeal, or continues its dialogue."""
    try:
        appeal = sanction.appeal
    except Appeal.DoesNotExist:
        file_appeal(user=user, sanction=sanction, message=body)
    else:
        add_message(appeal=appeal, author=user, body=body, from_moderator=False)


def _imposed_by(sanction: Sanction) -> set[int]:
    """The moderators behind a sanction: its own, and for the automatic suspension that a
    second warning brings, the moderators of the warnings within the window before it."""
    imposed = {sanction.moderator_id} if sanction.moderator_id else set()
    if sanction.automated:
        since = sanction.created_at - timedelta(days=settings.HUZHU_WARNING_WINDOW_DAYS)
        warnings = Sanction.objects.filter(
            user_id=sanction.user_id,
            kind=Sanction.Kind.WARN,
            created_at__gte=since,
            created_at__lte=sanction.created_at,
            moderator__isnull=False,
        )
        imposed |= set(warnings.values_list("moderator_id", flat=True))
    return imposed


@transaction.atomic
def decide_appeal(*, moderator: User, appeal: Appeal, overturn: bool, reason: str) -> Appeal:
    """Uphold or overturn. Not by the moderator who imposed the sanction."""
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Give a reason: the person will read it."), field="reason")
    sanction = appeal.sanction
    if moderator.pk in _imposed_by(sanction):
        raise Forbidden(
            _("Another moderator must decide the appeal of a sanction you imposed."),
            code="same_moderator",
        )
    now = timezone.now()
    status = Appeal.Status.OVERTURNED if overturn else Appeal.Status.UPHELD
    decided = Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.OPEN).update(
        status=status, decided_at=now, decided_by=moderator, decision_reason=reason
    )
    if decided != 1:
        raise Conflict(_("This appeal is decided."), code="appeal_decided")
    if overturn and sanction.lifted_at is None:
        lift_sanction(
            moderator=moderator,
            sanction=sanction,
            reason=reason,
            action=AuditEntry.Action.APPEAL_OVERTURNED,
            allow_expired=True,
        )
    else:
        audit.record(
            actor=moderator,
            action=AuditEntry.Action.APPEAL_OVERTURNED
            if overturn
            else AuditEntry.Action.APPEAL_UPHELD,
            target_type="sanction",
            target_id=sanction.pk,
            rule=sanction.rule,
            reason=reason,
            now=now,
        )
    appeal.refresh_from_db()
    return appeal
