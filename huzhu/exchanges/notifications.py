"""The inbox: who hears about what, the text they read, batched e-mail and SMS.

A notification row is written in the same transaction as the change it reports, so the
inbox never mentions an exchange that rolled back. E-mail is a side effect: it is
scheduled on commit (a background task), sent through the outbox adapter only to people
with an e-mail address, and batched: at most one e-mail per person per `EMAIL_WINDOW`,
summarising everything still unread. The text never quotes a message and masks contact
details in names and titles. Per-person preferences (preferences.py) decide which kinds
also go by e-mail or SMS (texting.py); the inbox records them all.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from huzhu.accounts import outbox
from huzhu.accounts.models import User
from huzhu.exchanges import pushing, texting
from huzhu.exchanges.models import Exchange, Notification, NotificationEmailState
from huzhu.exchanges.preferences import preferences_of, wants_email
from huzhu.exchanges.sentences import describe

Kind = Notification.Kind
EMAIL_WINDOW = timedelta(minutes=15)
EMAIL_LINES = 5  # the newest few in full; the rest as "and N more"


def notify(*, user_id: int, kind: str, exchange: Exchange, now: datetime) -> None:
    """Tell `user_id` about `exchange`. Call inside the transaction that made the change.

    Messages collapse: while an earlier "new messages" entry for the same exchange is
    still unread and not yet e-mailed, it is moved to the top instead of repeated.
    """
    if kind == Kind.MESSAGE:
        bumped = Notification.objects.filter(
            user_id=user_id,
            kind=kind,
            exchange=exchange,
            read_at__isnull=True,
            emailed_at__isnull=True,
        ).update(created_at=now)
        if bumped:
            return
    record(user_id=user_id, kind=kind, post_id=exchange.post_id, exchange=exchange, now=now)


def notify_person(
    *, user_id: int, kind: str, now: datetime, sanction_id: int | None = None
) -> None:
    """Tell `user_id` something about themselves, not about a post (e.g. their trust level,
    or a sanction: `sanction_id`)."""
    record(user_id=user_id, kind=kind, post_id=None, now=now, sanction_id=sanction_id)


def record(
    *,
    user_id: int,
    kind: str,
    post_id: int | None,
    now: datetime,
    exchange: Exchange | None = None,
    sanction_id: int | None = None,
) -> Notification:
    """Write the inbox entry and, if this person wants it by e-mail, schedule the e-mail."""
    by_email = User.objects.filter(pk=user_id).exclude(email="").exists() and wants_email(
        user_id, kind
    )
    notification = Notification.objects.create(
        user_id=user_id,
        kind=kind,
        exchange=exchange,
        post_id=post_id,
        sanction_id=sanction_id,
        created_at=now,
        email_due=by_email,
    )
    if by_email:
        # robust: the change has committed; a failed enqueue is logged, not an error page,
        # and the entry still waits in the inbox (and for the next e-mail).
        transaction.on_commit(partial(schedule_email, user_id), robust=True)
    if texting.wants_text(user_id, kind):
        transaction.on_commit(partial(texting.schedule, notification.pk), robust=True)
    if pushing.wants_push(user_id, kind):
        transaction.on_commit(partial(pushing.schedule, notification.pk), robust=True)
    return notification


def schedule_email(user_id: int) -> None:
    """Enqueue the e-mail task for when this person's batching window ends."""
    last = (
        NotificationEmailState.objects.filter(user_id=user_id)
        .values_list("last_sent_at", flat=True)
        .first()
    )
    task = email_notifications
    window_open = last is not None and last + EMAIL_WINDOW > timezone.now()
    # A backend without deferral runs the task now; it finds the window taken and leaves
    # the entry for the next e-mail. The database backend (production) defers.
    if window_open and last is not None and task.get_backend().supports_defer:
        task = task.using(run_after=last + EMAIL_WINDOW)
    task.enqueue(user_id)


@dataclass(frozen=True)
class Entry:
    """A notification as a reader sees it."""

    id: int
    kind: str
    exchange_id: int | None
    post_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None


def entry_for(notification: Notification) -> Entry:
    return Entry(
        id=notification.pk,
        kind=notification.kind,
        exchange_id=notification.exchange_id,
        post_id=notification.post_id,
        text=describe(notification),
        created_at=notification.created_at,
        read_at=notification.read_at,
    )


def _claim_window(user_id: int, now: datetime) -> bool:
    """Take this person's e-mail window, or False if an e-mail went out within it."""
    NotificationEmailState.objects.bulk_create(
        [NotificationEmailState(user_id=user_id)], ignore_conflicts=True
    )
    claimed = (
        NotificationEmailState.objects.filter(user_id=user_id)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - EMAIL_WINDOW))
        .update(last_sent_at=now)
    )
    return claimed == 1


def _link(notification: Notification) -> str:
    """A check-in or an alert links straight to its post, where the answer buttons are."""
    if notification.kind == Kind.CHECKIN:
        return f" {settings.SITE_URL}/posts/{notification.post_id}#still-needed"
    if notification.kind == Kind.ALERT:
        return f" {settings.SITE_URL}/posts/{notification.post_id}"
    return ""


def render_email(user: User, entries: list[Notification]) -> tuple[str, str]:
    """Subject and plain-text body, in the person's language. Names and titles are escaped."""
    with translation.override(user.locale or settings.LANGUAGE_CODE):
        subject = ngettext("Huzhu: %(count)d update", "Huzhu: %(count)d updates", len(entries)) % {
            "count": len(entries)
        }
        lines = [f"- {describe(n, escape=True)}{_link(n)}" for n in entries[:EMAIL_LINES]]
        more = len(entries) - EMAIL_LINES
        if more > 0:
            lines.append(
                ngettext("…and %(count)d more update.", "…and %(count)d more updates.", more)
                % {"count": more}
            )
        footer = _("Read and answer them in your inbox: %(url)s") % {
            "url": f"{settings.SITE_URL}/me/inbox"
        }
    return subject, "\n".join([*lines, "", footer])


@transaction.atomic
def send_due_email(*, user_id: int, now: datetime | None = None) -> bool:
    """E-mail one person what is unread and not yet e-mailed, if their window allows."""
    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    # Preferences are read again here: a kind switched off (or "quiet") since the entry
    # was written is not e-mailed.
    kinds = preferences_of(user_id).emailed_kinds()
    due = Notification.objects.filter(
        user_id=user_id,
        email_due=True,
        emailed_at__isnull=True,
        read_at__isnull=True,
        kind__in=kinds,
    )
    if not due.exists() or not _claim_window(user_id, now):
        return False
    entries = list(
        due.select_related(
            "post", "exchange__post", "exchange__giver", "exchange__receiver"
        ).order_by("-created_at", "-id")
    )
    # Marked before sending: if the gateway then fails, the entries stay in the inbox
    # rather than being e-mailed twice by a retry.
    Notification.objects.filter(pk__in=[n.pk for n in entries]).update(emailed_at=now)
    subject, body = render_email(user, entries)
    transaction.on_commit(partial(outbox.send_email, user.email, subject, body))
    return True


def mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of `user`'s notifications read, or all of them. Returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


@task()
def email_notifications(user_id: int) -> bool:
    """Send one person's batched notification e-mail if their window has passed."""
    return send_due_email(user_id=user_id)
