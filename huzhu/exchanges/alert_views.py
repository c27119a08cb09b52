"""Pages for one's own alerts and notification preferences. Plain forms; JavaScript only
offers to turn on web push in this browser."""

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.errors import DomainError
from huzhu.exchanges import alerts
from huzhu.exchanges.forms import AlertForm, ChannelsForm, PreferencesForm
from huzhu.exchanges.models import Alert
from huzhu.exchanges.preferences import Preferences, preferences_of, update_preferences
from huzhu.exchanges.texting import sealed_phone_of
from huzhu.labels import localised
from huzhu.places import nearest_place
from huzhu.posts.models import Post
from huzhu.web.users import signed_in_user

ALERT_FIELDS = {"radius_km", "item", "category", "kind", "lat", "lng"}


@dataclass(frozen=True, slots=True)
class AlertRow:
    """One alert as the page shows it: what, how far, around where (approximately)."""

    id: int
    kind_label: str
    what: str
    radius_km: str
    near: str
    created_at: datetime


def alert_row(alert: Alert) -> AlertRow:
    lat, lng = geo.area_centre(alert.area_cell)
    place = nearest_place(lat, lng)
    what = alert.item or alert.category
    return AlertRow(
        id=alert.pk,
        kind_label=str(Post.Kind(alert.kind).label),
        what=localised(what.name_en, what.name_zh),
        radius_km=f"{alert.radius_km:g}",
        near=str(place.name) if place else f"{round(lat, 2)}, {round(lng, 2)}",
        created_at=alert.created_at,
    )


def _render_alerts(request: HttpRequest, user: User, form: AlertForm) -> HttpResponse:
    rows = [alert_row(alert) for alert in alerts.alerts_of(user)]
    context = {"form": form, "rows": rows, "limit": settings.HUZHU_ALERTS_PER_USER}
    return render(request, "exchanges/alerts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def alerts_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "GET":
        return _render_alerts(request, user, AlertForm())
    form = AlertForm(request.POST)
    if form.is_valid():
        try:
            alerts.create_alert(owner=user, draft=form.to_draft())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in ALERT_FIELDS else None, exc.message)
        else:
            messages.success(request, _("Alert saved. New matching posts will reach your inbox."))
            return redirect("alerts")
    return _render_alerts(request, user, form)


@login_required
@require_POST
def alert_delete(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = alerts.access_alert(signed_in_user(request), alert_id)
    alerts.delete_alert(alert=alert)
    messages.success(request, _("Alert deleted."))
    return redirect("alerts")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    current = preferences_of(user.pk)
    form = PreferencesForm(initial=asdict(current))
    channels = ChannelsForm(initial=_channels_initial(current))
    if request.method == "POST" and request.POST.get("which") == "channels":
        channels = ChannelsForm(request.POST)
        if channels.is_valid() and _save_channels(request, user, current, channels):
            return redirect("notification_settings")
    elif request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            chosen = current.with_choices(**form.cleaned_data)
            update_preferences(user=user, preferences=chosen)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification_settings")
    context = {
        "form": form,
        "channels": channels,
        "has_email": bool(user.email),
        "has_phone": bool(sealed_phone_of(user.pk)),
    }
    status = 422 if form.errors or channels.errors else 200
    return render(request, "exchanges/notification_settings.html", context, status=status)


def _channels_initial(current: Preferences) -> dict[str, Any]:
    return {
        "sms": sorted(current.sms),
        "push": sorted(current.push),
        "quiet_start": current.quiet_start,
        "quiet_end": current.quiet_end,
        "time_zone": current.time_zone,
        "sms_per_day": current.sms_per_day,
    }


def _save_channels(
    request: HttpRequest, user: User, current: Preferences, channels: ChannelsForm
) -> bool:
    data = channels.cleaned_data
    start, end = data["quiet_start"], data["quiet_end"]
    try:
        chosen = current.with_choices(
            quiet_hours=(start, end) if start and end else None,
            time_zone=data["time_zone"],
            sms_per_day=data["sms_per_day"],
        )
        chosen = replace(chosen, sms=frozenset(data["sms"]), push=frozenset(data["push"]))
        update_preferences(user=user, preferences=chosen)
    except DomainError as exc:
        channels.add_error(exc.field if exc.field in channels.fields else None, exc.message)
        return False
    messages.success(request, _("Your notification settings are saved."))
    return True
