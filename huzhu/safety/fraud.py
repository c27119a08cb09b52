"""Fraud signals for the moderation console: each one a query over the last
HUZHU_FRAUD_SIGNALS["days"], with thresholds in settings, shown with its evidence.

A signal is not a verdict: it points a moderator at a person, who then warns or suspends
through the ordinary sanctions flow (the person's page in the console), with a reason.

- scarce_needs: many needs for scarce items (catalogue items with a per-need cap), or
  responses asking for them;
- no_shows: hand-overs that repeatedly did not happen;
- reports: many different people reporting one person, their posts or messages;
- shared_address: many accounts signed up from one address (a keyed hash, never the
  address; counted per key version, so a key rotation briefly splits the counts);
- new_account_asks: an account in its first week asking for a lot in total, in needs and
  in responses to offers.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huzhu import keys
from huzhu.accounts.models import User
from huzhu.exchanges.models import Exchange, Message, NoShow
from huzhu.posts.models import Post
from huzhu.safety.models import Report, SignupAddress

LIMIT = 50  # rows per signal: the console is a work list, not a report

LABELS: dict[str, Promise] = {
    "scarce_needs": gettext_lazy("Many needs for scarce items"),
    "no_shows": gettext_lazy("Repeated no-shows"),
    "reports": gettext_lazy("Reported by many people"),
    "shared_address": gettext_lazy("Many accounts from one address"),
    "new_account_asks": gettext_lazy("A new account asking for a lot"),
}


@dataclass(frozen=True)
class Signal:
    code: str
    user_id: int
    display_name: str
    evidence: str  # what a moderator checks first, in their language; ids only, no contacts

    @property
    def label(self) -> str:
        return str(LABELS[self.code])


def record_signup_address(*, user: User, address: str, now: datetime) -> None:
    """Keep the keyed hash of the sign-up address. Call inside the sign-up's transaction."""
    if not address:
        return
    version = keys.current_version()
    SignupAddress.objects.create(
        user=user,
        address_hash=keys.digest(address, purpose="signup-address", version=version),
        key_version=version,
        created_at=now,
    )


def _threshold(name: str) -> int:
    return int(settings.HUZHU_FRAUD_SIGNALS[name])


def _since(now: datetime) -> datetime:
    return now - timedelta(days=_threshold("days"))


def _names(user_ids: list[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=user_ids).values_list("pk", "display_name"))


def _asks(rows: Any, responses: Any) -> dict[int, dict[str, int]]:
    """Needs and responses to offers per person: {user: {needs, responses, quantity}}."""
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ASKED, 0))
    for row in rows:
        found[row["owner_id"]]["needs"] += row["count"]
        found[row["owner_id"]]["quantity"] += row["quantity"] or 0
    for row in responses:
        found[row["receiver_id"]]["responses"] += row["count"]
        found[row["receiver_id"]]["quantity"] += row["quantity"] or 0
    return found


ASKED = ("needs", "responses", "quantity")


def _count(ask: dict[str, int]) -> int:
    return ask["needs"] + ask["responses"]


def _per_owner(posts: Any) -> Any:
    return posts.values("owner_id").annotate(count=Count("pk"), quantity=Sum("quantity"))


def _per_receiver(exchanges: Any) -> Any:
    return (
        exchanges.filter(post__kind=Post.Kind.OFFER)
        .values("receiver_id")
        .annotate(count=Count("pk"), quantity=Sum("quantity"))
    )


def scarce_needs(now: datetime) -> list[Signal]:
    """Many needs for scarce items, or responses asking for them (counted together)."""
    since = _since(now)
    asks = _asks(
        _per_owner(
            Post.objects.filter(
                kind=Post.Kind.NEED, item__max_per_need__isnull=False, created_at__gt=since
            )
        ),
        _per_receiver(
            Exchange.objects.filter(post__item__max_per_need__isnull=False, created_at__gt=since)
        ),
    )
    flagged = sorted(
        (
            user
            for user, ask in asks.items()
            if ask["needs"] + ask["responses"] >= _threshold("scarce_needs")
        ),
        key=lambda user: -(asks[user]["needs"] + asks[user]["responses"]),
    )[:LIMIT]
    names = _names(flagged)
    return [
        Signal(
            "scarce_needs",
            user,
            names.get(user, ""),
            _(
                "%(needs)d needs and %(responses)d responses for scarce items, "
                "%(quantity)d pieces in all"
            )
            % asks[user],
        )
        for user in flagged
    ]


def no_shows(now: datetime) -> list[Signal]:
    rows = (
        NoShow.objects.filter(created_at__gt=_since(now), overturned=False)
        .values("reported_user_id")
        .annotate(count=Count("pk"))
        .filter(count__gte=_threshold("no_shows"))
        .order_by("-count")[:LIMIT]
    )
    names = _names([row["reported_user_id"] for row in rows])
    return [
        Signal(
            "no_shows",
            row["reported_user_id"],
            names.get(row["reported_user_id"], ""),
            _("%(count)d hand-overs that did not happen") % {"count": row["count"]},
        )
        for row in rows
    ]


def reports(now: datetime) -> list[Signal]:
    """People reported by many different reporters, counting reports on them, their posts
    and their messages."""
    found = list(
        Report.objects.filter(created_at__gt=_since(now), reporter__isnull=False).values_list(
            "target_type", "target_id", "reporter_id"
        )[:5000]
    )
    post_ids = [tid for kind, tid, _r in found if kind == Report.Target.POST]
    message_ids = [tid for kind, tid, _r in found if kind == Report.Target.MESSAGE]
    owners = dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "owner_id"))
    authors = dict(Message.objects.filter(pk__in=message_ids).values_list("pk", "author_id"))
    reporters: dict[int, set[int]] = defaultdict(set)
    totals: Counter[int] = Counter()
    for kind, target_id, reporter_id in found:
        if kind == Report.Target.POST:
            person = owners.get(target_id)
        elif kind == Report.Target.MESSAGE:
            person = authors.get(target_id)
        else:
            person = target_id
        if person is not None and person != reporter_id:
            reporters[person].add(reporter_id)
            totals[person] += 1
    flagged = sorted(
        (p for p, who in reporters.items() if len(who) >= _threshold("reporters")),
        key=lambda p: -len(reporters[p]),
    )[:LIMIT]
    names = _names(flagged)
    return [
        Signal(
            "reports",
            person,
            names.get(person, ""),
            _("%(reports)d reports from %(people)d people")
            % {"reports": totals[person], "people": len(reporters[person])},
        )
        for person in flagged
    ]


def shared_address(now: datetime) -> list[Signal]:
    recent = SignupAddress.objects.filter(created_at__gt=_since(now))
    crowded = (
        recent.values("address_hash")
        .annotate(accounts=Count("pk"))
        .filter(accounts__gte=_threshold("accounts_per_address"))
        .order_by("-accounts")[:LIMIT]
    )
    signals = []
    for group, row in enumerate(crowded, start=1):
        members = list(
            recent.filter(address_hash=row["address_hash"])
            .order_by("created_at")
            .values_list("user_id", "user__display_name")
        )
        for user_id, name in members:
            # The group number ties the accounts together; the hash itself is not shown.
            evidence = _("one of %(accounts)d accounts from one address (group %(group)d)")
            signals.append(
                Signal(
                    "shared_address",
                    user_id,
                    name,
                    evidence % {"accounts": row["accounts"], "group": group},
                )
            )
    return signals[:LIMIT]


def new_account_asks(now: datetime) -> list[Signal]:
    young = now - timedelta(days=_threshold("new_account_days"))
    enough = _threshold("new_account_quantity")
    asks = _asks(
        _per_owner(Post.objects.filter(kind=Post.Kind.NEED, owner__date_joined__gt=young)),
        _per_receiver(Exchange.objects.filter(receiver__date_joined__gt=young)),
    )
    flagged = sorted(
        (user for user, ask in asks.items() if ask["quantity"] >= enough),
        key=lambda user: -asks[user]["quantity"],
    )[:LIMIT]
    names = _names(flagged)
    return [
        Signal(
            "new_account_asks",
            user,
            names.get(user, ""),
            _(
                "asked for %(quantity)d pieces in %(needs)d needs and %(responses)d responses "
                "in their first week"
            )
            % asks[user],
        )
        for user in flagged
    ]


def fraud_signals(now: datetime | None = None) -> list[Signal]:
    """Every signal that fires now, grouped by signal."""
    now = now or timezone.now()
    checks = (scarce_needs, no_shows, reports, shared_address, new_account_asks)
    return [signal for check in checks for signal in check(now)]
