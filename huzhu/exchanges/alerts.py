"""Saved alerts: "tell me when someone within 3 km needs ibuprofen".

An alert names a kind, an item or a category, a private centre and a radius (1–50 km).
When a post is created, a background task (`fan_out_alerts`, enqueued on commit)
finds the alerts it matches and notifies their owners through the inbox and batched
e-mail. Candidates come from one indexed lookup on the alert's stored bounding box (same
category and kind, box around the post's point); the exact distance then decides. Each
person hears at most `HUZHU_ALERT_NOTIFICATIONS_PER_DAY` alerts per UTC day, counted in
`AlertQuota` by a conditional UPDATE, so concurrent fan-outs cannot exceed it.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.errors import Conflict, Invalid, NotFound
from huzhu.exchanges import notifications
from huzhu.exchanges.models import Alert, AlertQuota, Notification
from huzhu.posts.catalogue import find_item
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Category, Post
from huzhu.posts.search import MAX_RADIUS_KM, MIN_RADIUS_KM, bounding_box

logger = logging.getLogger(__name__)
AREA_PRECISION_M = 1000  # the approximate centre an alert shows, like a post's area


@dataclass(frozen=True)
class AlertDraft:
    kind: str
    lat: float
    lng: float
    radius_km: float
    item: str | None = None
    category: str | None = None


def _validate(draft: AlertDraft) -> tuple[Category, int | None]:
    if draft.kind not in Post.Kind.values:
        raise Invalid(_("Choose whether to hear about needs or offers."), field="kind")
    geo.check_point(draft.lat, draft.lng)
    if not MIN_RADIUS_KM <= draft.radius_km <= MAX_RADIUS_KM:
        raise Invalid(_("The radius must be between 1 and 50 km."), field="radius_km")
    if draft.item:
        item = find_item(draft.item)
        if item is None:
            raise Invalid(
                _("We do not know the item %(item)s.") % {"item": draft.item}, field="item"
            )
        if draft.category and draft.category != item.category.code:
            raise Invalid(
                _("%(item)s belongs to the category %(category)s.")
                % {"item": draft.item, "category": item.category.code},
                field="category",
            )
        return item.category, item.pk
    if not draft.category:
        raise Invalid(_("Choose an item or a category to hear about."), field="category")
    category = Category.objects.filter(code=draft.category).first()
    if category is None:
        raise Invalid(_("Unknown category %(code)s.") % {"code": draft.category}, field="category")
    return category, None


@transaction.atomic
def create_alert(*, owner: User, draft: AlertDraft) -> Alert:
    """Save an alert, unless `owner` already has as many as allowed (409)."""
    category, item_id = _validate(draft)
    # Lock the owner's row (PostgreSQL; SQLite's IMMEDIATE transaction already serialises
    # writers), so two concurrent creates cannot both pass the count below.
    User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True).first()
    limit = settings.HUZHU_ALERTS_PER_USER
    if Alert.objects.filter(user=owner).count() >= limit:
        raise Conflict(
            ngettext(
                "You can keep at most %(limit)d alert. Delete it to add another.",
                "You can keep at most %(limit)d alerts. Delete one to add another.",
                limit,
            )
            % {"limit": limit},
            code="alert_limit",
        )
    # Near a pole or the antimeridian there is no simple box: the whole globe is the box,
    # and the exact distance alone decides (such alerts are rare).
    box = bounding_box(draft.lat, draft.lng, draft.radius_km) or (-90.0, 90.0, -180.0, 180.0)
    return Alert.objects.create(
        user=owner,
        kind=draft.kind,
        category=category,
        item_id=item_id,
        radius_km=draft.radius_km,
        lat=draft.lat,
        lng=draft.lng,
        area_cell=geo.area_cell_for(draft.lat, draft.lng, AREA_PRECISION_M),
        lat_min=box[0],
        lat_max=box[1],
        lng_min=box[2],
        lng_max=box[3],
        created_at=timezone.now(),
    )


def delete_alert(*, alert: Alert) -> None:
    Alert.objects.filter(pk=alert.pk).delete()


def alerts_of(user: User) -> QuerySet[Alert]:
    return (
        Alert.objects.filter(user=user)
        .select_related("category", "item")
        .order_by("-created_at", "-id")
    )


def access_alert(viewer: User | AnonymousUser, alert_id: int) -> Alert:
    """One of `viewer`'s own alerts; anyone else's is NotFound (404)."""
    alert = alerts_of(viewer).filter(pk=alert_id).first() if isinstance(viewer, User) else None
    if alert is None:
        raise NotFound(_("Alert not found."))
    return alert


# --- Fan-out ------------------------------------------------------------------------------


def matching_alerts(post: Post) -> list[Alert]:
    """The alerts `post` matches, never its owner's own. Measured to the post's public
    point like search: an alert is an oracle its owner can move at will."""
    lat, lng = post.public_lat, post.public_lng
    candidates = (
        Alert.objects.filter(
            category_id=post.category_id,
            kind=post.kind,
            lat_min__lte=lat,
            lat_max__gte=lat,
            lng_min__lte=lng,
            lng_max__gte=lng,
        )
        .filter(Q(item__isnull=True) | Q(item_id=post.item_id))
        .exclude(user_id=post.owner_id)
        .filter(user__is_active=True)
    )
    return [
        alert
        for alert in candidates
        if geo.haversine_km(alert.lat, alert.lng, lat, lng) <= alert.radius_km
    ]


def _claim_quota(user_id: int, now: datetime) -> bool:
    """Count one more alert for this person today, or False if they had their share."""
    day = now.date()
    AlertQuota.objects.bulk_create([AlertQuota(user_id=user_id, day=day)], ignore_conflicts=True)
    claimed = AlertQuota.objects.filter(
        user_id=user_id, day=day, sent__lt=settings.HUZHU_ALERT_NOTIFICATIONS_PER_DAY
    ).update(sent=F("sent") + 1)
    return claimed == 1


def _notify_one(user_id: int, post: Post, now: datetime) -> bool:
    """Notify one person of `post`, within their daily cap and at most once."""
    if Notification.objects.filter(
        user_id=user_id, post=post, kind=Notification.Kind.ALERT
    ).exists():
        return False  # a retry of the task: already told
    try:
        with transaction.atomic():
            if not _claim_quota(user_id, now):
                return False
            notifications.record(
                user_id=user_id, kind=Notification.Kind.ALERT, post_id=post.pk, now=now
            )
    except IntegrityError:
        return False  # a concurrent run told them first; our quota claim rolled back
    return True


def notify_matching_alerts(*, post_id: int, now: datetime | None = None) -> int:
    """Tell the owners of the alerts a new post matches. Returns how many were told."""
    now = now or timezone.now()
    post = Post.objects.filter(pk=post_id).first()
    if post is None or post.status not in LISTED:
        return 0  # deleted or withdrawn before the worker got to it
    told = 0
    for user_id in sorted({alert.user_id for alert in matching_alerts(post)}):
        told += _notify_one(user_id, post, now)
    logger.info("post %s: alerted %s people", post_id, told)
    return told


def schedule_fan_out(post_id: int) -> None:
    """Enqueue the fan-out for a post that has just been committed."""
    fan_out_alerts.enqueue(post_id)


@task()
def fan_out_alerts(post_id: int) -> int:
    """Notify the owners of the saved alerts a new post matches."""
    return notify_matching_alerts(post_id=post_id)
