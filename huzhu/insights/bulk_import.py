"""Bulk import for operators (`huzhu import FILE.csv --as USER --bulk`): a whole list of
posts at once, such as the lists a city's groups kept before it ran Huzhu.

The organiser import sends each row through `create_post` and stops at 5,000 rows. This
one is for hundreds of thousands: every row gets the same field checks
(`services.check_draft`, with the catalogue read once), and the posts with their first
history rows are written in one transaction (`posts.bulk.write_rows`: COPY on
PostgreSQL), so a file with a bad row writes nothing and the report lists the bad rows.
Rows are read as they are needed, and for large files checked by forked processes (one per
core) while this one writes, batch by batch.

Left out on purpose, and said in the command's help: the posting rules that hold a new
account's posts and the trust-level quotas (the operator vouches for the file; every post
belongs to the --as account), and saved-alert notices (a million at once would drown
people; search and later matches find the posts). Rows posted on someone's behalf need
their consent recorded one by one: those files go through the organiser import.
"""

import itertools
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.pool import AsyncResult
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import DomainError, Invalid
from huzhu.insights.csv_import import SERVICE_FIELDS, RowError, Sheet, draft_from_cells
from huzhu.posts import bulk, catalogue
from huzhu.posts.catalogue import item_finder
from huzhu.posts.models import Category, Post
from huzhu.posts.public_point import location_fields
from huzhu.posts.ranking import rank_for
from huzhu.posts.services import check_draft

logger = logging.getLogger(__name__)
BATCH = 10_000
PARALLEL_FROM = 20_000  # rows; below that, forking costs more than it saves
ERRORS_KEPT = 100  # a file that is wrong throughout needs its first errors, not all of them
ON_BEHALF_FIELDS = ("name", "consent", "note")
Tuples = list[tuple[Any, ...]]


@dataclass
class BulkReport:
    rows: int = 0
    created: int = 0
    failed_rows: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first ERRORS_KEPT
    seconds: float = 0.0


@dataclass
class _Checked:
    """One batch, checked: its posts and history rows, and the rows that failed."""

    rows: int
    posts: Tuples
    history: Tuples
    failed: list[RowError]


def bulk_import(
    *,
    owner: User,
    sheet: Sheet,
    mapping: dict[int, str],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> BulkReport:
    """Check every row of `sheet`; unless one fails (or `dry_run`), write them all as
    posts of `owner`, open from now."""
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
    report = BulkReport()
    checker = _Rows(owner, sheet.headers, mapping, timezone.now())
    workers = 0
    if sheet.expected_rows >= PARALLEL_FROM and not connection.in_atomic_block:
        workers = os.cpu_count() or 1
        connection.close()  # forked checkers must not share this process's connection
    with _checkers(checker, workers) as pool, transaction.atomic():
        first_id = (Post.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        with bulk.load_mode(bulk.should_defer_indexes(sheet.expected_rows)):
            for batch in _checked(checker, sheet.rows, pool, workers, first_id):
                report.rows += batch.rows
                report.failed_rows += len(batch.failed)
                report.errors += batch.failed[: ERRORS_KEPT - len(report.errors)]
                if not report.failed_rows and not dry_run:
                    bulk.write_rows(batch.posts, batch.history)
                if progress:
                    progress(batch.rows)
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
    """Turns the file's rows into post and history tuples, as `create_post` stores posts."""

    def __init__(self, owner: User, headers: list[str], mapping: dict[int, str], now: datetime):
        self.owner_id, self.mapping, self.now = owner.pk, mapping, now
        self.header_of = {f: headers[i] for i, f in mapping.items()}
        # The catalogue and the rules' word lists, read once, before any checker forks.
        self.categories = {c.code: c for c in Category.objects.all()}
        self.find_item = item_finder()
        self.prescription_names = catalogue.prescription_names()
        adapt = connection.ops.adapt_datetimefield_value
        self.adapt: Callable[[datetime | None], Any] = adapt
        self.stored_now = adapt(now)
        self.ttl_end = now + timedelta(days=settings.HUZHU_POST_TTL_DAYS)
        self.stored_ttl_end = adapt(self.ttl_end)

    def check(self, index: int, cells: Iterable[list[str]], first_id: int) -> _Checked:
        """Batch number `index` (BATCH rows each); post ids follow the rows from `first_id`."""
        batch = _Checked(rows=0, posts=[], history=[], failed=[])
        start = index * BATCH
        for offset, row in enumerate(cells, start):
            batch.rows += 1
            values = {f: row[i].strip() for i, f in self.mapping.items() if i < len(row)}
            try:
                post = self.post(values, first_id + offset)
            except DomainError as exc:
                name = SERVICE_FIELDS.get(exc.field, exc.field)
                where = self.header_of.get(name, "")
                # Row 1 is the header, as a spreadsheet numbers them.
                batch.failed.append(RowError(offset + 2, name, where, exc.message))
                continue
            batch.posts.append(tuple(post[name] for name in bulk.POST_FIELDS))
            batch.history.append(
                (post["id"], "", Post.Status.OPEN, self.stored_now, self.owner_id, "created")
            )
        return batch

    def post(self, values: dict[str, str], post_id: int) -> dict[str, Any]:
        """One post's columns by attribute name."""
        draft = draft_from_cells(values)
        checked = check_draft(
            draft,
            self.now,
            category_of=self.categories.get,
            item_of=self.find_item,
            prescription_names=self.prescription_names,
        )
        expires, item = draft.expires_at, checked.item
        return {
            "id": post_id,
            "owner_id": self.owner_id,
            "kind": draft.kind,
            "title": draft.title.strip(),
            "body": draft.body.strip(),
            "category_id": checked.category.pk,
            "item_id": item.pk if item else None,
            "quantity": draft.quantity,
            "quantity_reserved": 0,
            "unit": (draft.unit or (item.default_unit if item else "piece")).strip(),
            "tag_bits": checked.tag_bits,
            "status": Post.Status.OPEN,
            "created_at": self.stored_now,
            "updated_at": self.stored_now,
            "expires_at": self.adapt(expires) if expires else None,
            "closes_at": self.adapt(expires)
            if expires and expires < self.ttl_end
            else self.stored_ttl_end,
            "lat": draft.lat,
            "lng": draft.lng,
            **location_fields(self.owner_id, draft.lat, draft.lng, draft.precision_m),
            "area_precision_m": draft.precision_m,
            "rank": rank_for(
                kind=draft.kind,
                status=Post.Status.OPEN,
                hidden_at=None,
                created_at=self.now,
                confirmed_at=None,
                tag_bits=checked.tag_bits,
                now=self.now,
            ),
            "confirmed_at": None,
            "hidden_at": None,
            "on_behalf": False,
            "held_reason": "",
        }


# --- Checking in forked processes while this one writes --------------------------------
_worker_rows: _Rows | None = None


def _init_worker(rows: _Rows) -> None:
    global _worker_rows  # noqa: PLW0603 - a pool worker's one piece of state
    _worker_rows = rows


def _worker_check(index: int, cells: list[list[str]], first_id: int) -> _Checked:
    assert _worker_rows is not None
    return _worker_rows.check(index, cells, first_id)


@contextmanager
def _checkers(rows: _Rows, workers: int) -> Iterator[Any]:
    """A pool of `workers` forked checkers, or None for none."""
    if not workers:
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(
        workers, initializer=_init_worker, initargs=(rows,)
    )
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _checked(
    rows: _Rows, cells: Iterator[list[str]], pool: Any, workers: int, first_id: int
) -> Iterator[_Checked]:
    """The batches in order, checked here or by the pool's processes, at most a few
    batches ahead of the writer, so memory stays flat."""
    batches = enumerate(iter(lambda: list(itertools.islice(cells, BATCH)), []))
    if pool is None:
        for index, batch in batches:
            yield rows.check(index, batch, first_id)
        return
    pending: deque[AsyncResult[_Checked]] = deque()
    for index, batch in batches:
        pending.append(pool.apply_async(_worker_check, (index, batch, first_id)))
        if len(pending) > workers + 1:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
