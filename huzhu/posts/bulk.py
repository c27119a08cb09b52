"""Writing posts by the hundred thousand: rows, not models.

Django's model `__init__` and `bulk_create` cost more per row than everything else a
loader does, so the demo city and the operators' bulk import write tuples in the column
order of `POST_FIELDS` straight to the database: `executemany` on SQLite, `COPY` on
PostgreSQL. A load much bigger than the table builds the models' indexes afterwards, which
costs several times less than inserting a million rows into seven randomly keyed B-trees.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection

from huzhu.posts.models import Post, PostStatusChange

POST_FIELDS = tuple(f.attname for f in Post._meta.concrete_fields)
HISTORY_FIELDS = ("post_id", "from_status", "to_status", "at", "actor_id", "reason")
# Loads at least this big, and four times the table, build the indexes afterwards.
DEFER_INDEXES_FROM = 50_000


def should_defer_indexes(rows: int) -> bool:
    return rows >= DEFER_INDEXES_FROM and rows > 4 * Post.objects.count()


def _columns(model: type[Post] | type[PostStatusChange], fields: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    column = {field.attname: field.column for field in model._meta.concrete_fields}
    return ", ".join(quote(column[name]) for name in fields)


def insert_sql(model: type[Post] | type[PostStatusChange], fields: Sequence[str]) -> str:
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({_columns(model, fields)}) VALUES ({marks})"


def write_rows(posts: list[tuple[Any, ...]], history: list[tuple[Any, ...]]) -> None:
    """Posts (POST_FIELDS order) and their history rows (HISTORY_FIELDS), in the current
    transaction: COPY on PostgreSQL, a prepared INSERT run many times on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(insert_sql(Post, POST_FIELDS), posts)
            cursor.executemany(insert_sql(PostStatusChange, HISTORY_FIELDS), history)
            return
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        for model, fields, rows in (
            (Post, POST_FIELDS, posts),
            (PostStatusChange, HISTORY_FIELDS, history),
        ):
            table = connection.ops.quote_name(model._meta.db_table)
            with raw.copy(f"COPY {table} ({_columns(model, fields)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


@contextmanager
def load_mode(defer_indexes: bool, *, durable: bool = True) -> Iterator[None]:
    """Load fast. With `defer_indexes` the posts' and history's own indexes are dropped
    for the block and built after it. On SQLite, a 256 MiB page cache and two sorter
    threads for building them, and when not `durable` (the demo city: a crash mid-load
    only loses demo data) no fsync; SQLite refuses that inside a transaction.

    The index statements run directly: SQLite's schema editor refuses to work inside a
    transaction, and the bulk import drops and builds them inside its own. In a
    transaction a failure rolls the drop back; outside one they are built again first."""
    sqlite = connection.vendor == "sqlite"
    fsync_off = sqlite and not durable and not connection.in_atomic_block
    if sqlite:
        _run_all(["PRAGMA cache_size=-262144", "PRAGMA threads=2"])
    if fsync_off:
        _run_all(["PRAGMA synchronous=OFF"])
    # Only the editor's SQL templates are used: it is never entered, so it has none of
    # the statements an entered editor defers (removing an index looks through them).
    editor = connection.schema_editor()
    editor.deferred_sql = []
    indexes = [(m, i) for m in (Post, PostStatusChange) for i in m._meta.indexes] * defer_indexes
    _run_all(str(index.remove_sql(model, editor)) for model, index in indexes)
    try:
        yield
    except BaseException:
        # PostgreSQL takes no more statements in a failed transaction; its rollback
        # brings the indexes back anyway.
        if not connection.in_atomic_block:
            _run_all(str(index.create_sql(model, editor)) for model, index in indexes)
        raise
    else:
        if indexes and connection.vendor == "postgresql" and connection.in_atomic_block:
            # Django's foreign keys are checked at commit; PostgreSQL builds no index on a
            # table with checks pending, so they run now (and fail the load here if they fail).
            _run_all(["SET CONSTRAINTS ALL IMMEDIATE"])
        _run_all(str(index.create_sql(model, editor)) for model, index in indexes)
    finally:
        if sqlite:
            _run_all(["PRAGMA cache_size=-32000", "PRAGMA threads=0"])
        if fsync_off:
            _run_all(["PRAGMA synchronous=NORMAL"])


def _run_all(statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def after_load() -> None:
    """Move the id sequence past explicit ids (PostgreSQL) and refresh planner statistics.
    Outside a transaction PostgreSQL also VACUUMs, marking pages all-visible so index-only
    scans (the distance search counts posts that way) need not visit the table."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Post]):
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
