"""Notifications API: your own inbox, marking it read, and what you want by e-mail, SMS or
push."""

from datetime import time
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from huzhu.accounts.auth import api_auth, caller
from huzhu.errors import NotFound
from huzhu.exchanges import notifications, presenters, pushing, queries, webpush
from huzhu.exchanges.models import PushSubscription
from huzhu.exchanges.preferences import GROUPS, preferences_of, update_preferences
from huzhu.exchanges.schemas import (
    ErrorOut,
    MarkedReadOut,
    NotificationListOut,
    NotificationOut,
    NotificationPreferencesSchema,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
)

router = Router(tags=["notifications"])
# Mounted under /me: preferences belong to the person, like the rest of /me.
preferences_router = Router(tags=["notifications"])


@router.get(
    "",
    auth=api_auth,
    response={200: NotificationListOut, 401: ErrorOut, 422: ErrorOut},
    summary="Your notifications, newest first",
)
def list_notifications(request: HttpRequest, unread: bool = False) -> dict[str, Any]:
    user = caller(request)
    return {
        "items": [
            presenters.notification_data(n)
            for n in queries.notifications_of(user, unread_only=unread)
        ],
        "unread": queries.unread_count(user),
    }


@router.post(
    "/{notification_id}/read",
    auth=api_auth,
    response={200: NotificationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Mark one of your notifications read",
)
def mark_one_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    user = caller(request)
    queries.access_notification(user, notification_id)
    notifications.mark_read(user=user, notification_id=notification_id)
    return presenters.notification_data(queries.access_notification(user, notification_id))


@router.post(
    "/read-all",
    auth=api_auth,
    response={200: MarkedReadOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Mark all your notifications read",
)
def mark_all_read(request: HttpRequest) -> dict[str, Any]:
    return {"marked": notifications.mark_read(user=caller(request))}


@preferences_router.get(
    "/notification-preferences",
    auth=api_auth,
    response={200: NotificationPreferencesSchema, 401: ErrorOut},
    summary="Which notifications you also get by e-mail, SMS or push, and when not",
)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return preferences_of(caller(request).pk).as_data()


@preferences_router.put(
    "/notification-preferences",
    auth=api_auth,
    response={200: NotificationPreferencesSchema, 401: ErrorOut, 422: ErrorOut},
    summary="Choose which notifications you also get by e-mail, SMS or push",
    description="The seven e-mail booleans and `quiet` are required; `channels`, "
    "`quiet_hours`, `time_zone` and `sms_per_day` stay as they were when left out. `quiet` "
    "stops all e-mail whatever the others say; the in-app inbox records every notification "
    "either way. 422 for an unknown group or time zone.",
)
def put_preferences(request: HttpRequest, payload: NotificationPreferencesSchema) -> dict[str, Any]:
    user = caller(request)
    sent = payload.model_fields_set
    hours = payload.quiet_hours
    chosen = preferences_of(user.pk).with_choices(
        **{name: getattr(payload, name) for name in (*GROUPS, "quiet")},
        channels=payload.channels,
        quiet_hours=(
            "keep"
            if "quiet_hours" not in sent
            else (_time(hours.start), _time(hours.end))
            if hours
            else None
        ),
        time_zone=payload.time_zone,
        sms_per_day=payload.sms_per_day,
    )
    return update_preferences(user=user, preferences=chosen).as_data()


def _time(text: str) -> time:
    return time.fromisoformat(text)


@preferences_router.get(
    "/push-key",
    auth=api_auth,
    response={200: PushKeyOut, 401: ErrorOut},
    summary="The key a browser subscribes to web push with (VAPID, base64url)",
)
def push_key(request: HttpRequest) -> dict[str, str]:
    caller(request)
    return {"key": webpush.public_key()}


@preferences_router.post(
    "/push-subscriptions",
    auth=api_auth,
    response={201: PushSubscriptionOut, 401: ErrorOut, 422: ErrorOut},
    summary="Receive web push in this browser",
    description="The body is the browser's PushSubscription.toJSON(). Choose what is "
    "pushed with `channels` in /me/notification-preferences.",
)
def add_push_subscription(
    request: HttpRequest, payload: PushSubscriptionIn
) -> Status[dict[str, int]]:
    subscription = pushing.subscribe(
        user=caller(request),
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
    )
    return Status(201, {"id": subscription.pk})


@preferences_router.delete(
    "/push-subscriptions/{subscription_id}",
    auth=api_auth,
    response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Stop web push to one of your browsers",
)
def delete_push_subscription(request: HttpRequest, subscription_id: int) -> Status[None]:
    deleted, _rows = PushSubscription.objects.filter(
        pk=subscription_id, user=caller(request)
    ).delete()
    if not deleted:
        raise NotFound(_("No such subscription."))
    return Status(204, None)
