"""Moderators decide reports: dismiss them, uphold them (hiding a reported post), restore a
hidden post. Each decision is one audited transaction; reporters hear the outcome.

A report target is (target_type, target_id): a post, a person or a message. Sanctions on
the person behind a target are in sanctions.py.
"""

import logging
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huzhu.accounts import outbox
from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid
from huzhu.exchanges.models import Notification
from huzhu.exchanges.notifications import notify_person
from huzhu.posts.services import set_hidden
from huzhu.safety import audit
from huzhu.safety.community import RULES, rule_text
from huzhu.safety.models import AuditEntry, Report
from huzhu.trust.models import VerifiedEmail

logger = logging.getLogger(__name__)


def check_reason(reason: str) -> str:
    if not reason.strip():
        raise Invalid(_("Give a reason: it is kept in the audit log."), field="reason")
    return reason.strip()


def _decide_open_reports(
    *, target_type: str, target_id: int, status: str, now: datetime
) -> list[int]:
    """Mark the target's open reports decided; their reporters' ids. 409 if none was open."""
    open_reports = Report.objects.filter(
        target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    )
    reporter_ids = [r for r in open_reports.values_list("reporter_id", flat=True) if r]
    decided = open_reports.update(status=status, decided_at=now)
    if decided == 0:
        raise Conflict(_("There are no open reports on this."), code="no_open_reports")
    return reporter_ids


def _decide(
    *, moderator: User, target_type: str, target_id: int, upheld: bool, rule: str, reason: str
) -> None:
    """Close the target's open reports, audit it, hide (upheld) or show (dismissed) a reported
    post, auditing that too when it changed, and tell the reporters."""
    now = timezone.now()
    status = Report.Status.UPHELD if upheld else Report.Status.DISMISSED
    reporters = _decide_open_reports(
        target_type=target_type, target_id=target_id, status=status, now=now
    )
    entry = partial(
        audit.record,
        actor=moderator,
        target_type=target_type,
        target_id=target_id,
        rule=rule,
        reason=reason,
        now=now,
    )
    entry(action=AuditEntry.Action.UPHOLD if upheld else AuditEntry.Action.DISMISS)
    if target_type == Report.Target.POST and set_hidden(post_id=target_id, hidden=upheld, now=now):
        entry(action=AuditEntry.Action.HIDE if upheld else AuditEntry.Action.RESTORE)
    _tell_reporters(reporters, upheld=upheld)


@transaction.atomic
def dismiss_reports(*, moderator: User, target_type: str, target_id: int, reason: str) -> None:
    """The reports are unfounded: close them and show a hidden post again."""
    _decide(
        moderator=moderator,
        target_type=target_type,
        target_id=target_id,
        upheld=False,
        rule="",
        reason=check_reason(reason),
    )


@transaction.atomic
def uphold_reports(
    *, moderator: User, target_type: str, target_id: int, rule: str, reason: str
) -> None:
    """The reports are right: close them, citing the rule, and keep a reported post hidden."""
    reason = check_reason(reason)
    if rule not in RULES:
        raise Invalid(_("Choose the rule that was broken."), field="rule")
    _decide(
        moderator=moderator,
        target_type=target_type,
        target_id=target_id,
        upheld=True,
        rule=rule,
        reason=reason,
    )


@transaction.atomic
def restore_post(*, moderator: User, post_id: int, reason: str) -> None:
    """Show a hidden post again (e.g. after its owner fixed it). 409 if it is not hidden."""
    reason = check_reason(reason)
    now = timezone.now()
    if set_hidden(post_id=post_id, hidden=False, now=now) is None:
        raise Conflict(_("This post is not hidden."), code="not_hidden")
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.RESTORE,
        target_type=Report.Target.POST,
        target_id=post_id,
        reason=reason,
        now=now,
    )


def _tell_reporters(reporter_ids: list[int], *, upheld: bool) -> None:
    """Tell each reporter the outcome in their inbox, and e-mail those with a verified
    address after commit. Everyone also sees it on their moderation page. The text names
    neither the target nor the moderator."""
    kind = Notification.Kind.REPORT_UPHELD if upheld else Notification.Kind.REPORT_DISMISSED
    now = timezone.now()
    for reporter_id in reporter_ids:
        notify_person(user_id=reporter_id, kind=kind, now=now)
    for address, locale in VerifiedEmail.objects.filter(user_id__in=reporter_ids).values_list(
        "address", "user__locale"
    ):
        with translation.override(locale):
            subject = _("Your report was looked at")
            body = (
                _("Thank you. The moderators agreed with your report and acted on it.")
                if upheld
                else _("Thank you. The moderators looked at your report and took no action.")
            )
        transaction.on_commit(partial(outbox.send_email, address, subject, body), robust=True)


def rule_label(code: str) -> str:
    """A rule's text, or the automatic trigger an entry names."""
    triggers = {
        "report_weight": _("Enough reports from the community"),
        "trusted_reporter": _("Reported by a trusted helper"),
        "ban": _("The author was banned"),
        "price_like": _("Mentions costs: held for a moderator"),
        "new_account_scarce": _("A new account asking for much of a scarce item"),
        "link_new_member": _("A link from a new member"),
    }
    return triggers[code] if code in triggers else rule_text(code)
