"""Reads for moderation: the queues, one report target, sanctions, the public log.

Access helpers return the object or raise NotFound; the console itself is for staff only,
and everyone else gets 404, as if it did not exist (views check `accounts.roles.is_moderator`).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import NotFound
from huzhu.exchanges.models import Message
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post
from huzhu.safety.models import Appeal, AuditEntry, Report, Sanction
from huzhu.safety.moderation import rule_label

QUEUE_LIMIT = 100
LOG_LIMIT = 100


@dataclass(frozen=True)
class QueueRow:
    target_type: str
    target_id: int
    reports: int
    weight: float
    first_at: datetime
    last_at: datetime


def report_queue() -> list[QueueRow]:
    """Open reports grouped by target, the heaviest first."""
    rows = (
        Report.objects.filter(status=Report.Status.OPEN)
        .values("target_type", "target_id")
        .annotate(
            reports=Count("pk"),
            weight=Sum("weight"),
            first_at=Min("created_at"),
            last_at=Max("created_at"),
        )
        .order_by("-weight", "first_at")[:QUEUE_LIMIT]
    )
    return [QueueRow(**row) for row in rows]


def hidden_posts() -> QuerySet[Post]:
    """Posts hidden by reports or moderators; held posts have a queue of their own."""
    return Post.objects.filter(hidden_at__isnull=False, held_reason="").order_by("hidden_at")[
        :QUEUE_LIMIT
    ]


def held_posts() -> QuerySet[Post]:
    """Posts the rules engine held, waiting for a moderator to release or reject them."""
    return (
        Post.objects.filter(hidden_at__isnull=False, status__in=LISTED)
        .exclude(held_reason="")
        .select_related("owner", "category", "item")
        .order_by("hidden_at", "pk")[:QUEUE_LIMIT]
    )


@dataclass(frozen=True)
class Target:
    """What a report names, as a moderator sees it, and the person answerable for it."""

    target_type: str
    target_id: int
    person: User | None
    title: str
    text: str
    post: Post | None = None


def access_target(target_type: str, target_id: int) -> Target:
    """The target if it exists (for staff: callers check `is_moderator` first)."""
    if target_type == Report.Target.POST:
        post = Post.objects.select_related("owner").filter(pk=target_id).first()
        if post is not None:
            return Target(target_type, target_id, post.owner, post.title, post.body, post)
    elif target_type == Report.Target.USER:
        user = User.objects.filter(pk=target_id).first()
        if user is not None:
            return Target(target_type, target_id, user, user.display_name, "")
    elif target_type == Report.Target.MESSAGE:
        message = Message.objects.select_related("author").filter(pk=target_id).first()
        if message is not None:
            return Target(target_type, target_id, message.author, "", message.body)
    raise NotFound(_("Nothing was reported there."))


def reports_on(target_type: str, target_id: int) -> QuerySet[Report]:
    return Report.objects.filter(target_type=target_type, target_id=target_id).order_by(
        "-created_at"
    )


def sanctions_of(user: User) -> QuerySet[Sanction]:
    return Sanction.objects.filter(user=user).select_related("appeal").order_by("-created_at")


def access_sanction(sanction_id: int) -> Sanction:
    sanction = Sanction.objects.select_related("user").filter(pk=sanction_id).first()
    if sanction is None:
        raise NotFound(_("Sanction not found."))
    return sanction


def access_own_sanction(viewer: User, sanction_id: int) -> Sanction:
    sanction = Sanction.objects.filter(pk=sanction_id, user=viewer).first()
    if sanction is None:
        raise NotFound(_("Sanction not found."))
    return sanction


def audit_of(target_type: str, target_id: int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(target_type=target_type, target_id=target_id).order_by(
        "-created_at", "-id"
    )


def public_log(limit: int = LOG_LIMIT) -> list[dict[str, Any]]:
    """What was done, under which rule, and when: never who did it, nor to whom."""
    entries = AuditEntry.objects.order_by("-created_at", "-id")[:limit]
    return [
        {
            "action": entry.action,
            "action_label": entry.get_action_display(),
            "rule": entry.rule,
            "rule_label": rule_label(entry.rule) if entry.rule else "",
            "automated": entry.automated,
            "date": entry.created_at.date(),
        }
        for entry in entries
    ]


def sanction_data(sanction: Sanction, *, now: datetime) -> dict[str, Any]:
    """A sanction as its person sees it (the moderator's identity stays out)."""
    in_force = sanction.lifted_at is None and (sanction.until is None or sanction.until > now)
    if sanction.kind == Sanction.Kind.WARN:
        in_force = False
    return {
        "id": sanction.pk,
        "kind": sanction.kind,
        "kind_label": sanction.get_kind_display(),
        "rule": sanction.rule,
        "rule_text": rule_label(sanction.rule),
        "reason": sanction.reason,
        "created_at": sanction.created_at,
        "until": sanction.until,
        "lifted_at": sanction.lifted_at,
        "in_force": in_force,
        "automated": sanction.automated,
        "appeal_status": appeal.status if (appeal := appeal_of(sanction)) else None,
    }


def appeal_of(sanction: Sanction) -> Appeal | None:
    try:
        return sanction.appeal
    except Appeal.DoesNotExist:
        return None


def access_own_appeal(viewer: User, sanction_id: int) -> Appeal:
    appeal = appeal_of(access_own_sanction(viewer, sanction_id))
    if appeal is None:
        raise NotFound(_("You have not appealed this sanction."))
    return appeal


def access_appeal(appeal_id: int) -> Appeal:
    """For staff (callers check `is_moderator`)."""
    appeal = Appeal.objects.select_related("sanction__user").filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound(_("Appeal not found."))
    return appeal


def open_appeals() -> QuerySet[Appeal]:
    return Appeal.objects.filter(status=Appeal.Status.OPEN).select_related("sanction")[:QUEUE_LIMIT]


def appeal_data(appeal: Appeal) -> dict[str, Any]:
    """An appeal with its dialogue; moderators appear as "the moderators", never by name."""
    return {
        "id": appeal.pk,
        "sanction_id": appeal.sanction_id,
        "status": appeal.status,
        "created_at": appeal.created_at,
        "decided_at": appeal.decided_at,
        "decision_reason": appeal.decision_reason,
        "messages": [
            {"from_moderator": m.from_moderator, "body": m.body, "created_at": m.created_at}
            for m in appeal.messages.order_by("created_at", "id")
        ],
    }
