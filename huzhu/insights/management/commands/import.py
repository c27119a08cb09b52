"""`huzhu import FILE.csv`: bring an organiser's spreadsheet of needs and offers in."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from huzhu.accounts.models import User
from huzhu.errors import DomainError
from huzhu.insights.bulk_import import bulk_import
from huzhu.insights.csv_columns import apply_overrides, detect_mapping, parse_mapping_option
from huzhu.insights.csv_import import (
    ImportReport,
    Sheet,
    decode,
    read_table,
    run_import,
    stream_table,
)
from huzhu.progress import Progress


class Command(BaseCommand):
    help = (
        "Import posts from a CSV file through the same rules as the API. Rows that name a "
        "person without an account become posts on their behalf (consent column required), "
        "with contact through the --as account."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE.csv")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="the organiser whose posts these become",
        )
        parser.add_argument(
            "--mapping",
            default="",
            metavar="COL=FIELD,...",
            help="override the columns recognised from the headers, e.g. 地址纬度=lat",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, create nothing"
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=(
                "for operators moving a whole list in (no row limit): the same checks of "
                "each row, then all rows in one transaction, or none if any row fails. "
                "Skips the posting rules, quotas and saved-alert notices; no rows on "
                "someone's behalf"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = User.objects.filter(username=options["username"], is_active=True).first()
        if owner is None:
            raise CommandError(f"No active account {options['username']!r}.")
        try:
            text = decode(Path(options["file"]).read_bytes())
            sheet = stream_table(text) if options["bulk"] else read_table(text)
            columns = apply_overrides(
                sheet.headers,
                detect_mapping(sheet.headers),
                parse_mapping_option(options["mapping"]),
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            "Columns: " + ", ".join(f"{sheet.headers[i]} → {f}" for i, f in sorted(columns.items()))
        )
        label = "checking" if options["dry_run"] else "importing"
        if isinstance(sheet, Sheet):
            self._bulk(owner, sheet, columns, label, dry_run=options["dry_run"])
            return
        table = sheet
        # The command's own stderr (what call_command captures): an OutputWrapper, which is
        # a TextIOBase the stubs do not call TextIO.
        bar = Progress(len(table.rows), label, stream=cast("TextIO", self.stderr))
        report = run_import(
            owner=owner,
            table=table,
            mapping=columns,
            dry_run=options["dry_run"],
            progress=bar.advance,
        )
        bar.close()
        self._summarise(report)

    def _bulk(
        self, owner: User, sheet: Sheet, columns: dict[int, str], label: str, *, dry_run: bool
    ) -> None:
        bar = Progress(sheet.expected_rows, label, stream=cast("TextIO", self.stderr))
        try:
            report = bulk_import(
                owner=owner,
                sheet=sheet,
                mapping=columns,
                dry_run=dry_run,
                progress=bar.advance,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            bar.close()
        for error in report.errors:
            where = f"{error.field} ({error.column})" if error.column else error.field or "row"
            self.stdout.write(f"row {error.row} · {where}: {error.message}")
        if report.failed_rows:
            shown = f" (the first {len(report.errors)} listed above)"
            raise CommandError(
                f"{report.failed_rows} of {report.rows} rows have errors{shown}. "
                "Nothing was imported; correct them and run the import again."
            )
        if dry_run:
            self.stdout.write(f"Dry run: all {report.rows} rows are fine. Nothing was created.")
        else:
            self.stdout.write(f"Imported {report.created} posts in {report.seconds:.1f} s.")

    def _summarise(self, report: ImportReport) -> None:
        for error in report.errors:
            where = f"{error.field} ({error.column})" if error.column else error.field or "row"
            self.stdout.write(f"row {error.row} · {where}: {error.message}")
        good = len(report.good_rows)
        if report.dry_run:
            self.stdout.write(
                f"Dry run: {report.rows} rows checked, {good} would be imported, "
                f"{report.failed_rows} have errors. Nothing was created."
            )
        else:
            self.stdout.write(
                f"Imported {len(report.created)} of {report.rows} rows; "
                f"{report.failed_rows} rows had errors and were skipped."
            )
        if report.errors:
            raise CommandError(f"{report.failed_rows} rows have errors (listed above).")
