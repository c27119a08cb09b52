"""Bulk import for operators (`huzhu import FILE.csv --as USER --bulk`): a whole list of
posts at once, such as the lists a city's groups kept before it ran Huzhu.

The organiser import sends each row through `create_post` and stops at 5,000 rows. This
one is for hundreds of thousands: every row gets the same field checks
(`services.check_draft`, with the catalogue looked up once per name), and the posts with
their first history rows are written in one transaction (`posts.bulk.write_rows`: COPY
on PostgreSQL), so a file with a bad row writes nothing and the report lists the bad rows.

Left out on purpose, and said in the command's help: the posting rules that hold a new
account's posts and the trust-level quotas (the operator vouches for the file; every post
belongs to the --as account), and saved-alert notices (a million at once would drown
people; search and later matches find the posts). Rows posted on someone's behalf need
their consent recorded one by one: those files go through the organiser import.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import DomainError, Invalid
from huzhu.insights.csv_import import SERVICE_FIELDS, RowError, Table, draft_from_cells
from huzhu.posts import bulk, geo
from huzhu.posts.catalogue import find_item
from huzhu.posts.models import Category, Item, Post
from huzhu.posts.services import check_draft, rank_for
from huzhu.safety import rules

logger = logging.getLogger(__name__)
BATCH = 10_000
ERRORS_KEPT = 100  # a file that is wrong throughout needs its first errors, not all of them
ON_BEHALF_FIELDS = ("name", "consent", "note")


@dataclass
class BulkReport:
    rows: int = 0
    created: int = 0
    failed_rows: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first ERRORS_KEPT
    seconds: float = 0.0


class _Catalogue:
    """Category and item lookups, each name asked of the database once."""

    def __init__(self) -> None:
        self.categories = {c.code: c for c in Category.objects.all()}
        self.items: dict[str, Item | None] = {}
        self.prescription_names = rules.prescription_names()

    def category(self, code: str) -> Category | None:
        return self.categories.get(code)

    def item(self, name: str) -> Item | None:
        if name not in self.items:
            self.items[name] = find_item(name)
        return self.items[name]


def bulk_import(
    *,
    owner: User,
    table: Table,
    mapping: dict[int, str],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> BulkReport:
    """Check every row of `table`; unless one fails (or `dry_run`), write them all as posts
    of `owner`, open from now."""
    if refused := [f for f in ON_BEHALF_FIELDS if f in mapping.values()]:
        raise Invalid(
            _(
                "The bulk import takes people's own posts only, but the file has a %(column)s "
                "column. Import posts made on someone's behalf with the organiser import, "
                "which records each person's consent."
            )
            % {"column": refused[0]},
            field="file",
        )
    started = time.monotonic()
    report = BulkReport(rows=len(table.rows))
    rows = _Rows(owner, table, mapping, timezone.now())
    with transaction.atomic():
        rows.first_id = (Post.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        with bulk.indexes_built_afterwards(bulk.should_defer_indexes(report.rows)):
            for start in range(0, report.rows, BATCH):
                posts, history = rows.batch(start, report)
                if not report.failed_rows and not dry_run:
                    bulk.write_rows(posts, history)
                if progress:
                    progress(min(BATCH, report.rows - start))
        if report.failed_rows or dry_run:
            transaction.set_rollback(True)
        else:
            report.created = report.rows
            bulk.after_load()
    report.seconds = time.monotonic() - started
    if report.created:
        logger.info("user %s bulk-imported %d posts", owner.pk, report.created)
    return report


class _Rows:
    """Turns the file's rows into post and history tuples, counting the ones that fail."""

    def __init__(self, owner: User, table: Table, mapping: dict[int, str], now: datetime):
        self.owner_id, self.table, self.mapping, self.now = owner.pk, table, mapping, now
        self.header_of = {f: table.headers[i] for i, f in mapping.items()}
        self.catalogue = _Catalogue()
        self.first_id = 1
        adapt = connection.ops.adapt_datetimefield_value
        self.adapt: Callable[[datetime | None], Any] = adapt
        self.stored_now = adapt(now)
        self.ttl_end = now + timedelta(days=settings.HUZHU_POST_TTL_DAYS)

    def batch(
        self, start: int, report: BulkReport
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        posts, history = [], []
        for offset in range(start, min(start + BATCH, len(self.table.rows))):
            cells = self.table.rows[offset]
            values = {f: cells[i].strip() for i, f in self.mapping.items() if i < len(cells)}
            try:
                post = self.post(values, self.first_id + offset)
            except DomainError as exc:
                report.failed_rows += 1
                if len(report.errors) < ERRORS_KEPT:
                    name = SERVICE_FIELDS.get(exc.field, exc.field)
                    where = self.header_of.get(name, "")
                    report.errors.append(RowError(offset + 2, name, where, exc.message))
                continue
            posts.append(tuple(post[name] for name in bulk.POST_FIELDS))
            history.append(
                (post["id"], "", Post.Status.OPEN, self.stored_now, self.owner_id, "created")
            )
        return posts, history

    def post(self, values: dict[str, str], post_id: int) -> dict[str, Any]:
        """One post's columns, as `create_post` would store them, by attribute name."""
        draft = draft_from_cells(values)
        checked = check_draft(
            draft,
            self.now,
            category_of=self.catalogue.category,
            item_of=self.catalogue.item,
            prescription_names=self.catalogue.prescription_names,
        )
        expires = draft.expires_at
        return {
            "id": post_id,
            "owner_id": self.owner_id,
            "kind": draft.kind,
            "title": draft.title.strip(),
            "body": draft.body.strip(),
            "category_id": checked.category.pk,
            "item_id": checked.item.pk if checked.item else None,
            "quantity": draft.quantity,
            "quantity_reserved": 0,
            "unit": (
                draft.unit or (checked.item.default_unit if checked.item else "piece")
            ).strip(),
            "tag_bits": checked.tag_bits,
            "status": Post.Status.OPEN,
            "created_at": self.stored_now,
            "updated_at": self.stored_now,
            "expires_at": self.adapt(expires),
            "closes_at": self.adapt(min(self.ttl_end, expires) if expires else self.ttl_end),
            "lat": draft.lat,
            "lng": draft.lng,
            **geo.location_fields(draft.lat, draft.lng, draft.precision_m),
            "area_precision_m": draft.precision_m,
            "rank": rank_for(Post.Status.OPEN, None, self.now, checked.tag_bits),
            "hidden_at": None,
            "on_behalf": False,
            "held_reason": "",
        }
