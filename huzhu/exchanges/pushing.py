"""Notifications by web push, to the browsers a person subscribed, for the groups where
they chose `push` (preferences.py). Like SMS (texting.py): a task per notification,
skipped once read, held through quiet hours, claimed once (`pushed_at`); the message is
the inbox sentence and a link, in the person's language."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from huzhu.accounts.gateways.http import DeliveryError
from huzhu.accounts.models import User
from huzhu.exchanges import webpush
from huzhu.exchanges.models import Notification, PushSubscription
from huzhu.exchanges.preferences import preferences_of
from huzhu.exchanges.sentences import describe
from huzhu.exchanges.texting import link_for

logger = logging.getLogger(__name__)


def wants_push(user_id: int, kind: str) -> bool:
    return (
        kind in preferences_of(user_id).pushed_kinds()
        and PushSubscription.objects.filter(user_id=user_id).exists()
    )


def schedule(notification_id: int) -> None:
    push_notification.enqueue(notification_id)


@transaction.atomic
def subscribe(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep a browser's subscription (a browser that moves to another account moves too)."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "created_at": timezone.now()},
    )
    return subscription


def send_push(notification_id: int, *, now: datetime | None = None) -> str:
    """Push one notification to every browser of its person; returns what happened."""
    now = now or timezone.now()
    notification = (
        Notification.objects.select_related(
            "user", "post", "exchange__post", "exchange__giver", "exchange__receiver"
        )
        .filter(pk=notification_id, user__is_active=True, read_at__isnull=True)
        .first()
    )
    if notification is None:
        return "skipped"
    preferences = preferences_of(notification.user_id)
    if notification.kind not in preferences.pushed_kinds() or preferences.is_quiet_at(now):
        return "not_now"
    claimed = Notification.objects.filter(pk=notification.pk, pushed_at__isnull=True).update(
        pushed_at=now
    )
    if claimed != 1:
        return "skipped"
    with translation.override(notification.user.locale or settings.LANGUAGE_CODE):
        message = {
            "title": _("Huzhu"),
            "body": describe(notification),
            "url": link_for(notification),
        }
    for subscription in PushSubscription.objects.filter(user_id=notification.user_id):
        try:
            webpush.push(
                endpoint=subscription.endpoint,
                p256dh=subscription.p256dh,
                auth=subscription.auth,
                message=message,
            )
        except webpush.Gone:
            subscription.delete()
            logger.info("push subscription %s gone", subscription.pk)
        except DeliveryError as exc:
            logger.warning("push to subscription %s failed: %s", subscription.pk, exc.code)
    return "pushed"


@task()
def push_notification(notification_id: int) -> str:
    """Push one notification to the person's subscribed browsers."""
    return send_push(notification_id)
