"""Insights API: the public, privacy-safe statistics."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from huzhu.insights.presenters import stats_data
from huzhu.insights.schemas import StatsOut
from huzhu.insights.stats import current_stats

router = Router(tags=["insights"])


@router.get(
    "/stats",
    auth=None,
    response={200: StatsOut},
    summary="Public statistics: needs and offers, fulfilment, reports",
    description="Counts by category, area (district) and ISO week of posting, the median "
    "hours from a need's posting to its fulfilment, and reports received, acted on and "
    "upheld. A null figure is suppressed: it describes fewer than 11 people, or hiding it "
    "keeps another suppressed figure from being worked out by subtraction. Recomputed at "
    "most every few minutes. The same figures as CSV: /transparency.csv.",
)
def stats(request: HttpRequest) -> dict[str, Any]:
    return stats_data(current_stats())
