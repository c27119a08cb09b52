"""Per-person notification preferences: which kinds also go by e-mail, and "quiet".

The inbox records every notification whatever these say; they only decide e-mail. The
choices are grouped as people think of them: a cancelled exchange is told like a declined
one, and so are a dispute and its settlement; a request to share contact like a message,
"handed over" like "completed".
"""

from dataclasses import asdict, dataclass

from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.exchanges.models import Notification, NotificationPreferences

Kind = Notification.Kind

# Preference name -> the notification kinds it covers.
GROUPS: dict[str, tuple[str, ...]] = {
    "response": (Kind.RESPONSE,),
    "accepted": (Kind.ACCEPTED,),
    "declined": (Kind.DECLINED, Kind.CANCELLED, Kind.DISPUTED, Kind.SETTLED),
    "message": (Kind.MESSAGE, Kind.REVEAL),
    "completed": (Kind.HANDED_OVER, Kind.COMPLETED),
    "checkin": (Kind.CHECKIN,),
    "alert": (Kind.ALERT,),
}


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

    def emailed_kinds(self) -> set[str]:
        """The notification kinds to e-mail; none while quiet."""
        if self.quiet:
            return set()
        chosen = {kind for name, kinds in GROUPS.items() if getattr(self, name) for kind in kinds}
        return chosen | set(ALWAYS_EMAILED)


def preferences_of(user_id: int) -> Preferences:
    row = NotificationPreferences.objects.filter(user_id=user_id).first()
    if row is None:
        return Preferences()
    return Preferences(
        **{name: getattr(row, f"email_{name}") for name in GROUPS},
        quiet=row.quiet,
    )


def update_preferences(*, user: User, preferences: Preferences) -> Preferences:
    """Store `user`'s choices (one row, created on first save)."""
    values = asdict(preferences)
    fields = {f"email_{name}": values[name] for name in GROUPS}
    NotificationPreferences.objects.update_or_create(
        user=user, defaults={**fields, "quiet": values["quiet"], "updated_at": timezone.now()}
    )
    return preferences_of(user.pk)


def wants_email(user_id: int, kind: str) -> bool:
    return kind in preferences_of(user_id).emailed_kinds()
