"""Periodic transparency reports: what happened in one week or month, from the posts, the
reports and the audit log, stored after disclosure control as a `TransparencyReport`.

Each figure counts what happened in the period (posted, fulfilled, reported, decided,
sanctioned, appealed, acted on), with the distinct people behind it, and goes through the
same `disclosure.publish` as the dashboard: nothing about fewer than 11 people, and
complementary suppression along every line that adds up to a total.

The scheduler's daily task generates the last complete period when it has no report yet;
`huzhu transparency_report` generates (or regenerates) one on demand.
"""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.errors import Invalid
from huzhu.insights import moderation_stats as mod
from huzhu.insights.disclosure import THRESHOLD, Figure, publish
from huzhu.insights.models import TransparencyReport
from huzhu.posts.models import Post, PostStatusChange
from huzhu.safety.models import Report

logger = logging.getLogger(__name__)
Length = TransparencyReport.Length
POST_MEASURES = ("needs_posted", "needs_fulfilled", "offers_posted", "offers_fulfilled")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Period:
    label: str
    length: str
    starts_at: datetime
    ends_at: datetime


def _month(year: int, month: int) -> Period:
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return Period(f"{year}-{month:02d}", Length.MONTH, start, end)


def _week(year: int, week: int) -> Period:
    start = datetime.combine(date.fromisocalendar(year, week, 1), datetime.min.time(), UTC)
    return Period(f"{year}-W{week:02d}", Length.WEEK, start, start + timedelta(weeks=1))


def parse_period(label: str) -> Period:
    """A period from its label: "2026-10" (a month) or "2026-W44" (an ISO week)."""
    bad = Invalid(_("Name a month as 2026-10 or an ISO week as 2026-W44."), field="period")
    try:
        if match := _MONTH.match(label):
            return _month(int(match[1]), int(match[2]))
        if match := _WEEK.match(label):
            return _week(int(match[1]), int(match[2]))
    except ValueError as exc:  # month 13, week 54: as wrong as a malformed label
        raise bad from exc
    raise bad


def last_complete_period(now: datetime, length: str) -> Period:
    """The most recent period of `length` that has ended by `now`."""
    if length == Length.WEEK:
        year, week, _weekday = (now - timedelta(weeks=1)).isocalendar()
        return _week(year, week)
    first = now.astimezone(UTC).replace(day=1)
    previous = first - timedelta(days=1)
    return _month(previous.year, previous.month)


def configured_length() -> str:
    length = settings.HUZHU_TRANSPARENCY_REPORT_PERIOD
    return length if length in Length.values else Length.MONTH


def report_figures(period: Period) -> dict[str, Any]:
    """The period's figures, suppressed where they must be, as the stored JSON."""
    window = mod.Window(period.starts_at, period.ends_at)
    figures, lines = mod.moderation_figures(window)
    figures |= _post_figures(window) | _report_figures(window)
    # Posts and reports are single totals here, with no published breakdown to subtract
    # from, so only the moderation lines apply.
    shown = publish(figures, lines)
    grouped: dict[str, dict[str, int | None]] = {}
    for (table, key, measure), value in shown.items():
        # Sanctions and actions are broken down by row; the other tables by measure.
        name = key if table in (mod.SANCTIONS, mod.ACTIONS) else measure
        grouped.setdefault(table, {})[name] = value
    return {"threshold": THRESHOLD, **grouped}


def _tally(rows: list[tuple[str, int]]) -> dict[str, Figure]:
    counts: dict[str, list[int]] = {}
    for measure, person in rows:
        counts.setdefault(measure, []).append(person)
    return {measure: Figure(len(people), len(set(people))) for measure, people in counts.items()}


def _post_figures(window: mod.Window) -> dict[mod.FigureKey, Figure]:
    posted = window.filter(Post.objects.all(), "created_at").values_list("kind", "owner_id")
    fulfilled = window.filter(
        PostStatusChange.objects.filter(to_status=Post.Status.FULFILLED), "at"
    ).values_list("post__kind", "post__owner_id")
    tallies = _tally(
        [(f"{kind}s_posted", owner) for kind, owner in posted]
        + [(f"{kind}s_fulfilled", owner) for kind, owner in fulfilled]
    )
    return {
        ("posts", mod.TOTAL, measure): tallies.get(measure, Figure(0, 0))
        for measure in POST_MEASURES
    }


def _report_figures(window: mod.Window) -> dict[mod.FigureKey, Figure]:
    received = window.filter(Report.objects.all(), "created_at").values_list("reporter_id")
    decided = window.filter(Report.objects.exclude(status=Report.Status.OPEN), "decided_at")
    tallies = _tally(
        [("received", reporter or 0) for (reporter,) in received]
        + [
            ("acted_on", reporter or 0)
            for reporter in decided.values_list("reporter_id", flat=True)
        ]
    )
    return {
        ("reports", mod.TOTAL, measure): tallies.get(measure, Figure(0, 0))
        for measure in ("received", "acted_on")
    }


@transaction.atomic
def generate_report(*, period: Period, now: datetime | None = None) -> TransparencyReport:
    """Store the period's report, replacing an earlier one of the same period."""
    if period.ends_at > (now := now or timezone.now()):
        raise Invalid(_("This period has not ended yet."), field="period")
    report, _created = TransparencyReport.objects.update_or_create(
        period=period.label,
        defaults={
            "length": period.length,
            "starts_at": period.starts_at,
            "ends_at": period.ends_at,
            "generated_at": now,
            "figures": report_figures(period),
        },
    )
    logger.info("transparency report %s generated (id %s)", period.label, report.pk)
    return report


def generate_due_report(*, now: datetime | None = None) -> TransparencyReport | None:
    """The last complete period's report, if it has none yet (the scheduler's daily task)."""
    now = now or timezone.now()
    period = last_complete_period(now, configured_length())
    if TransparencyReport.objects.filter(period=period.label).exists():
        return None
    return generate_report(period=period, now=now)
