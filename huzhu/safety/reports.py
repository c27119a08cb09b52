"""Reports: anyone signed in tells the moderators about a post, a person or a message.

A report may only name what its reporter can see: a post visible to them, an active
account, or a message in one of their own exchanges; anything else is 404, as if it did not
exist. One open report per reporter and target. Its weight is 1 plus the reporter's trust
level plus an accuracy term from their decided reports (+0.5 per upheld, -0.5 per
dismissed, kept within [-1, +2]). Filing a report on a post may hide it pending review
(safety/hiding.py).
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid, NotFound
from huzhu.exchanges.models import Message
from huzhu.posts.queries import access_post
from huzhu.safety.hiding import hide_if_reported_enough
from huzhu.safety.models import Report
from huzhu.trust.queries import level_of

logger = logging.getLogger(__name__)
MAX_DETAILS = 2000


ACCURACY_STEP = 0.5
ACCURACY_RANGE = (-1.0, 2.0)


def report_weight(reporter: User) -> float:
    decided = Report.objects.filter(reporter=reporter).aggregate(
        upheld=Count("pk", filter=Q(status=Report.Status.UPHELD)),
        dismissed=Count("pk", filter=Q(status=Report.Status.DISMISSED)),
    )
    upheld: int = decided["upheld"]
    dismissed: int = decided["dismissed"]
    low, high = ACCURACY_RANGE
    accuracy = min(high, max(low, ACCURACY_STEP * (upheld - dismissed)))
    return 1.0 + level_of(reporter) + accuracy


def check_reportable(reporter: User, target_type: str, target_id: int) -> None:
    """NotFound unless `reporter` can see the target; Invalid if it is their own."""
    own = False
    if target_type == Report.Target.POST:
        own = access_post(reporter, target_id).owner_id == reporter.pk
    elif target_type == Report.Target.USER:
        if not User.objects.filter(pk=target_id, is_active=True).exists():
            raise NotFound(_("This person was not found."))
        own = target_id == reporter.pk
    else:
        mine = Q(exchange__giver=reporter) | Q(exchange__receiver=reporter)
        message = Message.objects.filter(mine, pk=target_id).first()
        if message is None:
            raise NotFound(_("Message not found."))
        own = message.author_id == reporter.pk
    if own:
        raise Invalid(_("You cannot report yourself or what you wrote."), field="target_id")


@transaction.atomic
def file_report(
    *, reporter: User, target_type: str, target_id: int, reason: str, details: str = ""
) -> Report:
    if target_type not in Report.Target.values:
        raise Invalid(_("Report a post, a person or a message."), field="target_type")
    if reason not in Report.Reason.values:
        raise Invalid(
            _("Choose a reason: %(reasons)s.") % {"reasons": ", ".join(Report.Reason.values)},
            field="reason",
        )
    details = details.strip()
    if len(details) > MAX_DETAILS:
        raise Invalid(
            _("Details may be at most %(n)d characters.") % {"n": MAX_DETAILS}, field="details"
        )
    if reason == Report.Reason.OTHER and not details:
        raise Invalid(_("Tell the moderators what is wrong."), field="details")
    check_reportable(reporter, target_type, target_id)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                target_type=target_type,
                target_id=target_id,
                reason=reason,
                details=details,
                weight=report_weight(reporter),
                created_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("You have already reported this. The moderators will look at it."),
            code="already_reported",
        ) from exc
    logger.info("report %s filed on %s %s", report.pk, target_type, target_id)
    if target_type == Report.Target.POST:
        hide_if_reported_enough(post_id=target_id, reporter=reporter, now=report.created_at)
    return report
