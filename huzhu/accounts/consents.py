"""The consent centre: what a person allows Huzhu to do with their activity.

Every purpose is off until the person turns it on. Each change is appended to
`ConsentChange` with its time and never edited, so the page can show the whole history.
Turning a purpose off deletes what it had stored: the "for you" feed's profile goes with
the feed, and what was learned from someone's offers goes with that use.
Notification channels have their own page (`exchanges/preferences.py`).
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from huzhu.accounts.models import ConsentChange, User

Purpose = ConsentChange.Purpose
# What happens when someone's consents change: the apps that store something under a purpose
# register (insights' "for you" feed, in insights/apps.py), so accounts imports none of them.
_on_change: list[Callable[[User, "Consents"], None]] = []


def on_consents_changed(listener: Callable[[User, "Consents"], None]) -> None:
    """`listener(user, consents)` runs in the change's transaction and deletes what a
    withdrawn purpose stored."""
    if listener not in _on_change:
        _on_change.append(listener)


@dataclass(frozen=True)
class Consents:
    for_you_feed: bool = False
    activity_recommendations: bool = False
    public_thanks: bool = False


PURPOSES = tuple(f.name for f in fields(Consents))


def consents_of(user_id: int) -> Consents:
    latest: dict[str, bool] = {}
    changes = ConsentChange.objects.filter(user_id=user_id).order_by("-at", "-pk")
    for purpose, granted in changes.values_list("purpose", "granted"):
        latest.setdefault(purpose, granted)
    return Consents(**{name: latest.get(name, False) for name in PURPOSES})


def has_consented(user_id: int, purpose: str) -> bool:
    """For other apps (e.g. public thank-you notes): does this person allow `purpose`?"""
    return bool(getattr(consents_of(user_id), purpose))


def consent_now(purpose: str, user_field: str) -> Subquery:
    """A subquery for querysets: whether the person in `user_field` allows `purpose` now
    (their latest change for it; NULL, i.e. no, without one)."""
    latest = ConsentChange.objects.filter(user_id=OuterRef(user_field), purpose=purpose)
    return Subquery(latest.order_by("-at", "-pk").values("granted")[:1])


def history_of(user_id: int) -> list[ConsentChange]:
    """Every change, newest first."""
    return list(ConsentChange.objects.filter(user_id=user_id).order_by("-at", "-pk"))


@transaction.atomic
def update_consents(*, user: User, consents: Consents) -> Consents:
    """Record each purpose whose answer changes; delete what a withdrawn purpose stored."""
    # Lock the person's row so two concurrent saves cannot both record the same change.
    User.objects.select_for_update().filter(pk=user.pk).exists()
    now = timezone.now()
    before, after = asdict(consents_of(user.pk)), asdict(consents)
    ConsentChange.objects.bulk_create(
        ConsentChange(user=user, purpose=name, granted=after[name], at=now)
        for name in PURPOSES
        if before[name] != after[name]
    )
    for listener in _on_change:
        listener(user, consents)
    return consents_of(user.pk)
