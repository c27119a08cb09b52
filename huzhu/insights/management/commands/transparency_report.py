"""`huzhu transparency_report [--period 2026-10|2026-W44]`: generate a transparency report now."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huzhu.errors import Invalid
from huzhu.insights.transparency_reports import (
    configured_length,
    generate_report,
    last_complete_period,
    parse_period,
)


class Command(BaseCommand):
    help = (
        "Generate (or regenerate) the transparency report of one period: by default the last "
        "complete month or week, as HUZHU_TRANSPARENCY_REPORT_PERIOD says."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", help="a month as 2026-10 or an ISO week as 2026-W44")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        try:
            period = (
                parse_period(options["period"])
                if options["period"]
                else last_complete_period(now, configured_length())
            )
            report = generate_report(period=period, now=now)
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        path = f"{settings.SITE_URL}/transparency/reports/{report.period}"
        self.stdout.write(f"transparency report {report.period} generated: {path}")
