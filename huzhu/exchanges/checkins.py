""" "Still needed?" check-ins for needs that have gone quiet.

An open need with no activity for `HUZHU_CHECKIN_AFTER_DAYS` (its own changes, or any of
its exchanges moving or being written in) gets one question in its owner's inbox. If it
is still unanswered `HUZHU_CHECKIN_WINDOW_DAYS` later and nothing happened meanwhile, the
need moves to `unknown` through the lifecycle (history reason `checkin_unanswered`), which
search ranks after every open post. Answering at any time settles it: "still needed"
keeps it open (or reopens it) and restarts the clock, "no longer needed" withdraws it.

Both sweeps are idempotent and safe to run concurrently: at most one pending question per
post (a partial unique index), and a question is closed by a conditional UPDATE on its
pending state whose row count decides who acts.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict
from huzhu.exchanges import notifications
from huzhu.exchanges.models import CheckIn, Exchange, Notification
from huzhu.posts.models import Post
from huzhu.posts.services import confirm_need, transition_post

Outcome = CheckIn.Outcome
S = Post.Status
UNANSWERED = "checkin_unanswered"  # the post history's reason for `unknown`


def ask_due_checkins(*, now: datetime | None = None, batch: int = 500) -> int:
    """Ask the owners of quiet open needs whether they still need them. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HUZHU_CHECKIN_AFTER_DAYS)
    recent_exchange = Exchange.objects.filter(post=OuterRef("pk"), updated_at__gt=cutoff)
    pending = CheckIn.objects.filter(post=OuterRef("pk"), outcome=Outcome.PENDING)
    due = list(
        Post.objects.filter(
            kind=Post.Kind.NEED, status=S.OPEN, updated_at__lte=cutoff, closes_at__gt=now
        )
        .filter(~Exists(recent_exchange), ~Exists(pending))
        .order_by("updated_at", "id")
        .values_list("pk", "owner_id")[:batch]
    )
    asked = 0
    for post_id, owner_id in due:
        try:
            with transaction.atomic():
                CheckIn.objects.create(
                    post_id=post_id,
                    asked_at=now,
                    due_at=now + timedelta(days=settings.HUZHU_CHECKIN_WINDOW_DAYS),
                )
                notifications.record(
                    user_id=owner_id, kind=Notification.Kind.CHECKIN, post_id=post_id, now=now
                )
        except IntegrityError:
            continue  # a concurrent sweep asked first
        asked += 1
    return asked


def _had_activity(post: Post, since: datetime) -> bool:
    moved = Exchange.objects.filter(post_id=post.pk, updated_at__gt=since).exists()
    return post.status != S.OPEN or post.updated_at > since or moved


def lapse_due_checkins(*, now: datetime | None = None, batch: int = 500) -> int:
    """Move needs whose question went unanswered to `unknown`. Returns how many moved."""
    now = now or timezone.now()
    due = list(
        CheckIn.objects.filter(outcome=Outcome.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("pk", "post_id", "asked_at")[:batch]
    )
    lapsed = 0
    for checkin_id, post_id, asked_at in due:
        with transaction.atomic():
            post = Post.objects.get(pk=post_id)
            outcome = Outcome.MOOT if _had_activity(post, asked_at) else Outcome.LAPSED
            closed = CheckIn.objects.filter(pk=checkin_id, outcome=Outcome.PENDING).update(
                outcome=outcome, closed_at=now
            )
            if closed != 1 or outcome == Outcome.MOOT:
                continue  # answered or closed by another sweep, or the need moved on
            try:
                transition_post(
                    post_id=post_id, to_status=S.UNKNOWN, actor=None, reason=UNANSWERED, now=now
                )
            except Conflict:
                # The post changed between our read and the UPDATE: nothing to mark.
                CheckIn.objects.filter(pk=checkin_id).update(outcome=Outcome.MOOT)
                continue
        lapsed += 1
    return lapsed


def run_checkins(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {"lapsed": lapse_due_checkins(now=now), "asked": ask_due_checkins(now=now)}


def pending_checkin(post: Post) -> CheckIn | None:
    return CheckIn.objects.filter(post=post, outcome=Outcome.PENDING).first()


@transaction.atomic
def answer_checkin(*, post: Post, actor: User, still_needed: bool) -> Post:
    """The owner's answer. Call with a post `actor` owns (queries.access_own_post)."""
    now = timezone.now()
    CheckIn.objects.filter(post_id=post.pk, outcome=Outcome.PENDING).update(
        outcome=Outcome.STILL_NEEDED if still_needed else Outcome.NOT_NEEDED, closed_at=now
    )
    Notification.objects.filter(
        user=actor, post_id=post.pk, kind=Notification.Kind.CHECKIN, read_at__isnull=True
    ).update(read_at=now)
    current = Post.objects.get(pk=post.pk)
    if not still_needed:
        return transition_post(
            post_id=post.pk, to_status=S.WITHDRAWN, actor=actor, reason="not_needed", now=now
        )
    if current.status == S.UNKNOWN:
        target = S.PLEDGED if current.quantity_reserved else S.OPEN
        transition_post(
            post_id=post.pk, to_status=target, actor=actor, reason="still_needed", now=now
        )
    # Answering is activity and a confirmation: both clocks start again.
    confirmed = confirm_need(post_id=post.pk, now=now)
    if confirmed is not None:
        return confirmed
    raise Conflict(
        _("This post is %(status)s; there is nothing to keep open.")
        % {"status": current.get_status_display()},
        code="illegal_transition",
    )
