"""CSV import for organisers (`huzhu import`, /organisers/import).

Each row goes through the services the API uses — `posts.services.create_post`, or
`posts.on_behalf.create_post_on_behalf` when the row names a person without an account —
so the rules (safety rules, catalogue, quotas, consent) are the API's, never a copy. Here
we only turn cells into typed values. A real import commits each row on its own, so a bad
row loses nothing else; a dry run makes every row in a savepoint inside one transaction
that is rolled back at the end, so later rows meet the quotas earlier rows would use.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import csv
import io
import itertools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import DomainError, Invalid
from huzhu.insights.csv_columns import CONSENTS, KINDS, TAG_WORDS, detect_mapping
from huzhu.posts.catalogue import find_item
from huzhu.posts.on_behalf import OnBehalfOf, create_post_on_behalf
from huzhu.posts.services import PostDraft, create_post

logger = logging.getLogger(__name__)
MAX_ROWS = 5000
# Service error fields, as the spreadsheet calls them.
SERVICE_FIELDS = {
    "on_behalf_of.name": "name",
    "on_behalf_of.consent": "consent",
    "expires_at": "expires_on",
}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str  # the field, or "" for the whole row
    column: str  # the file's header for that field, or ""
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: list[int] = field(default_factory=list)  # post ids (none kept on a dry run)
    good_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed_rows(self) -> int:
        return len({error.row for error in self.errors})


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


def decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else GB18030, which Chinese Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise Invalid(_("Save the file as CSV in UTF-8."), field="file") from exc


@dataclass(frozen=True)
class Sheet:
    """A file's header and its non-blank rows as they are read (the bulk import's million
    rows need not all be in memory), with about how many rows there are: its lines, since
    a cell may hold a line break."""

    headers: list[str]
    rows: Iterator[list[str]]
    expected_rows: int


def read_table(text: str) -> Table:
    """The header and the non-blank rows; more than MAX_ROWS rows is Invalid."""
    sheet = stream_table(text)
    table = Table(headers=sheet.headers, rows=list(itertools.islice(sheet.rows, MAX_ROWS + 1)))
    if len(table.rows) > MAX_ROWS:
        raise Invalid(
            _("At most %(count)d rows at a time; split the file.") % {"count": MAX_ROWS},
            field="file",
        )
    return table


def stream_table(text: str) -> Sheet:
    rows = (row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row))
    headers = next(rows, None)
    if headers is None:
        raise Invalid(_("The file is empty."), field="file")
    return Sheet([h.strip() for h in headers], rows, max(0, text.count("\n") - 1))


def run_import(
    *,
    owner: User,
    table: Table,
    mapping: dict[int, str] | None = None,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check (dry run) or import every row of `table` as posts of `owner`."""
    columns = detect_mapping(table.headers) if mapping is None else mapping
    report = ImportReport(dry_run=dry_run, rows=len(table.rows))
    if dry_run:
        with transaction.atomic():
            _each_row(owner, table, columns, report, progress)
            transaction.set_rollback(True)
        report.created = []
    else:
        _each_row(owner, table, columns, report, progress)
        logger.info("user %s imported %d posts", owner.pk, len(report.created))
    return report


def _each_row(
    owner: User,
    table: Table,
    columns: dict[int, str],
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> None:
    header_of = {f: table.headers[i] for i, f in columns.items()}
    for offset, cells in enumerate(table.rows):
        number = offset + 2  # the header is row 1
        values = {f: cells[i].strip() for i, f in columns.items() if i < len(cells)}
        try:
            with transaction.atomic():
                report.created.append(_import_row(owner, values))
            report.good_rows.append(number)
        except DomainError as exc:
            name = SERVICE_FIELDS.get(exc.field, exc.field)
            report.errors.append(RowError(number, name, header_of.get(name, ""), exc.message))
        if progress:
            progress(1)


def _import_row(owner: User, values: dict[str, str]) -> int:
    draft = draft_from_cells(values)
    if values.get("name"):
        consent = CONSENTS.get(values.get("consent", "").casefold(), values.get("consent", ""))
        beneficiary = OnBehalfOf(name=values["name"], consent=consent, note=values.get("note", ""))
        return create_post_on_behalf(volunteer=owner, draft=draft, beneficiary=beneficiary).pk
    return create_post(owner=owner, draft=draft).pk


def draft_from_cells(values: dict[str, str]) -> PostDraft:
    kind = values.get("kind", "") or "need"  # lists kept by groups are mostly of needs
    item = values.get("item") or None
    category = values.get("category", "")
    if not category:
        category = _category_of(item)
    expires_on = _date(values.get("expires_on", ""))
    return PostDraft(
        kind=KINDS.get(kind.casefold(), kind),
        title=values.get("title", ""),
        body=values.get("body", ""),
        category=category,
        item=item,
        quantity=_number(values.get("quantity", ""), "quantity", int),
        unit=values.get("unit") or None,
        tags=_tags(values.get("tags", "")),
        lat=_number(values.get("lat", ""), "lat", float),
        lng=_number(values.get("lng", ""), "lng", float),
        expires_at=datetime.combine(expires_on, time.max, tzinfo=UTC) if expires_on else None,
        precision_m=_number(values.get("precision_m") or "1000", "precision_m", int),
    )


def _category_of(item: str | None) -> str:
    """An item implies its category, as on the web form, so sheets need not say both."""
    found = find_item(item) if item else None
    if found is not None:
        return found.category.code
    if item:
        raise Invalid(
            _("We do not know the item %(item)s. Use a catalogue name or add a category column.")
            % {"item": item},
            field="item",
        )
    raise Invalid(_("Fill in the category, or an item from the catalogue."), field="category")


def _number(text: str, name: str, kind: Callable[[str], Any]) -> Any:
    if not text:
        raise Invalid(_("This column is empty; fill it in."), field=name)
    try:
        value = kind(text.replace("，", ",").replace(",", "."))  # 39,9 written the European way
    except ValueError:
        message = (
            _("Write a whole number, not %(text)s.")
            if kind is int
            else _("Write a decimal number such as 39.9042, not %(text)s.")
        )
        raise Invalid(message % {"text": text}, field=name) from None
    return value


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise Invalid(
            _("Write the date as 2025-06-30, not %(text)s.") % {"text": text}, field="expires_on"
        ) from None


def _tags(text: str) -> tuple[str, ...]:
    words = [w for w in re.split(r"[,;，；、\s]+", text.strip()) if w]
    return tuple(TAG_WORDS.get(word, word.casefold()) for word in words if word)
