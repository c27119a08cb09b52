"""Nearby search: the one query code path behind the API list and the web feed.

Results are exact over public points: every listed post whose public point
(posts/public_point.py) lies within the radius and none outside. The exact point a person
gave is never read here: membership, distances, order, ties and cursors all derive from the
public point, so a client learns nothing finer than the post's precision cell however it
probes. The database narrows the search with H3 cells of the public point; Python measures
the great-circle distance of each candidate.

- urgency: a cover of cells (geo.annulus_cover) is read through the (cell_rN, rank, id)
  indexes in (rank, id) order: on SQLite one UNION ALL that it merges lazily, on
  PostgreSQL one LATERAL scan per cell. A page costs an index seek per cell plus the rows
  it reads; rows outside the circle are dropped and the scan continues if need be.
- distance: growing annuli, each a cover whose cells become ranges of the h3_r9 index (the
  res-9 descendants of any cell are one integer range), until the page is full.

The SQL differs between the databases only where their planners need it; the filters,
the covers and the exact checks are shared, and the tests run on both.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from h3.api import basic_int as h3_int

from huzhu import geo
from huzhu.errors import Invalid
from huzhu.posts import cursors, keywords
from huzhu.posts.models import Post
from huzhu.posts.tags import TAG_CODES, tag_bit

MIN_RADIUS_KM, MAX_RADIUS_KM = 1.0, 50.0
MAX_LIMIT = 100
SORTS = ("urgency", "distance")
# Urgency scans: the finest cell column with a (cell, rank, id) index, and how many cells
# one query may merge. Each cell costs an index seek in every round (~25 us on SQLite);
# more cells hug the circle tighter. On the 1M-post bench city 32 cells beat 64 at 5 and
# 10 km (p99 6 ms against 10 ms) and equal it elsewhere; 16-24 are no better.
URGENCY_FINEST_RES = 8
URGENCY_MAX_CELLS = 32
# Distance search: the cell whose post count sizes the first annulus, the first annulus
# when that cell is empty, the narrowest annulus (km), and how many ranges one query scans.
DENSITY_PROBE_RES = 8
EMPTY_FIRST_RING_KM = 2.0
MIN_RING_KM = 0.03
DISTANCE_MAX_CELLS = 96


@dataclass(frozen=True)
class SearchParams:
    lat: float
    lng: float
    radius_km: float = 5.0
    kind: str | None = None
    category: str | None = None
    item_id: int | None = None
    tag: str | None = None
    sort: str = "urgency"  # or "distance"
    # A keyword (posts/keywords.py): an item's name or alias in either language, or title words.
    text: str | None = None
    limit: int = 20
    cursor: str | None = None


@dataclass
class SearchPage:
    hits: list[tuple[Post, float]] = field(default_factory=list)  # (post, distance km)
    next_cursor: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A post as the hot path sees it: its ordering keys and its public point's distance."""

    id: int
    rank: int
    distance_km: float

    def key(self, sort: str) -> tuple[float, int]:
        return (self.rank, self.id) if sort == "urgency" else (self.distance_km, self.id)


def search_posts(params: SearchParams) -> SearchPage:
    """One page of listed posts within `params.radius_km`, in the requested order."""
    _validate(params)
    after = cursors.unseal(params, params.cursor) if params.cursor else None
    query = _Query(params, timezone.now())
    found = query.by_urgency(after) if params.sort == "urgency" else query.by_distance(after)
    page = found[: params.limit]
    more = len(found) > params.limit
    posts = Post.objects.select_related("category", "item").in_bulk([c.id for c in page])
    return SearchPage(
        # A post deleted since the scan (its owner erased the account) is left out.
        hits=[(posts[c.id], c.distance_km) for c in page if c.id in posts],
        next_cursor=cursors.seal(params, page[-1].key(params.sort)) if more else None,
    )


def _validate(params: SearchParams) -> None:
    geo.check_point(params.lat, params.lng)
    if not MIN_RADIUS_KM <= params.radius_km <= MAX_RADIUS_KM:
        raise Invalid(_("The radius must be between 1 and 50 km."), field="radius_km")
    if not 1 <= params.limit <= MAX_LIMIT:
        raise Invalid(_("The limit must be between 1 and 100."), field="limit")
    if params.sort not in SORTS:
        raise Invalid(_("Sort by urgency or by distance."), field="sort")
    if params.tag is not None and params.tag not in TAG_CODES:
        raise Invalid(_("Unknown tag %(tag)s.") % {"tag": params.tag}, field="tag")
    if params.text is not None and len(params.text) > keywords.MAX_LENGTH:
        limit = keywords.MAX_LENGTH
        message = ngettext(
            "Search for at most %(count)d character.",
            "Search for at most %(count)d characters.",
            limit,
        )
        raise Invalid(message % {"count": limit}, field="q")


# --- The two search strategies -----------------------------------------------------------
POSTS = Post._meta.db_table
COLUMNS = "id, rank, public_lat, public_lng"


class _Query:
    """One search: the shared filter SQL and the two strategies that use it."""

    def __init__(self, params: SearchParams, now: datetime) -> None:
        self.params = params
        self.want = params.limit + 1  # one more than a page tells whether another follows
        # The filters every scan repeats. `+column` keeps both planners off the foreign-key
        # indexes: a rare item must not turn an ordered cell scan into a sort. (PostgreSQL
        # has no unary plus for text.)
        where = ["rank IS NOT NULL", "closes_at > %s"]
        args: list[Any] = [connection.ops.adapt_datetimefield_value(now)]
        if params.kind:
            # On SQLite `+kind` too: for `kind = ?` it would build a transient index on each
            # distance ring's query (about 200 ms on a million posts, every match for a need).
            where.append("+kind = %s" if connection.vendor == "sqlite" else "kind = %s")
            args.append(params.kind)
        if params.category:
            where.append("+category_id = (SELECT id FROM posts_category WHERE code = %s)")
            args.append(params.category)
        if params.item_id:
            where.append("+item_id = %s")
            args.append(params.item_id)
        if params.tag:
            where.append("(tag_bits & %s) != 0")
            args.append(tag_bit(params.tag))
        keyword = keywords.keyword_sql(params.text or "")
        if keyword is not None:
            where.append(keyword[0])
            args.extend(keyword[1])
        self.where, self.args = " AND ".join(where), args
        # Filters that may match few posts, so that scans read far to find each match.
        self.selective = bool(params.category or params.item_id or params.tag or keyword)

    def distance_km(self, lat: float, lng: float) -> float:
        return geo.haversine_km(self.params.lat, self.params.lng, lat, lng)

    def by_urgency(self, after: tuple[float, int] | None) -> list[Candidate]:
        """The first `want` posts by (rank, id) after `after`, within the radius."""
        radius = self.params.radius_km
        area = geo.Annulus(self.params.lat, self.params.lng, radius)
        cover = geo.annulus_cover(area, finest=URGENCY_FINEST_RES, max_cells=URGENCY_MAX_CELLS)
        # Rows from cells straddling the circle may lie outside it: ask for enough rows that
        # one round usually suffices, judging by how much of the cover the circle fills.
        filled = min(1.0, math.pi * radius**2 / sum(c.area_km2 for c in cover))
        batch = math.ceil(self.want / filled * 1.25) + 8
        found: list[Candidate] = []
        read = 0
        while True:
            rows = self._urgency_rows(cover, after, batch)
            read += len(rows)
            for post_id, rank, lat, lng in rows:
                distance = self.distance_km(lat, lng)
                if distance <= radius:
                    found.append(Candidate(post_id, rank, distance))
            if len(found) >= self.want or len(rows) < batch:
                return found[: self.want]
            # Posts cluster, so the share of rows inside the circle can be far below the
            # share of area: size the next round by the share seen so far, so that one more
            # round usually suffices (each round costs a seek per cell).
            share = max(len(found), 1) / read
            after = (rows[-1][1], rows[-1][0])
            batch = max(batch, math.ceil((self.want - len(found)) / share * 1.5) + 8)

    def _urgency_rows(
        self, cover: Sequence[geo.CoverCell], after: tuple[float, int] | None, limit: int
    ) -> list[tuple[int, int, float, float]]:
        where, args = self.where, self.args
        if after is not None:
            where += " AND (rank, id) > (%s, %s)"
            args = [*args, int(after[0]), after[1]]
        if connection.vendor == "postgresql" and self.selective:
            sql, params = _fenced_urgency_sql(cover, where, args, limit)
        elif connection.vendor == "postgresql":
            sql, params = _lateral_urgency_sql(cover, where, args, limit)
        else:
            sql, params = _merged_urgency_sql(cover, where, args, limit)
        return self._fetch(sql, params)

    def by_distance(self, after: tuple[float, int] | None) -> list[Candidate]:
        """The first `want` posts by (distance, id) after `after`, within the radius.

        Each round scans an annulus beyond the last one; after a round every post up to its
        outer radius is known, so the page is final once it holds `want` posts that near.
        """
        radius, want = self.params.radius_km, self.want
        known_km = after[0] if after else 0.0
        outer_km = min(radius, self._first_ring_km(known_km))
        found: dict[int, Candidate] = {}
        while True:
            area = geo.Annulus(self.params.lat, self.params.lng, outer_km, known_km)
            cover = geo.annulus_cover(area, max_cells=DISTANCE_MAX_CELLS)
            rows = self._range_rows(cover, outer_km)
            scanned = len(rows)
            for post_id, rank, lat, lng in rows:
                distance = self.distance_km(lat, lng)
                if distance <= radius and (after is None or (distance, post_id) > after):
                    found[post_id] = Candidate(post_id, rank, distance)
            near = sorted(
                (c for c in found.values() if c.distance_km <= outer_km),
                key=lambda c: (c.distance_km, c.id),
            )
            if len(near) >= want or outer_km >= radius:
                return near[:want]
            known_km, outer_km = outer_km, min(radius, outer_km * _growth(want, scanned, outer_km))

    def _first_ring_km(self, inner_km: float) -> float:
        """An outer radius for the first annulus that should hold two pages of posts, from
        the density of listed posts in the query's res-8 cell: counting them reads only the
        h3_r9 index, while every row a ring scans costs a table lookup."""
        cell = h3_int.latlng_to_cell(self.params.lat, self.params.lng, DENSITY_PROBE_RES)
        sql = f"SELECT count(*) FROM {POSTS} WHERE h3_r9 BETWEEN %s AND %s AND rank IS NOT NULL"
        with connection.cursor() as cursor:
            cursor.execute(sql, list(geo.res9_range(cell)))
            count = int(cursor.fetchone()[0])
        if count == 0:
            return inner_km + EMPTY_FIRST_RING_KM
        per_km2 = count / geo.cell_disc(cell).area_km2
        outer = math.sqrt(inner_km**2 + 2 * self.want / (math.pi * per_km2))
        return max(outer, inner_km + MIN_RING_KM)

    def _range_rows(
        self, cover: Sequence[geo.CoverCell], outer_km: float
    ) -> list[tuple[int, int, float, float]]:
        where, args = self.where, self.args
        box = bounding_box(self.params.lat, self.params.lng, outer_km)
        if box is not None:
            where += " AND public_lat BETWEEN %s AND %s AND public_lng BETWEEN %s AND %s"
            args = [*args, *box]
        ranges = _merge_ranges(sorted(geo.res9_range(c.cell) for c in cover))
        if connection.vendor == "postgresql":
            # A join against the ranges tempts PostgreSQL into one sequential scan; LATERAL
            # makes it run one index range scan per range.
            sql = (
                f"SELECT found.* FROM unnest(%s::bigint[], %s::bigint[]) AS ranges(low, high) "
                f"CROSS JOIN LATERAL (SELECT {COLUMNS} FROM {POSTS} "
                f"WHERE h3_r9 BETWEEN ranges.low AND ranges.high AND {where} OFFSET 0) AS found"
            )
            return self._fetch(sql, [[r[0] for r in ranges], [r[1] for r in ranges], *args])
        # SQLite runs the join as a loop over the ranges with one index range scan each
        # (a UNION ALL of one scan per range would cost a millisecond just to prepare).
        # CROSS JOIN keeps the ranges the outer loop: with a tag filter on ten million
        # posts the planner otherwise skip-scans the whole h3 index by latitude (200 ms).
        values = ", ".join(["(%s, %s)"] * len(ranges))
        sql = (
            f"SELECT {COLUMNS} FROM (VALUES {values}) AS ranges CROSS JOIN {POSTS} "
            f"ON h3_r9 BETWEEN ranges.column1 AND ranges.column2 WHERE {where}"
        )
        return self._fetch(sql, [*(bound for pair in ranges for bound in pair), *args])

    @staticmethod
    def _fetch(sql: str, params: list[Any]) -> list[tuple[int, int, float, float]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[tuple[int, int, float, float]] = cursor.fetchall()
            return rows


# --- Urgency SQL: a lazy merge of per-cell index scans, in each database's dialect -------
# A cell id no post has, and the group size, for padding the scans to canonical shapes.
NO_CELL = 0
ARM_GROUP = 8


def _cells_by_resolution(cover: Sequence[geo.CoverCell]) -> dict[int, list[int]]:
    by_res: dict[int, list[int]] = {}
    for cell in sorted(cover):
        by_res.setdefault(cell.res, []).append(cell.cell)
    return by_res


def _merged_urgency_sql(
    cover: Sequence[geo.CoverCell], where: str, args: list[Any], limit: int
) -> tuple[str, list[Any]]:
    """SQLite: a UNION ALL of one (cell, rank, id) index scan per cell under ORDER BY and
    LIMIT, which SQLite runs as a MERGE of co-routines that each read only as far as the
    merge needs. Each resolution's scans are padded to a multiple of eight with a cell no
    post has, so covers of similar size share one SQL text and SQLite reuses the prepared
    statement: preparing 60 scans costs about a millisecond, a padding seek a microsecond.
    """
    arms, params = [], []
    for res, cells in _cells_by_resolution(cover).items():
        for cell in cells + [NO_CELL] * (-len(cells) % ARM_GROUP):
            arms.append(f"SELECT {COLUMNS} FROM {POSTS} WHERE cell_r{res} = %s AND {where}")
            params += [cell, *args]
    return " UNION ALL ".join(arms) + " ORDER BY rank, id LIMIT %s", [*params, limit]


def _lateral_urgency_sql(
    cover: Sequence[geo.CoverCell], where: str, args: list[Any], limit: int
) -> tuple[str, list[Any]]:
    """PostgreSQL: per resolution, a LATERAL subquery reads the first `limit` rows of each
    cell from its (cell, rank, id) index. PostgreSQL would plan SQLite's UNION ALL as one
    big scan and sort; this query plans in a fraction of a millisecond and, without a
    selective filter, reads little more than `limit` rows per cell."""
    arms, params = [], []
    for res, cells in _cells_by_resolution(cover).items():
        arms.append(
            f"SELECT found.* FROM unnest(%s::bigint[]) AS cells(cell) CROSS JOIN LATERAL "
            f"(SELECT {COLUMNS} FROM {POSTS} WHERE cell_r{res} = cells.cell AND {where} "
            f"ORDER BY rank, id LIMIT %s) AS found"
        )
        params += [cells, *args, limit]
    sql = " UNION ALL ".join(arms)
    return f"SELECT * FROM ({sql}) AS merged ORDER BY rank, id LIMIT %s", [*params, limit]


def _fenced_urgency_sql(
    cover: Sequence[geo.CoverCell], where: str, args: list[Any], limit: int
) -> tuple[str, list[Any]]:
    """PostgreSQL with a selective filter: one ordered, LIMIT-fenced scan per cell under a
    Merge Append, which like SQLite's merge reads each cell only as far as needed. Planning
    60 such arms takes PostgreSQL about 10 ms, much less than LATERAL scans that each look
    for `limit` rare matches."""
    arms, params = [], []
    for res, cells in _cells_by_resolution(cover).items():
        for cell in cells:
            arms.append(
                f"(SELECT {COLUMNS} FROM {POSTS} WHERE cell_r{res} = %s AND {where} "
                f"ORDER BY rank, id LIMIT %s)"
            )
            params += [cell, *args, limit]
    return " UNION ALL ".join(arms) + " ORDER BY rank, id LIMIT %s", [*params, limit]


def _growth(want: int, in_box: int, box_km: float) -> float:
    """How much wider the next annulus should be. The rows of the last round came from its
    bounding box, a square of side 2 * box_km: from their density, aim at a circle holding
    two pages' worth, so that one more round usually suffices. With nothing seen (a rare
    tag or item), widen threefold: a longer leap risks scanning a whole district for it."""
    if in_box == 0:
        return 3.0
    expected_per_km2 = in_box / (4 * box_km**2)
    wanted_km = math.sqrt(2 * want / (math.pi * expected_per_km2))
    return min(4.0, max(1.5, wanted_km / box_km))


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def bounding_box(
    lat: float, lng: float, radius_km: float
) -> tuple[float, float, float, float] | None:
    """(lat_min, lat_max, lng_min, lng_max) around the circle, a little generous, or None
    when the circle reaches a pole or crosses the antimeridian (then cells alone narrow)."""
    angle = radius_km / geo.EARTH_RADIUS_KM
    dlat = math.degrees(angle) * (1 + 1e-9) + 1e-9
    if abs(lat) + dlat >= 89.0:
        return None
    dlng = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(lat)))))
    dlng = dlng * (1 + 1e-9) + 1e-9
    if lng - dlng < -180 or lng + dlng > 180:
        return None
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng
