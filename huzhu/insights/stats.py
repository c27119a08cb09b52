"""The public statistics behind /transparency and GET /api/v1/stats.

Needs and offers posted and fulfilled, broken down one dimension at a time (category,
area, ISO week of posting), the median wait from posting a need to its fulfilment, and
reports received and acted on. Every count is a `Figure` with the distinct people behind
it, and `disclosure.publish` hides whatever describes fewer than 11 people, plus what would
let a reader subtract their way to a hidden figure.

Areas are the deployment's districts (`web/places.py`), assigned from each post's public
area centre, never its private point: a district is a name people recognise, there are
few of them (so fewer cells fall under the threshold than with H3 cells), and the
assignment reveals nothing the post page does not already show. Posts near no district
count as "elsewhere".

"Fulfilled" counts the posts of a row that are fulfilled now, so each row reads as "of
what was posted here, this much was fulfilled". The numbers are computed in one pass over
the posts and cached (HUZHU_STATS_CACHE_SECONDS) in Django's cache.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from huzhu.insights import moderation_stats as mod
from huzhu.insights.disclosure import THRESHOLD, Figure, Line, publish
from huzhu.posts import geo
from huzhu.posts.models import Category, Post, PostStatusChange
from huzhu.safety.models import Report
from huzhu.web.places import districts, nearest_place

MEASURES = ("needs_posted", "needs_fulfilled", "offers_posted", "offers_fulfilled")
REPORT_MEASURES = ("received", "acted_on", "upheld")
BREAKDOWNS = ("category", "area", "week")
ELSEWHERE = "elsewhere"
EARLIER = "earlier"
TOTAL = "total"
CACHE_KEY = "insights:stats:v2"  # v2: moderation figures

# A figure's key: (table, row, measure).
FigureKey = tuple[str, str, str]


@dataclass(frozen=True)
class Row:
    key: str
    figures: dict[str, int | None]  # measure -> value, None where suppressed
    median_hours_to_fulfil: float | None = None


@dataclass(frozen=True)
class Stats:
    generated_at: datetime
    threshold: int
    breakdowns: dict[str, list[Row]]
    total: Row
    reports: list[Row]
    reports_total: Row
    sanctions: list[Row]  # by kind, measure "count"
    sanctions_total: Row
    appeals: Row  # received, decided, overturned
    actions: list[Row]  # automated and human, measure "count"
    actions_total: Row


@dataclass
class _Tally:
    """What one row accumulates before disclosure control."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    people: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    waits_hours: list[float] = field(default_factory=list)
    waiters: set[int] = field(default_factory=set)

    def add(self, measure: str, person: int) -> None:
        self.counts[measure] += 1
        self.people[measure].add(person)

    def figure(self, measure: str) -> Figure:
        return Figure(self.counts[measure], len(self.people[measure]))

    def median(self) -> float | None:
        if len(self.waiters) < THRESHOLD or not self.waits_hours:
            return None
        return round(statistics.median(self.waits_hours), 1)


def current_stats() -> Stats:
    """The published statistics, from the cache when they were computed recently."""
    stats = cache.get_or_set(CACHE_KEY, compute_stats, timeout=settings.HUZHU_STATS_CACHE_SECONDS)
    # The cache hands back Any; anything but Stats (an old entry) is recomputed.
    return stats if isinstance(stats, Stats) else compute_stats()


def week_key(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def recent_weeks(now: datetime, count: int) -> list[str]:
    """The last `count` ISO weeks, oldest first, ending with the week of `now`."""
    return [week_key(now - timedelta(weeks=back)) for back in range(count - 1, -1, -1)]


def compute_stats() -> Stats:
    now = timezone.now()
    rows = _row_keys(now)
    tallies = {(table, key): _Tally() for table, keys in rows.items() for key in keys}
    total = _Tally()
    fulfilled_at = _fulfilment_times()
    area_of = _AreaNames()
    weeks = set(rows["week"])
    posts = Post.objects.values_list(
        "pk", "kind", "status", "category__code", "owner_id", "area_cell", "created_at"
    )
    for post_id, kind, status, category, owner, area_cell, created_at in posts.iterator():
        week = week_key(created_at)
        where = {
            "category": category,
            "area": area_of(area_cell),
            "week": week if week in weeks else EARLIER,
        }
        targets = [total, *(tallies[(table, key)] for table, key in where.items())]
        fulfilled = status == Post.Status.FULFILLED
        for tally in targets:
            tally.add(f"{kind}s_posted", owner)
            if fulfilled:
                tally.add(f"{kind}s_fulfilled", owner)
            if fulfilled and kind == Post.Kind.NEED and post_id in fulfilled_at:
                wait = (fulfilled_at[post_id] - created_at).total_seconds() / 3600
                tally.waits_hours.append(wait)
                tally.waiters.add(owner)
    return _published(now, rows, tallies, total)


def _row_keys(now: datetime) -> dict[str, list[str]]:
    """Every row is shown, empty or not: a missing row would itself say "nobody"."""
    return {
        "category": list(Category.objects.values_list("code", flat=True)),
        "area": [place.code for place in districts()] + [ELSEWHERE],
        "week": [*recent_weeks(now, settings.HUZHU_STATS_WEEKS), EARLIER],
    }


def _fulfilment_times() -> dict[int, datetime]:
    """When each fulfilled post was first marked fulfilled."""
    times: dict[int, datetime] = {}
    changes = PostStatusChange.objects.filter(to_status=Post.Status.FULFILLED)
    for post_id, at in changes.order_by("at", "pk").values_list("post_id", "at").iterator():
        times.setdefault(post_id, at)
    return times


class _AreaNames:
    """The district of a public area cell; many posts share a cell, so each is looked up once."""

    def __init__(self) -> None:
        self.known: dict[int, str] = {}

    def __call__(self, area_cell: int) -> str:
        if area_cell not in self.known:
            place = nearest_place(*geo.area_centre(area_cell))
            self.known[area_cell] = place.code if place else ELSEWHERE
        return self.known[area_cell]


def _published(
    now: datetime,
    rows: dict[str, list[str]],
    tallies: dict[tuple[str, str], _Tally],
    total: _Tally,
) -> Stats:
    figures: dict[FigureKey, Figure] = {
        (table, key, measure): tallies[(table, key)].figure(measure)
        for table, keys in rows.items()
        for key in keys
        for measure in MEASURES
    }
    figures |= {(TOTAL, TOTAL, measure): total.figure(measure) for measure in MEASURES}
    # Each breakdown adds up to the same grand total, so all share its figure.
    lines = [
        Line((TOTAL, TOTAL, measure), tuple((table, key, measure) for key in keys))
        for table, keys in rows.items()
        for measure in MEASURES
    ]
    report_figures, report_lines, reasons = _report_figures()
    moderation_figures, moderation_lines = mod.moderation_figures()
    shown = publish(
        {**figures, **report_figures, **moderation_figures},
        [*lines, *report_lines, *moderation_lines],
    )

    def row(table: str, key: str, tally: _Tally | None, measures: tuple[str, ...]) -> Row:
        values = {measure: shown[(table, key, measure)] for measure in measures}
        return Row(key, values, tally.median() if tally else None)

    return Stats(
        generated_at=now,
        threshold=THRESHOLD,
        breakdowns={
            table: [row(table, key, tallies[(table, key)], MEASURES) for key in keys]
            for table, keys in rows.items()
        },
        total=row(TOTAL, TOTAL, total, MEASURES),
        reports=[row("reports", reason, None, REPORT_MEASURES) for reason in reasons],
        reports_total=row("reports", TOTAL, None, REPORT_MEASURES),
        sanctions=[row(mod.SANCTIONS, kind, None, (mod.COUNT,)) for kind in mod.sanction_kinds()],
        sanctions_total=row(mod.SANCTIONS, TOTAL, None, (mod.COUNT,)),
        appeals=row(mod.APPEALS, TOTAL, None, mod.APPEAL_MEASURES),
        actions=[row(mod.ACTIONS, actor, None, (mod.COUNT,)) for actor in mod.ACTORS],
        actions_total=row(mod.ACTIONS, TOTAL, None, (mod.COUNT,)),
    )


def _report_figures() -> tuple[dict[FigureKey, Figure], list[Line[FigureKey]], list[str]]:
    """Reports by reason: received, acted on (decided either way) and upheld.

    The people behind a report figure are its distinct reporters. Reporters who erased
    their account are no longer known apart, so all of them count as one person: the
    count of people can only be too low, which hides more, never less.
    """
    reasons = [reason.value for reason in Report.Reason]
    tallies = {reason: _Tally() for reason in [*reasons, TOTAL]}
    rows = Report.objects.values_list("reason", "status", "reporter_id").iterator()
    for reason, status, reporter in rows:
        person = reporter or 0
        for tally in (tallies[reason], tallies[TOTAL]):
            tally.add("received", person)
            if status != Report.Status.OPEN:
                tally.add("acted_on", person)
            if status == Report.Status.UPHELD:
                tally.add("upheld", person)
    figures = {
        ("reports", key, measure): tally.figure(measure)
        for key, tally in tallies.items()
        for measure in REPORT_MEASURES
    }
    lines = [
        Line(("reports", TOTAL, measure), tuple(("reports", r, measure) for r in reasons))
        for measure in REPORT_MEASURES
    ]
    return figures, lines, reasons
