"""The public statistics behind /transparency and GET /api/v1/stats.

Needs and offers posted and fulfilled, broken down one dimension at a time (category,
area, ISO week of posting), the median wait from posting a need to its fulfilment, and
reports received and acted on. Every count is a `Figure` with the distinct people behind
it, and `disclosure.publish` hides whatever describes fewer than 11 people, plus what would
let a reader subtract their way to a hidden figure.

Areas are the deployment's districts (`places.py`), assigned from each post's public
area centre, never its private point: a district is a name people recognise, there are
few of them (so fewer cells fall under the threshold than with H3 cells), and the
assignment reveals nothing the post page does not already show. Posts near no district
count as "elsewhere".

"Fulfilled" counts the posts of a row that are fulfilled now, so each row reads as "of
what was posted here, this much was fulfilled". The database counts: one GROUP BY per table
(the district and the week are CASE expressions over the public area cell and the creation
time), so Python sees a few hundred rows, not every post. The worker computes them
periodically; pages read its latest (huzhu/insights/stats_snapshot.py).
"""

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from huzhu import geo
from huzhu.insights import moderation_stats as mod
from huzhu.insights.disclosure import THRESHOLD, Figure, Line, publish
from huzhu.places import districts, nearest_place
from huzhu.posts.models import Category, Post, PostStatusChange
from huzhu.safety.models import Report

MEASURES = ("needs_posted", "needs_fulfilled", "offers_posted", "offers_fulfilled")
REPORT_MEASURES = ("received", "acted_on", "upheld")
BREAKDOWNS = ("category", "area", "week")
ELSEWHERE = "elsewhere"
EARLIER = "earlier"
TOTAL = "total"

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
    """What one row accumulates before disclosure control: counts and distinct people
    as the database computed them, and the waits behind the median."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    people: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    waits_hours: list[float] = field(default_factory=list)
    waiters: set[int] = field(default_factory=set)

    def figure(self, measure: str) -> Figure:
        return Figure(self.counts[measure], self.people[measure])

    def median(self) -> float | None:
        if len(self.waiters) < THRESHOLD or not self.waits_hours:
            return None
        return round(statistics.median(self.waits_hours), 1)


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
    # One GROUP BY per table: the database counts posts and distinct people; Python only
    # sees a row per (table key, kind), and the fulfilled needs' waits for the medians.
    buckets = {"category": F("category__code"), "area": _district(), "week": _week(now)}
    for table, bucket in buckets.items():
        for key, kind, *figures in _counted(Post.objects.annotate(bucket=bucket), "bucket"):
            _add(tallies[(table, key)], kind, *figures)
    for kind, *figures in _counted(Post.objects.all()):
        _add(total, kind, *figures)
    waits = _fulfilled_needs().annotate(**{f"{t}_key": b for t, b in buckets.items()})
    for owner, hours, *keys in waits.values_list(
        "owner_id", "hours", *(f"{t}_key" for t in buckets)
    ):
        for tally in [total, *(tallies[(t, k)] for t, k in zip(buckets, keys, strict=True))]:
            tally.waits_hours.append(hours.total_seconds() / 3600)
            tally.waiters.add(owner)
    return _published(now, rows, tallies, total)


def _counted(posts: QuerySet[Post], *by: str) -> Iterator[tuple[Any, ...]]:
    """(*by, kind, posted, posted by how many people, fulfilled, fulfilled by how many)."""
    fulfilled = Q(status=Post.Status.FULFILLED)
    return iter(
        posts.order_by()
        .values_list(*by, "kind")
        .annotate(
            posted=Count("pk"),
            posters=Count("owner_id", distinct=True),
            done=Count("pk", filter=fulfilled),
            doers=Count("owner_id", distinct=True, filter=fulfilled),
        )
    )


def _add(tally: _Tally, kind: str, *figures: int) -> None:
    posted, posters, done, doers = figures
    tally.counts[f"{kind}s_posted"] = posted
    tally.people[f"{kind}s_posted"] = posters
    tally.counts[f"{kind}s_fulfilled"] = done
    tally.people[f"{kind}s_fulfilled"] = doers


def _district() -> Case:
    """Each post's district, from its public area cell: one WHEN per district, listing
    the cells nearest it (a city has thousands of area cells, not millions)."""
    cells: dict[str, list[int]] = defaultdict(list)
    for cell in Post.objects.order_by().values_list("area_cell", flat=True).distinct():
        place = nearest_place(*geo.area_centre(cell))
        cells[place.code if place else ELSEWHERE].append(cell)
    whens = [When(area_cell__in=listed, then=Value(code)) for code, listed in cells.items()]
    return Case(*whens, default=Value(ELSEWHERE), output_field=CharField())


def _week(now: datetime) -> Case:
    """The ISO week a post was made in, for the recent weeks; "earlier" before them."""
    weeks = recent_weeks(now, settings.HUZHU_STATS_WEEKS)
    starts = [_week_start(now - timedelta(weeks=back)) for back in range(len(weeks) - 1, -1, -1)]
    whens = [
        When(created_at__gte=start, then=Value(key))
        for start, key in reversed(list(zip(starts, weeks, strict=True)))
    ]
    return Case(*whens, default=Value(EARLIER), output_field=CharField())


def _week_start(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).date()
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday, time.min, tzinfo=UTC)


def _fulfilled_needs() -> QuerySet[Post]:
    """Fulfilled needs with the time from posting to when each was first marked fulfilled."""
    first = (
        PostStatusChange.objects.filter(post=OuterRef("pk"), to_status=Post.Status.FULFILLED)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    return (
        Post.objects.filter(kind=Post.Kind.NEED, status=Post.Status.FULFILLED)
        .annotate(fulfilled_at=Subquery(first))
        .filter(fulfilled_at__isnull=False)
        .annotate(hours=ExpressionWrapper(F("fulfilled_at") - F("created_at"), DurationField()))
    )


def _row_keys(now: datetime) -> dict[str, list[str]]:
    """Every row is shown, empty or not: a missing row would itself say "nobody"."""
    return {
        "category": list(Category.objects.values_list("code", flat=True)),
        "area": [place.code for place in districts()] + [ELSEWHERE],
        "week": [*recent_weeks(now, settings.HUZHU_STATS_WEEKS), EARLIER],
    }


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
    filters = {
        "received": Q(),
        "acted_on": ~Q(status=Report.Status.OPEN),
        "upheld": Q(status=Report.Status.UPHELD),
    }
    counted = {
        **{measure: Count("pk", filter=where) for measure, where in filters.items()},
        **{
            f"{m}_people": Count("reporter_id", distinct=True, filter=w) for m, w in filters.items()
        },
        **{
            f"{m}_erased": Count("pk", filter=w & Q(reporter__isnull=True))
            for m, w in filters.items()
        },
    }
    by_reason = Report.objects.order_by().values("reason").annotate(**counted)
    for key, counts in [
        *((row["reason"], row) for row in by_reason),
        (TOTAL, Report.objects.aggregate(**counted)),
    ]:
        for measure in REPORT_MEASURES:
            people = counts[f"{measure}_people"] + (1 if counts[f"{measure}_erased"] else 0)
            tallies[key].counts[measure] = counts[measure]
            tallies[key].people[measure] = people
    figures: dict[FigureKey, Figure] = {
        ("reports", key, measure): tally.figure(measure)
        for key, tally in tallies.items()
        for measure in REPORT_MEASURES
    }
    lines = [
        Line(("reports", TOTAL, measure), tuple(("reports", r, measure) for r in reasons))
        for measure in REPORT_MEASURES
    ]
    return figures, lines, reasons
