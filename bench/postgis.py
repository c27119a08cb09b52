"""PostGIS baselines: the benchmark's posts in a scratch geography table, searched two ways.

The same posts (id, rank, urgency level, tag bits, listed flag, point) go into
`bench_postgis.posts` with a `geography(Point)` column and GiST indexes, then:

- `dwithin`: `ST_DWithin` within the radius, `ORDER BY rank, id` (urgency) or distance,
  `LIMIT 20`: what one would write first with PostGIS.
- `knn`: one nearest-neighbour scan (`ORDER BY geog <-> point`) per urgency level, each
  `LIMIT 20` within the radius, merged by the sort key in the same statement. Exact for
  the distance sort but for ties at a level's 20th post; for the urgency sort it is the
  nearest 20 of each level, not the most urgent, and its agreement column says how often
  that is the same page. Each arm orders by the distance operator alone: with `, id`
  after it PostgreSQL cannot read the GiST index in distance order and sorts every post
  within the radius instead (1.3 s rather than 7 ms for one level at 50 km on 1M posts).

Distances are on the sphere (`use_spheroid => false`), the model Huzhu measures with, so
the answers can be compared with the brute force post for post.
"""

import time
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

from bench.brute import BruteForce
from bench.search import LIMIT, Row, percentile, spread

SCHEMA = "bench_postgis"
METHODS = ("dwithin", "knn")
UNKNOWN_LEVEL = 1000  # "still needed?" posts rank ten years later: a level of their own
INSTALL_HINT = (
    "PostGIS is not installed on this PostgreSQL server (Debian: apt-get install "
    "postgresql-15-postgis-3; `make bench-deps` does it when run as root)"
)

_POINT = "ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326)::geography"
_DISTANCE = f"ST_Distance(geog, {_POINT}, false) / 1000"
_WITHIN = f"listed AND ST_DWithin(geog, {_POINT}, %(metres)s, false)"
_TAG = " AND tag_bits & %(tag_bit)s <> 0"


# The baselines get the setting Huzhu's own connections have (huzhu/settings.py): with
# PostgreSQL's default `jit = on`, the costly plans of wide searches are JIT compiled on
# every execution, which alone took seconds per query at 50 km.
_OPTIONS = "-c jit=off"


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection; the database is created when it does not exist yet."""
    try:
        return psycopg.connect(url, autocommit=True, options=_OPTIONS)
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    maintenance = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))
    return psycopg.connect(url, autocommit=True, options=_OPTIONS)


def missing(connection: psycopg.Connection[Any]) -> str | None:
    """Why the baselines cannot run on this server, or None when they can."""
    row = connection.execute(
        "SELECT count(*) FROM pg_available_extensions WHERE name IN ('postgis', 'btree_gist')"
    ).fetchone()
    return None if row and row[0] == 2 else INSTALL_HINT


def listed_rows(now: Any) -> Iterator[tuple[int, int, int, int, bool, float, float]]:
    """Every post of the Django database: (id, rank, level, tag bits, listed, lat, lng), at
    its public point, which is what Huzhu's search measures."""
    from django.db import connection, transaction

    from huzhu.posts.models import Post
    from huzhu.posts.tags import boost_seconds

    # A chunked cursor (server-side on PostgreSQL, inside a transaction) streams the posts
    # into COPY: ten million rows need not sit in memory at once.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT id, rank, tag_bits, status, public_lat, public_lng, "
            f"CASE WHEN rank IS NOT NULL AND closes_at > %s THEN 1 ELSE 0 END "
            f"FROM {Post._meta.db_table}",
            [connection.ops.adapt_datetimefield_value(now)],
        )
        while chunk := cursor.fetchmany(20_000):
            for post_id, rank, bits, status, lat, lng, listed in chunk:
                level = boost_seconds(bits) // 3600
                if status == Post.Status.UNKNOWN:
                    level += UNKNOWN_LEVEL
                yield post_id, rank or 0, level, bits, bool(listed), lat, lng


def load(connection: psycopg.Connection[Any], rows: Iterator[tuple[Any, ...]]) -> list[int]:
    """(Re)build the scratch table from `rows`; the urgency levels of listed posts."""
    connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    connection.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    connection.execute(f"CREATE SCHEMA {SCHEMA}")
    connection.execute(
        f"CREATE TABLE {SCHEMA}.posts (id bigint PRIMARY KEY, rank bigint NOT NULL, "
        "level integer NOT NULL, tag_bits bigint NOT NULL, listed boolean NOT NULL, "
        "geog geography(Point, 4326) NOT NULL)"
    )
    columns = "id, rank, level, tag_bits, listed, geog"
    with connection.cursor().copy(f"COPY {SCHEMA}.posts ({columns}) FROM STDIN") as copy:
        for post_id, rank, level, bits, listed, lat, lng in rows:
            # repr() round-trips a float exactly: the table holds the very same points.
            copy.write_row((post_id, rank, level, bits, listed, f"POINT({lng!r} {lat!r})"))
    # Partial, like Huzhu's search indexes: only listed posts are ever searched.
    connection.execute(f"CREATE INDEX ON {SCHEMA}.posts USING gist (geog) WHERE listed")
    connection.execute(f"CREATE INDEX ON {SCHEMA}.posts USING gist (level, geog) WHERE listed")
    # VACUUM too: a freshly copied table has no visibility map and no hint bits, so the
    # first queries would write every page they read.
    connection.execute(f"VACUUM (ANALYZE) {SCHEMA}.posts")
    found = connection.execute(
        f"SELECT DISTINCT level FROM {SCHEMA}.posts WHERE listed ORDER BY level"
    ).fetchall()
    return [level for (level,) in found]


def statement(method: str, sort: str, levels: list[int], *, tagged: bool) -> str:
    """The SQL of one baseline search; parameters lat, lng, metres, tag_bit."""
    tag = _TAG if tagged else ""
    order = "rank, id" if sort == "urgency" else "distance, id"
    if method == "dwithin":
        return (
            f"SELECT id, {_DISTANCE} AS distance FROM {SCHEMA}.posts "
            f"WHERE {_WITHIN}{tag} ORDER BY {order} LIMIT {LIMIT}"
        )
    arms = [
        f"(SELECT id, rank, {_DISTANCE} AS distance FROM {SCHEMA}.posts "
        f"WHERE level = {int(level)} AND {_WITHIN}{tag} "
        f"ORDER BY geog <-> {_POINT} LIMIT {LIMIT})"
        for level in levels
    ]
    return (
        f"SELECT id, distance FROM ({' UNION ALL '.join(arms)}) AS nearest "
        f"ORDER BY {order} LIMIT {LIMIT}"
    )


def measure(
    connection: psycopg.Connection[Any],
    brute: BruteForce,
    points: list[tuple[float, float]],
    *,
    method: str,
    levels: list[int],
    radius: float,
    sort: str,
    tagged: bool,
    seconds: float = float("inf"),
    check: bool = True,
) -> Row:
    """Time one baseline at each point, for at most about `seconds` (a query at 50 km on
    ten million posts takes seconds: the row says how many ran), and compare each page
    with the brute force."""
    from huzhu.posts.tags import TAG_CODES, tag_bit

    query = statement(method, sort, levels, tagged=tagged)
    timings: list[float] = []
    cpu_timings: list[float] = []
    agreed = hits = 0
    deadline = time.perf_counter() + seconds
    with connection.cursor() as cursor:
        for index, (lat, lng) in enumerate(points):
            if timings and time.perf_counter() > deadline:
                break
            bit = tag_bit(TAG_CODES[index % len(TAG_CODES)]) if tagged else 0
            params = {"lat": lat, "lng": lng, "metres": radius * 1000, "tag_bit": bit}
            started, cpu_started = time.perf_counter(), time.process_time()
            got = cursor.execute(query, params, prepare=True).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu_started) * 1000)
            hits += len(got)
            if not check:
                continue
            expected = brute.first_page(
                lat, lng, radius_km=radius, sort=sort, limit=LIMIT, tag_bit=bit
            )
            same_ids = [i for i, _ in got] == [i for i, _ in expected]
            # PostGIS's sphere is 3 mm wider than geo.EARTH_RADIUS_KM: a millimetre apart.
            close = all(abs(a[1] - b[1]) < 1e-6 for a, b in zip(got, expected, strict=False))
            agreed += same_ids and close
    cpu_timings.sort()
    return Row(
        radius_km=radius,
        sort=sort,
        tag_filter=tagged,
        queries=len(timings),
        **spread(timings),
        cpu_p99_ms=round(percentile(cpu_timings, 0.99), 2),
        mean_hits=round(hits / len(timings), 1),
        agreement=agreed / len(timings),
    )


def database_size(connection: psycopg.Connection[Any]) -> int:
    row = connection.execute(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
        [SCHEMA],
    ).fetchone()
    return int(row[0]) if row else 0
