"""Background work for insights, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.insights.transparency_reports import generate_due_report


@task()
def transparency_report() -> str:
    """Generate the last complete period's report if it has none; returns its label or ""."""
    report = generate_due_report()
    return report.period if report else ""
