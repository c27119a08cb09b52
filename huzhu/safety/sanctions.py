"""Sanctions: warnings, suspensions and bans, graduated, each audited with its rule.

A second formal warning within `HUZHU_WARNING_WINDOW_DAYS` brings an automatic
suspension of `HUZHU_SECOND_WARNING_SUSPENSION_DAYS`, recorded with the warning's
moderator (so they may not decide its appeal) and marked automated. Every sanction puts a
notice in the person's inbox with the rule and how to appeal. A suspension or ban ends the
person's access at once: their API tokens are revoked here, and their sessions stop
authenticating at the next request (backends.py); log-in and new tokens are refused with
the date it ends. A ban also withdraws their listed posts through the posts lifecycle.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import ApiToken, User
from huzhu.accounts.roles import is_moderator
from huzhu.errors import Conflict, DomainError, Forbidden, Invalid
from huzhu.exchanges.models import Notification
from huzhu.exchanges.notifications import notify_person
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post
from huzhu.posts.services import transition_post
from huzhu.safety import audit
from huzhu.safety.community import RULES, rule_text
from huzhu.safety.models import AuditEntry, Sanction

logger = logging.getLogger(__name__)
K = Sanction.Kind
MAX_SUSPENSION_DAYS = 365
RESTRICTING = (K.SUSPEND, K.BAN)
_ACTIONS: dict[str, str] = {
    K.WARN: AuditEntry.Action.WARN,
    K.SUSPEND: AuditEntry.Action.SUSPEND,
    K.BAN: AuditEntry.Action.BAN,
}


def active_restriction(user_id: int, *, now: datetime | None = None) -> Sanction | None:
    """The suspension or ban in force on the person, the longest first; None if free."""
    now = now or timezone.now()
    return (
        Sanction.objects.filter(user_id=user_id, kind__in=RESTRICTING, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by(F("until").desc(nulls_first=True))
        .first()
    )


def refusal_message(sanction: Sanction) -> str:
    rule = rule_text(sanction.rule)
    if sanction.until is None:
        text = _("Your account is banned under the rule “%(rule)s”.") % {"rule": rule}
    else:
        until = formats.date_format(timezone.localtime(sanction.until), "DATETIME_FORMAT")
        text = _("Your account is suspended until %(until)s under the rule “%(rule)s”.") % {
            "until": until,
            "rule": rule,
        }
    return (
        text + " " + _("You can appeal: log in on the website and write to the moderators there.")
    )


def sanction_notice(notification: Notification) -> str | None:
    """A sanction notification's sentence (exchanges/sentences.py asks for it)."""
    return notice_text(notification.sanction) if notification.sanction is not None else None


def notice_text(sanction: Sanction) -> str:
    """The inbox notice of a sanction: what, under which rule, and how to appeal."""
    if sanction.kind != K.WARN:
        return refusal_message(sanction)
    return (
        _("A moderator warned you under the rule “%(rule)s”: %(reason)s")
        % {"rule": rule_text(sanction.rule), "reason": sanction.reason}
        + " "
        + _(
            "A second warning within %(n)d days suspends the account. If you think this is "
            "wrong, you can appeal: open “Moderation and you” at the foot of any page and "
            "write to the moderators there."
        )
        % {"n": settings.HUZHU_WARNING_WINDOW_DAYS}
    )


def refuse_if_restricted(user: User) -> None:
    """Forbidden (403) with the refusal message if the person may not log in now."""
    sanction = active_restriction(user.pk)
    if sanction is not None:
        code = "banned" if sanction.kind == K.BAN else "suspended"
        raise Forbidden(refusal_message(sanction), code=code)


def _validate(*, user: User, kind: str, rule: str, reason: str, days: int | None) -> None:
    if not reason.strip():
        raise Invalid(_("Give a reason: the person will read it."), field="reason")
    if rule not in RULES:
        raise Invalid(_("Choose the rule that was broken."), field="rule")
    if kind not in K.values:
        raise Invalid(_("Choose a warning, a suspension or a ban."), field="kind")
    if kind == K.SUSPEND and not (days and 1 <= days <= MAX_SUSPENSION_DAYS):
        raise Invalid(_("Suspend for 1 to %(n)d days.") % {"n": MAX_SUSPENSION_DAYS}, field="days")
    if is_moderator(user):
        raise Forbidden(_("Moderators are not sanctioned here; ask an operator."), code="staff")


@transaction.atomic
def impose_sanction(
    *, moderator: User, user: User, kind: str, rule: str, reason: str, days: int | None = None
) -> Sanction:
    """Warn, suspend (for `days`) or ban `user`. Returns the sanction now in force: a second
    warning within the window returns the automatic suspension it brought."""
    _validate(user=user, kind=kind, rule=rule, reason=reason, days=days)
    now = timezone.now()
    window = now - timedelta(days=settings.HUZHU_WARNING_WINDOW_DAYS)
    earlier_warning = Sanction.objects.filter(
        user=user, kind=K.WARN, lifted_at__isnull=True, created_at__gte=window
    ).exists()
    until = now + timedelta(days=days) if kind == K.SUSPEND and days else None
    sanction = _create(
        user=user,
        kind=kind,
        until=until,
        rule=rule,
        reason=reason.strip(),
        moderator=moderator,
        automated=False,
        now=now,
    )
    if kind == K.WARN and earlier_warning:
        days_off = settings.HUZHU_SECOND_WARNING_SUSPENSION_DAYS
        sanction = _create(
            user=user,
            kind=K.SUSPEND,
            until=now + timedelta(days=days_off),
            rule=rule,
            reason=_("A second warning within %(n)d days.")
            % {"n": settings.HUZHU_WARNING_WINDOW_DAYS},
            # The warning's moderator is recorded so that they may not decide the appeal.
            moderator=moderator,
            automated=True,
            now=now,
        )
    if sanction.kind in RESTRICTING:
        _end_access(user, now)
    if sanction.kind == K.BAN:
        _withdraw_listed_posts(user, now)
    return sanction


def _create(
    *,
    user: User,
    kind: str,
    until: datetime | None,
    rule: str,
    reason: str,
    moderator: User,
    automated: bool,
    now: datetime,
) -> Sanction:
    sanction = Sanction.objects.create(
        user=user,
        kind=kind,
        until=until,
        rule=rule,
        reason=reason,
        moderator=moderator,
        automated=automated,
        created_at=now,
    )
    audit.record(
        actor=None if automated else moderator,
        action=_ACTIONS[kind],
        target_type="user",
        target_id=user.pk,
        rule=rule,
        reason=reason,
        now=now,
    )
    # One notice per sanction, with its rule and how to appeal; the person hears of it
    # wherever they are (by SMS if their phone is verified, by e-mail always).
    notify_person(
        user_id=user.pk, kind=Notification.Kind.SANCTION, now=now, sanction_id=sanction.pk
    )
    logger.info("sanction %s (%s) on user %s", sanction.pk, kind, user.pk)
    return sanction


def _end_access(user: User, now: datetime) -> None:
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


def _withdraw_listed_posts(user: User, now: datetime) -> None:
    for post_id in Post.objects.filter(owner=user, status__in=LISTED).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                transition_post(
                    post_id=post_id, to_status=Post.Status.WITHDRAWN, actor=None, reason="banned"
                )
        except DomainError:
            logger.warning("post %s could not be withdrawn at a ban", post_id)
            continue
        audit.record(
            actor=None,
            action=AuditEntry.Action.WITHDRAW,
            target_type="post",
            target_id=post_id,
            rule="ban",
            now=now,
        )


@transaction.atomic
def lift_sanction(
    *,
    moderator: User | None,
    sanction: Sanction,
    reason: str,
    action: str = AuditEntry.Action.LIFT,
    allow_expired: bool = False,
) -> Sanction:
    """End a sanction early. 409 if it is already lifted, or over (unless an overturned
    appeal clears the record of a suspension that has run its course)."""
    if not reason.strip():
        raise Invalid(_("Give a reason: the person will read it."), field="reason")
    now = timezone.now()
    over = not allow_expired and sanction.until is not None and sanction.until <= now
    lifted = Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(lifted_at=now)
    if over or lifted != 1:
        raise Conflict(_("This sanction is no longer in force."), code="not_in_force")
    sanction.lifted_at = now
    audit.record(
        actor=moderator,
        action=action,
        target_type="sanction",
        target_id=sanction.pk,
        rule=sanction.rule,
        reason=reason.strip(),
        now=now,
    )
    return sanction
