"""The public transparency page and its CSV download. Anyone may read them."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huzhu.insights.presenters import stats_csv, stats_data
from huzhu.insights.stats_snapshot import current_stats

BAR_WIDTH = 100  # SVG user units; the bar scales to the table cell


def _with_bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bar lengths for needs posted and fulfilled, relative to the longest published one.
    Suppressed figures get no bar: drawing one would show roughly what the number hides."""
    longest = max((row["needs_posted"] or 0 for row in rows), default=0) or 1
    return [
        {
            **row,
            "bar_posted": round(BAR_WIDTH * (row["needs_posted"] or 0) / longest, 1),
            "bar_fulfilled": round(BAR_WIDTH * (row["needs_fulfilled"] or 0) / longest, 1),
        }
        for row in rows
    ]


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    data = stats_data(current_stats())
    tables = [
        ("by_category", data["by_category"]),
        ("by_area", data["by_area"]),
        ("by_week", data["by_week"]),
    ]
    context = {
        "stats": data,
        "stats_total": _with_bars([data["total"]]),
        "tables": [(name, _with_bars(rows)) for name, rows in tables],
    }
    return render(request, "insights/transparency.html", context)


@require_GET
def transparency_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(stats_csv(current_stats()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="huzhu-statistics.csv"'
    return response
