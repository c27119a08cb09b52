"""Enough reports hide a post pending review, before any moderator has looked.

A post is hidden when the summed weight of its open reports reaches
`HUZHU_REPORT_HIDE_WEIGHT`, or at once when a trusted helper (TL3 or above) reports the
post of a new member (TL0): new accounts are where scams come from, and trusted helpers
have earned the benefit of the doubt. The hide is audited as automated; a moderator
restores or upholds it from the console.

Throwaway accounts must not take a post offline, so only established reporters count
towards the weight: verified (TL1 or above) and older than the fraud signals' "new
account" days. Reporters who signed up from one address count once, with the heaviest
of their reports. Every report still queues the post for a moderator.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings

from huzhu.accounts.models import User
from huzhu.posts.models import Post
from huzhu.posts.services import set_hidden
from huzhu.safety import audit
from huzhu.safety.models import AuditEntry, Report, SignupAddress
from huzhu.trust.levels import Level
from huzhu.trust.queries import level_of

logger = logging.getLogger(__name__)


def hiding_weight(*, target_type: str, target_id: int, now: datetime) -> float:
    """The summed weight of the open reports that may hide the target (see above)."""
    young = now - timedelta(days=settings.HUZHU_FRAUD_SIGNALS["new_account_days"])
    reports = list(
        Report.objects.filter(
            target_type=target_type,
            target_id=target_id,
            status=Report.Status.OPEN,
            reporter__isnull=False,
            reporter__date_joined__lte=young,
        ).values_list("reporter_id", "weight")
    )
    reporters = [reporter_id for reporter_id, _weight in reports]
    verified = {
        user.pk
        for user in User.objects.filter(pk__in=reporters)
        if level_of(user) >= Level.VERIFIED
    }
    address = dict(
        SignupAddress.objects.filter(user_id__in=reporters).values_list("user_id", "address_hash")
    )
    heaviest: dict[str, float] = {}  # one voice per sign-up address (or per account)
    for reporter_id, weight in reports:
        if reporter_id in verified:
            voice = address.get(reporter_id, f"user:{reporter_id}")
            heaviest[voice] = max(heaviest.get(voice, 0.0), weight)
    return sum(heaviest.values())


def _why_hide(post: Post, reporter: User, now: datetime) -> str:
    """The rule that hides the post now, or "" if it stays up."""
    if level_of(reporter) >= Level.TRUSTED and level_of(post.owner) == Level.NEW:
        return "trusted_reporter"
    weight = hiding_weight(target_type=Report.Target.POST, target_id=post.pk, now=now)
    if weight >= settings.HUZHU_REPORT_HIDE_WEIGHT:
        return "report_weight"
    return ""


def hide_if_reported_enough(*, post_id: int, reporter: User, now: datetime) -> bool:
    """Hide the post if its reports call for it. Call inside the report's transaction."""
    post = Post.objects.select_related("owner").get(pk=post_id)
    if post.hidden_at is not None:
        return False
    rule = _why_hide(post, reporter, now)
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
