"""Moderators decide held posts (safety/posting.py): release one into the listings, or
reject it. Each decision is one audited transaction; the author sees the outcome on the
post itself."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post
from huzhu.posts.services import announce_post, set_hidden, transition_post
from huzhu.safety import audit
from huzhu.safety.community import RULES
from huzhu.safety.models import AuditEntry, Report
from huzhu.safety.moderation import check_reason


def _held(post_id: int) -> Post:
    post = Post.objects.get(pk=post_id)
    if not post.held_reason or post.hidden_at is None or post.status not in LISTED:
        raise Conflict(_("This post is not waiting for a moderator."), code="not_held")
    return post


@transaction.atomic
def release_held_post(*, moderator: User, post_id: int, reason: str) -> Post:
    """The post is fine: list it, and let saved alerts hear of it."""
    reason = check_reason(reason)
    now = timezone.now()
    _held(post_id)
    post = set_hidden(post_id=post_id, hidden=False, now=now, release_hold=True)
    if post is None:
        raise Conflict(_("This post is not waiting for a moderator."), code="not_held")
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.RELEASE,
        target_type=Report.Target.POST,
        target_id=post_id,
        reason=reason,
        now=now,
    )
    announce_post(post_id)
    return post


@transaction.atomic
def reject_held_post(*, moderator: User, post_id: int, rule: str, reason: str) -> Post:
    """The post breaks a rule: withdraw it. It stays hidden with its held reason, so its
    author still sees why."""
    reason = check_reason(reason)
    if rule not in RULES:
        raise Invalid(_("Choose the rule that was broken."), field="rule")
    now = timezone.now()
    _held(post_id)
    post = transition_post(
        post_id=post_id, to_status=Post.Status.WITHDRAWN, actor=moderator, reason="rejected"
    )
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.REJECT,
        target_type=Report.Target.POST,
        target_id=post_id,
        rule=rule,
        reason=reason,
        now=now,
    )
    return post
