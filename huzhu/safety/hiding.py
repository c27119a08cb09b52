"""Enough reports hide a post pending review, before any moderator has looked.

A post is hidden when the summed weight of its open reports reaches
`HUZHU_REPORT_HIDE_WEIGHT`, or at once when a trusted helper (TL3 or above) reports the
post of a new member (TL0): new accounts are where scams come from, and trusted helpers
have earned the benefit of the doubt. The hide is audited as automated; a moderator
restores or upholds it from the console.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db.models import Sum

from huzhu.accounts.models import User
from huzhu.posts.models import Post
from huzhu.posts.services import set_hidden
from huzhu.safety import audit
from huzhu.safety.models import AuditEntry, Report
from huzhu.trust.levels import Level
from huzhu.trust.queries import level_of

logger = logging.getLogger(__name__)


def open_weight(*, target_type: str, target_id: int) -> float:
    total = Report.objects.filter(
        target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    ).aggregate(total=Sum("weight"))["total"]
    return float(total or 0.0)


def _why_hide(post: Post, reporter: User) -> str:
    """The rule that hides the post now, or "" if it stays up."""
    if level_of(reporter) >= Level.TRUSTED and level_of(post.owner) == Level.NEW:
        return "trusted_reporter"
    weight = open_weight(target_type=Report.Target.POST, target_id=post.pk)
    if weight >= settings.HUZHU_REPORT_HIDE_WEIGHT:
        return "report_weight"
    return ""


def hide_if_reported_enough(*, post_id: int, reporter: User, now: datetime) -> bool:
    """Hide the post if its reports call for it. Call inside the report's transaction."""
    post = Post.objects.select_related("owner").get(pk=post_id)
    if post.hidden_at is not None:
        return False
    rule = _why_hide(post, reporter)
    if not rule or set_hidden(post_id=post.pk, hidden=True, now=now) is None:
        return False
    audit.record(
        actor=None,
        action=AuditEntry.Action.HIDE,
        target_type=Report.Target.POST,
        target_id=post.pk,
        rule=rule,
        now=now,
    )
    logger.info("post %s hidden pending review (%s)", post.pk, rule)
    return True
