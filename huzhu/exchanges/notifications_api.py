"""Notifications API: your own inbox, marking it read, and what you want by e-mail."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router

from huzhu.accounts.auth import api_auth, caller
from huzhu.exchanges import notifications, presenters, queries
from huzhu.exchanges.preferences import Preferences, preferences_of, update_preferences
from huzhu.exchanges.schemas import (
    ErrorOut,
    MarkedReadOut,
    NotificationListOut,
    NotificationOut,
    NotificationPreferencesSchema,
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
    summary="Which notifications you also get by e-mail",
)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return asdict(preferences_of(caller(request).pk))


@preferences_router.put(
    "/notification-preferences",
    auth=api_auth,
    response={200: NotificationPreferencesSchema, 401: ErrorOut, 422: ErrorOut},
    summary="Choose which notifications you also get by e-mail",
    description="Every field is required. `quiet` stops all e-mail whatever the others say; "
    "the in-app inbox records every notification either way.",
)
def put_preferences(request: HttpRequest, payload: NotificationPreferencesSchema) -> dict[str, Any]:
    chosen = Preferences(**payload.dict())
    return asdict(update_preferences(user=caller(request), preferences=chosen))
