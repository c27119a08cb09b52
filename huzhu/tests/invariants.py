"""The database invariants that must hold after any sequence of requests, crashes included.

`violations(cursor)` runs plain SQL through any DB-API cursor (Django's, sqlite3's or
psycopg's), so a test can check a database that a server in another process writes to,
on SQLite and on PostgreSQL alike. It returns one line per broken invariant, naming ids.

They hold for data made through the services. The demo city (`huzhu demo`) writes
reservations without exchanges, so the reservation invariant does not hold there.
"""

import json
from collections.abc import Sequence
from typing import Any, Protocol

from django.db.models import Model

from huzhu.exchanges.models import Exchange, ExchangeStatusChange
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post, PostStatusChange
from huzhu.safety.models import IdempotencyKey

POST = Post._meta.db_table
EXCHANGE = Exchange._meta.db_table
KEYS = IdempotencyKey._meta.db_table
_LISTED = ", ".join(f"'{status}'" for status in sorted(LISTED))
# Exchanges whose units the post holds for them (huzhu/exchanges/reservations.py).
_RESERVING = ", ".join(f"'{status}'" for status in ("accepted", "disputed", "completed"))
POST_SCOPE = "POST /api/v1/posts"  # the scope huzhu/posts/api.py stores its answers under
SAMPLE = 5  # ids quoted per violation


class Cursor(Protocol):
    def execute(self, query: str, /) -> Any: ...
    def fetchall(self) -> Sequence[Any]: ...


def _history_queries(
    thing: str, model: type[Model], history: type[Model], fk: str
) -> dict[str, str]:
    """A status history is complete: it exists, it is a chain, and it ends in the status."""
    table, rows = model._meta.db_table, history._meta.db_table
    return {
        f"{thing} without status history": f"""
            SELECT t.id FROM {table} t
            WHERE NOT EXISTS (SELECT 1 FROM {rows} h WHERE h.{fk} = t.id)""",
        f"{thing} status differs from its last history row": f"""
            SELECT t.id FROM {table} t
            JOIN {rows} h ON h.id = (
                SELECT h2.id FROM {rows} h2 WHERE h2.{fk} = t.id
                ORDER BY h2.at DESC, h2.id DESC LIMIT 1)
            WHERE h.to_status <> t.status""",
        f"{thing} history is not a chain (from_status is not the previous to_status)": f"""
            SELECT {fk} FROM (
                SELECT {fk}, from_status,
                       LAG(to_status) OVER (PARTITION BY {fk} ORDER BY at, id) AS previous
                FROM {rows}) chained
            WHERE (previous IS NULL AND from_status <> '')
               OR (previous IS NOT NULL AND from_status <> previous)""",
    }


# Each query returns the ids of the rows that break the invariant named by its key.
QUERIES = {
    **_history_queries("post", Post, PostStatusChange, "post_id"),
    **_history_queries("exchange", Exchange, ExchangeStatusChange, "exchange_id"),
    "reserved quantity outside 0..quantity": f"""
        SELECT id FROM {POST} WHERE quantity_reserved < 0 OR quantity_reserved > quantity""",
    "reserved quantity is not the units of the accepted, disputed and completed exchanges": f"""
        SELECT p.id FROM {POST} p
        WHERE p.quantity_reserved <> (
            SELECT COALESCE(SUM(e.quantity), 0) FROM {EXCHANGE} e
            WHERE e.post_id = p.id AND e.status IN ({_RESERVING}))""",
    "listed, unhidden post without a rank": f"""
        SELECT id FROM {POST}
        WHERE status IN ({_LISTED}) AND hidden_at IS NULL AND rank IS NULL""",
    "unlisted or hidden post with a rank": f"""
        SELECT id FROM {POST}
        WHERE (status NOT IN ({_LISTED}) OR hidden_at IS NOT NULL) AND rank IS NOT NULL""",
    "idempotency key committed without its answer (status 0)": f"""
        SELECT id FROM {KEYS} WHERE status = 0""",
}


def _answered_creates_exist(cursor: Cursor) -> list[str]:
    """A stored 201 answer to a create names a post that exists and is the key owner's."""
    cursor.execute(
        f"SELECT id, user_id, body FROM {KEYS} WHERE status = 201 AND scope = '{POST_SCOPE}'"
    )
    answers = [(key, user, json.loads(body)["id"]) for key, user, body in cursor.fetchall()]
    if not answers:
        return []
    cursor.execute(f"SELECT id, owner_id FROM {POST}")
    owners = dict(cursor.fetchall())
    broken = [key for key, user, post_id in answers if owners.get(post_id) != user]
    if not broken:
        return []
    return [_describe("idempotency answer names a missing or foreign post", broken)]


def _describe(name: str, ids: Sequence[Any]) -> str:
    shown = ", ".join(str(row) for row in sorted(ids)[:SAMPLE])
    more = f" and {len(ids) - SAMPLE} more" if len(ids) > SAMPLE else ""
    return f"{name}: {shown}{more}"


def violations(cursor: Cursor) -> list[str]:
    """Every invariant that does not hold, as readable lines; empty when all hold."""
    found = []
    for name, query in QUERIES.items():
        cursor.execute(query)
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            found.append(_describe(name, ids))
    return found + _answered_creates_exist(cursor)


def sqlite_integrity(cursor: Cursor) -> str:
    """SQLite's own check of the whole file: "ok", or what is damaged."""
    cursor.execute("PRAGMA integrity_check")
    return "; ".join(str(row[0]) for row in cursor.fetchall())
