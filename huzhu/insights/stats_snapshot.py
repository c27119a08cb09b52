"""The public statistics between the worker that computes them and the pages that show them.

`refresh` (a periodic task) computes them and stores them as JSON in one database row;
`current_stats` reads that row, through Django's cache for HUZHU_STATS_CACHE_SECONDS.
Only a deployment's very first visitor, before the worker's first run, computes them.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from huzhu.insights.models import PublishedStats
from huzhu.insights.stats import Row, Stats, compute_stats

CACHE_KEY = "insights:stats:v3"  # v3: read from the worker's snapshot


def as_json(stats: Stats) -> dict[str, Any]:
    data = asdict(stats)
    data["generated_at"] = stats.generated_at.isoformat()
    return data


def from_json(data: dict[str, Any]) -> Stats:
    def row(value: dict[str, Any]) -> Row:
        return Row(value["key"], value["figures"], value["median_hours_to_fulfil"])

    return Stats(
        generated_at=datetime.fromisoformat(data["generated_at"]),
        threshold=data["threshold"],
        breakdowns={table: [row(r) for r in rows] for table, rows in data["breakdowns"].items()},
        total=row(data["total"]),
        reports=[row(r) for r in data["reports"]],
        reports_total=row(data["reports_total"]),
        sanctions=[row(r) for r in data["sanctions"]],
        sanctions_total=row(data["sanctions_total"]),
        appeals=row(data["appeals"]),
        actions=[row(r) for r in data["actions"]],
        actions_total=row(data["actions_total"]),
    )


def refresh() -> Stats:
    """Compute the statistics now and publish them to every app server."""
    stats = compute_stats()
    with transaction.atomic():
        PublishedStats.objects.all().delete()
        PublishedStats.objects.create(generated_at=stats.generated_at, figures=as_json(stats))
    cache.delete(CACHE_KEY)
    return stats


def current_stats() -> Stats:
    """The published statistics: the worker's latest, held in the cache briefly."""
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, Stats):
        return cached
    latest = PublishedStats.objects.order_by("-generated_at").first()
    stats = from_json(latest.figures) if latest else refresh()
    cache.set(CACHE_KEY, stats, timeout=settings.HUZHU_STATS_CACHE_SECONDS)
    return stats
