"""Per-person notification preferences: which kinds go by e-mail, SMS or push, and when not.

The inbox records every notification whatever these say; they decide the other channels.
The choices are grouped as people think of them: a cancelled exchange is told like a
declined one, and so are a dispute and its settlement; a request to share contact like a
message, "handed over" like "completed". E-mail covers the first seven groups (one column
each, as before); SMS and push are chosen per group in `channels`, SMS on by default for
what needs the person's action. Quiet hours are in the person's time zone; SMS stops for
the day at `sms_per_day`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Invalid
from huzhu.exchanges.models import Notification, NotificationPreferences

Kind = Notification.Kind

# Preference name -> the notification kinds it covers (e-mail has a column for each).
GROUPS: dict[str, tuple[str, ...]] = {
    "response": (Kind.RESPONSE,),
    "accepted": (Kind.ACCEPTED,),
    "declined": (Kind.DECLINED, Kind.CANCELLED, Kind.DISPUTED, Kind.SETTLED),
    "message": (Kind.MESSAGE, Kind.REVEAL),
    "completed": (Kind.HANDED_OVER, Kind.COMPLETED),
    "checkin": (Kind.CHECKIN,),
    "alert": (Kind.ALERT,),
}
# Groups that go by SMS or push only: what happens to the person's standing.
OTHER_GROUPS: dict[str, tuple[str, ...]] = {
    "sanction": (Kind.SANCTION, Kind.TRUST_WARNING),
    "feedback": (Kind.FEEDBACK_LOW,),  # organisers: a low rating of the platform
    "review": (Kind.REVIEW,),
}
ALL_GROUPS = {**GROUPS, **OTHER_GROUPS}
CHANNELS = ("email", "sms", "push")
# SMS by default for what needs action; "completed" is news, not a request.
SMS_BY_DEFAULT = frozenset(ALL_GROUPS) - {"completed"}


# About the person's own access, not an exchange: e-mailed unless they are quiet (a
# suspended person cannot log in to read the inbox).
ALWAYS_EMAILED: tuple[str, ...] = (Kind.SANCTION,)


@dataclass(frozen=True)
class Preferences:
    response: bool = True
    accepted: bool = True
    declined: bool = True
    message: bool = True
    completed: bool = True
    checkin: bool = True
    alert: bool = True
    quiet: bool = False
    sms: frozenset[str] = SMS_BY_DEFAULT
    push: frozenset[str] = frozenset()
    quiet_start: time | None = None
    quiet_end: time | None = None
    time_zone: str = "Asia/Shanghai"
    sms_per_day: int = field(default_factory=lambda: settings.HUZHU_SMS_PER_DAY)

    def emailed_kinds(self) -> set[str]:
        """The notification kinds to e-mail; none while quiet."""
        if self.quiet:
            return set()
        chosen = {kind for name, kinds in GROUPS.items() if getattr(self, name) for kind in kinds}
        return chosen | set(ALWAYS_EMAILED)

    def texted_kinds(self) -> set[str]:
        return {kind for name in self.sms for kind in ALL_GROUPS[name]}

    def pushed_kinds(self) -> set[str]:
        return {kind for name in self.push for kind in ALL_GROUPS[name]}

    def channels(self) -> dict[str, list[str]]:
        """Each group's channels, as the API shows them."""
        chosen: dict[str, list[str]] = {}
        for name in ALL_GROUPS:
            on = {"email": name in GROUPS and bool(getattr(self, name))}
            on |= {"sms": name in self.sms, "push": name in self.push}
            chosen[name] = [channel for channel in CHANNELS if on[channel]]
        return chosen

    def as_data(self) -> dict[str, Any]:
        """What the API and the data export show."""
        hours = None
        if self.quiet_start is not None and self.quiet_end is not None:
            hours = {
                "start": self.quiet_start.strftime("%H:%M"),
                "end": self.quiet_end.strftime("%H:%M"),
            }
        return {
            **{name: getattr(self, name) for name in GROUPS},
            "quiet": self.quiet,
            "channels": self.channels(),
            "quiet_hours": hours,
            "time_zone": self.time_zone,
            "sms_per_day": self.sms_per_day,
        }

    def with_choices(
        self,
        *,
        channels: Mapping[str, Sequence[str]] | None = None,
        quiet_hours: tuple[time, time] | Literal["keep"] | None = "keep",
        time_zone: str | None = None,
        sms_per_day: int | None = None,
        **emailed: bool,
    ) -> "Preferences":
        """These preferences with what was chosen; what was not sent stays as it was.
        `channels` wins over the e-mail booleans for the groups it names."""
        changes: dict[str, Any] = dict(emailed)
        if channels is not None:
            unknown = set(channels) - set(ALL_GROUPS)
            if unknown:
                raise Invalid(_("Unknown notification group."), field="channels")
            for name, chosen in channels.items():
                if name in GROUPS:
                    changes[name] = "email" in chosen
            sms, push = set(self.sms), set(self.push)
            for name, chosen in channels.items():
                (sms.add if "sms" in chosen else sms.discard)(name)
                (push.add if "push" in chosen else push.discard)(name)
            changes |= {"sms": frozenset(sms), "push": frozenset(push)}
        if quiet_hours != "keep":
            start, end = quiet_hours if quiet_hours else (None, None)
            changes |= {"quiet_start": start, "quiet_end": end}
        if time_zone is not None:
            changes["time_zone"] = check_time_zone(time_zone)
        if sms_per_day is not None:
            changes["sms_per_day"] = sms_per_day
        return replace(self, **changes)

    def is_quiet_at(self, moment: datetime) -> bool:
        """Whether `moment` falls in the quiet hours, read in the person's time zone."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        local = moment.astimezone(ZoneInfo(self.time_zone)).time()
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end  # across midnight


def check_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(_("Unknown time zone."), field="time_zone") from exc
    return name


def preferences_of(user_id: int) -> Preferences:
    row = NotificationPreferences.objects.filter(user_id=user_id).first()
    if row is None:
        return Preferences()
    stored = row.channels or {}
    return Preferences(
        **{name: getattr(row, f"email_{name}") for name in GROUPS},
        quiet=row.quiet,
        sms=frozenset(name for name in ALL_GROUPS if "sms" in stored.get(name, _default(name))),
        push=frozenset(name for name in ALL_GROUPS if "push" in stored.get(name, [])),
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        time_zone=row.time_zone,
        sms_per_day=row.sms_per_day,
    )


def _default(name: str) -> list[str]:
    return ["sms"] if name in SMS_BY_DEFAULT else []


def update_preferences(*, user: User, preferences: Preferences) -> Preferences:
    """Store `user`'s choices (one row, created on first save)."""
    check_time_zone(preferences.time_zone)
    fields = {f"email_{name}": getattr(preferences, name) for name in GROUPS}
    channels = {
        name: [c for c in ("sms", "push") if name in getattr(preferences, c)] for name in ALL_GROUPS
    }
    NotificationPreferences.objects.update_or_create(
        user=user,
        defaults={
            **fields,
            "quiet": preferences.quiet,
            "channels": channels,
            "quiet_start": preferences.quiet_start,
            "quiet_end": preferences.quiet_end,
            "time_zone": preferences.time_zone,
            "sms_per_day": preferences.sms_per_day,
            "updated_at": timezone.now(),
        },
    )
    return preferences_of(user.pk)


def wants_email(user_id: int, kind: str) -> bool:
    return kind in preferences_of(user_id).emailed_kinds()
