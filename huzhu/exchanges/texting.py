"""Notifications by SMS, for phone-verified people, about what needs their action.

`record()` (notifications.py) calls `schedule()` on commit for a kind the person texts;
a background task then calls `send_text()`. A relay message waits
HUZHU_SMS_MESSAGE_DELAY_MINUTES and is texted only if still unread; every kind is skipped
once read. Quiet hours (the person's time zone) move the text to their end. The daily cap
counts texts in the person's local day; beyond it the inbox (and e-mail) still tell.
The notification row is claimed by a conditional UPDATE of `texted_at`, so a retried
task never texts twice; other texts due at the same moment are claimed into the same SMS
("and 2 more updates", linking to the inbox). The text is short, in the person's
language, with a link; the phone number comes sealed from the verified phone and is
opened only to send.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from huzhu import keys
from huzhu.accounts import outbox
from huzhu.exchanges.models import Notification
from huzhu.exchanges.preferences import Preferences, preferences_of
from huzhu.exchanges.sentences import describe
from huzhu.trust.models import VerifiedPhone

logger = logging.getLogger(__name__)
Kind = Notification.Kind
BATCH_WINDOW = timedelta(minutes=15)  # what is due together goes in one text


def sealed_phone_of(user_id: int) -> str:
    """The sealed number Huzhu may text, or "" (no verified phone, or verified before
    Huzhu kept a sealed copy: the person signs in by phone once and it is kept)."""
    found = VerifiedPhone.objects.filter(user_id=user_id).values_list("sealed_contact", flat=True)
    return found.first() or ""


def wants_text(user_id: int, kind: str) -> bool:
    return kind in preferences_of(user_id).texted_kinds() and bool(sealed_phone_of(user_id))


def _not_before(notification: Notification, preferences: Preferences, now: datetime) -> datetime:
    """When this text may go: after the message delay, and out of quiet hours."""
    moment = now
    if notification.kind == Kind.MESSAGE:
        delay = timedelta(minutes=settings.HUZHU_SMS_MESSAGE_DELAY_MINUTES)
        moment = max(moment, notification.created_at + delay)
    step = 0
    while preferences.is_quiet_at(moment) and step < 24 * 4:
        moment += timedelta(minutes=15)  # quarter-hour steps: quiet hours end on a minute
        step += 1
    return moment


def schedule(notification_id: int) -> None:
    """Enqueue the text task for when it may go (on commit of the notification)."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return
    when = _not_before(notification, preferences_of(notification.user_id), timezone.now())
    task = text_notification
    if when > timezone.now() and task.get_backend().supports_defer:
        task = task.using(run_after=when)
    task.enqueue(notification_id)


def _texted_today(user_id: int, preferences: Preferences, now: datetime) -> int:
    zone = ZoneInfo(preferences.time_zone)
    local_midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    # A batch shares one moment: each distinct moment is one SMS.
    texted = Notification.objects.filter(user_id=user_id, texted_at__gte=local_midnight)
    return texted.values("texted_at").distinct().count()


def link_for(notification: Notification) -> str:
    if notification.kind == Kind.SANCTION:
        return f"{settings.SITE_URL}/me/sanctions"
    if notification.kind == Kind.FEEDBACK_LOW:
        return f"{settings.SITE_URL}/organisers/feedback"
    if notification.exchange_id is not None:
        return f"{settings.SITE_URL}/exchanges/{notification.exchange_id}"
    if notification.post_id is not None:
        anchor = "#still-needed" if notification.kind == Kind.CHECKIN else ""
        return f"{settings.SITE_URL}/posts/{notification.post_id}{anchor}"
    return f"{settings.SITE_URL}/me/inbox"


def render_text(notification: Notification, locale: str, *, more: int = 0) -> str:
    """The SMS: the newest sentence, how many more wait (then the link is the inbox)."""
    with translation.override(locale or settings.LANGUAGE_CODE):
        text = describe(notification)
        link = link_for(notification)
        if more:
            text += " " + ngettext(
                "And %(count)d more update.", "And %(count)d more updates.", more
            ) % {"count": more}
            link = f"{settings.SITE_URL}/me/inbox"
        elif notification.kind == Kind.CHECKIN:
            text += " " + _("Reply 1 if still needed, 0 if not.")
        return _("Huzhu: %(text)s %(link)s") % {"text": text, "link": link}


def send_text(notification_id: int, *, now: datetime | None = None) -> str:  # noqa: PLR0911 - one return per reason, each named
    """Text one notification if it still needs it; returns what happened."""
    now = now or timezone.now()
    notification = (
        Notification.objects.select_related(
            "user", "post", "exchange__post", "exchange__giver", "exchange__receiver"
        )
        .filter(pk=notification_id, user__is_active=True)
        .first()
    )
    if notification is None or notification.texted_at is not None:
        return "skipped"
    if notification.read_at is not None:
        return "read"
    preferences = preferences_of(notification.user_id)
    sealed = sealed_phone_of(notification.user_id)
    if notification.kind not in preferences.texted_kinds() or not sealed:
        return "not_wanted"
    if _not_before(notification, preferences, now) > now:
        schedule(notification.pk)  # too early (quiet hours began since), try again then
        return "later"
    if _texted_today(notification.user_id, preferences, now) >= preferences.sms_per_day:
        return "capped"
    claimed = Notification.objects.filter(pk=notification.pk, texted_at__isnull=True).update(
        texted_at=now
    )
    if claimed != 1:
        return "skipped"
    more = _claim_batch(notification, preferences, now)
    body = render_text(notification, notification.user.locale, more=more)
    outbox.send_sms(keys.unseal(sealed), body)
    logger.info("notification %s texted (with %d more)", notification.pk, more)
    return "texted"


def _claim_batch(notification: Notification, preferences: Preferences, now: datetime) -> int:
    """Take this person's other texts that are due now into this one: one SMS, not five.
    Their own tasks then find them claimed."""
    others = Notification.objects.filter(
        user_id=notification.user_id,
        texted_at__isnull=True,
        read_at__isnull=True,
        kind__in=preferences.texted_kinds(),
        created_at__gte=now - BATCH_WINDOW,
    ).exclude(pk=notification.pk)
    due = [other.pk for other in others if _not_before(other, preferences, now) <= now]
    if not due:
        return 0
    return Notification.objects.filter(pk__in=due, texted_at__isnull=True).update(texted_at=now)


@task()
def text_notification(notification_id: int) -> str:
    """Text one notification to a phone-verified person, if it still needs it."""
    return send_text(notification_id)
