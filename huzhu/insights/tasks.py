"""Background work for insights, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.insights import stats_snapshot
from huzhu.insights.transparency_reports import generate_due_report


@task()
def transparency_report() -> str:
    """Generate the last complete period's report if it has none; returns its label or ""."""
    report = generate_due_report()
    return report.period if report else ""


@task()
def refresh_stats() -> str:
    """Recompute the public statistics for every app server; returns when they were made."""
    return stats_snapshot.refresh().generated_at.isoformat()
