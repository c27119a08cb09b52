"""The feedback loop: people rate the platform, low ratings reach the organisers' queue,
and organisers publish what they improved, naming the themes it answers.

Feedback text is stored with contact details masked (text/contact.py): it is read by
organisers, who have no business with a person's phone number. Organiser actions are
logged by id only; they are not moderation actions, so they stay out of the audit log and
out of its automated-versus-human figures.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid, NotFound
from huzhu.exchanges.models import Exchange, Notification
from huzhu.exchanges.notifications import notify_person
from huzhu.exchanges.queries import access_exchange
from huzhu.insights.models import Feedback, Improvement, Theme
from huzhu.text.contact import mask_contacts

logger = logging.getLogger(__name__)
ATTENTION_AT_MOST = 2  # ratings this low go to the organisers' queue
MAX_TEXT = 2000


@dataclass(frozen=True)
class FeedbackDraft:
    rating: int
    text: str = ""
    theme: str = ""
    exchange_id: int | None = None


def _validate(draft: FeedbackDraft) -> None:
    if not 1 <= draft.rating <= 5:
        raise Invalid(_("Choose a rating from 1 to 5."), field="rating")
    if draft.theme and draft.theme not in Theme.values:
        raise Invalid(_("Choose one of the themes."), field="theme")
    if len(draft.text) > MAX_TEXT:
        raise Invalid(_("Keep it under 2000 characters."), field="text")


def _completed_exchange(user: User, exchange_id: int) -> Exchange:
    exchange = access_exchange(user, exchange_id)
    if exchange.status != Exchange.Status.COMPLETED:
        raise Conflict(
            _("Feedback on an exchange waits until it is completed."), code="not_completed"
        )
    return exchange


@transaction.atomic
def give_feedback(*, user: User, draft: FeedbackDraft) -> Feedback:
    """Store one rating; one per exchange and person. Low ratings await the organisers."""
    _validate(draft)
    exchange = _completed_exchange(user, draft.exchange_id) if draft.exchange_id else None
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                user=user,
                exchange=exchange,
                rating=draft.rating,
                theme=draft.theme,
                text=mask_contacts(draft.text.strip()),
                created_at=timezone.now(),
                needs_attention=draft.rating <= ATTENTION_AT_MOST,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("You already gave feedback on this exchange."), code="already_given"
        ) from exc
    if feedback.needs_attention:
        logger.info("feedback %s (rating %s) awaits the organisers", feedback.pk, feedback.rating)
        _tell_organisers(feedback.created_at)
    return feedback


def _tell_organisers(now: datetime) -> None:
    """Each organiser (staff) hears of low ratings: one unread notice at a time each."""
    told = Notification.objects.filter(kind=Notification.Kind.FEEDBACK_LOW, read_at__isnull=True)
    organisers = User.objects.filter(is_staff=True, is_active=True).exclude(
        pk__in=told.values("user_id")
    )
    for organiser_id in organisers.values_list("pk", flat=True):
        notify_person(user_id=organiser_id, kind=Notification.Kind.FEEDBACK_LOW, now=now)


def organiser_queue() -> QuerySet[Feedback]:
    """Low ratings no organiser has handled yet, oldest first."""
    return Feedback.objects.filter(needs_attention=True, handled_at__isnull=True).order_by(
        "created_at", "pk"
    )


def access_feedback(feedback_id: int) -> Feedback:
    """A piece of feedback, for organisers (the views check who may call this)."""
    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        raise NotFound(_("Feedback not found."))
    return feedback


@transaction.atomic
def handle_feedback(*, organiser: User, feedback: Feedback, theme: str, done: bool) -> Feedback:
    """Tag the feedback with a theme and, if `done`, take it off the queue."""
    if theme and theme not in Theme.values:
        raise Invalid(_("Choose one of the themes."), field="theme")
    updates: dict[str, object] = {"theme": theme or feedback.theme}
    if done:
        if feedback.handled_at is not None:
            raise Conflict(_("This feedback was handled already."), code="already_handled")
        updates |= {"handled_at": timezone.now(), "handled_by": organiser}
    Feedback.objects.filter(pk=feedback.pk).update(**updates)
    logger.info("feedback %s handled by %s (done=%s)", feedback.pk, organiser.pk, done)
    feedback.refresh_from_db()
    return feedback


@transaction.atomic
def publish_improvement(
    *, organiser: User, title: str, body: str, themes: list[str]
) -> Improvement:
    """Add an entry to the public "what we improved" log."""
    if not title.strip():
        raise Invalid(_("Give the improvement a title."), field="title")
    if not body.strip():
        raise Invalid(_("Say what changed."), field="body")
    if not themes or any(theme not in Theme.values for theme in themes):
        raise Invalid(_("Choose the themes this answers."), field="themes")
    improvement = Improvement.objects.create(
        title=title.strip()[:200],
        body=body.strip(),
        themes=sorted(set(themes)),
        author=organiser,
        published_at=timezone.now(),
    )
    logger.info("improvement %s published by %s", improvement.pk, organiser.pk)
    return improvement


def improvements(theme: str = "") -> list[Improvement]:
    """The public log, newest first; only the entries answering `theme` when one is given."""
    entries = list(Improvement.objects.all()[:200])
    return [entry for entry in entries if not theme or theme in entry.themes]
