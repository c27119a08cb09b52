"""Where a post is, privately and publicly: cells, distances and search covers.

The exact point stays on the server and serves only its owner. Search reads the post's
public point (posts/public_point.py), indexed by H3 cells: resolution 9 for distance
search, and coarser parents (5–8) whose (cell, rank) indexes give urgency-ordered scans.
The shown `area` is the centre of the precision cell, which holds both points.
"""

import math
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import h3
from django.utils.translation import gettext as _
from h3.api import basic_int as h3_int

from huzhu.errors import Invalid

EARTH_RADIUS_KM = 6371.0088
INDEX_RESOLUTION = 9
RANK_RESOLUTIONS = (5, 6, 7, 8)
# Public precision in metres -> the H3 resolution whose cells are about that wide.
AREA_RESOLUTIONS = {1000: 7, 5000: 5}


def area_cell_for(lat: float, lng: float, precision_m: int) -> int:
    return int(h3.str_to_int(h3.latlng_to_cell(lat, lng, AREA_RESOLUTIONS[precision_m])))


# Every card and every API answer asks for its cell's centre; a busy area's pages show the
# same cells again and again, and h3's conversions are most of the cost.
@lru_cache(maxsize=65536)
def area_centre(area_cell: int) -> tuple[float, float]:
    lat, lng = h3.cell_to_latlng(h3.int_to_str(area_cell))
    return round(lat, 4), round(lng, 4)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# --- Covering a search area with cells ---------------------------------------------------
# A post belongs to cell P at resolution r when P is the parent of its resolution-9 cell.
# H3 children are not geometrically inside their parent, so the points whose res-9 cell
# descends from P spread a little beyond P's hexagon: by at most ~6% of P's circumradius
# over the whole globe, pentagons included (test_search measures it). We allow 20%.
DESCENDANT_REACH = 1.2
# Slack on every distance bound, in km: covers float rounding with a wide margin.
SLACK_KM = 1e-5
_H3_RES_OFFSET = 52
_H3_DIGIT_BITS = 3


class CoverCell(NamedTuple):
    cell: int
    res: int
    inside: bool  # every post in the cell lies within the annulus
    area_km2: float


class _Disc(NamedTuple):
    """A disc around a cell's centre holding every point whose res-9 cell descends from it."""

    lat: float  # radians, like the two below
    lng: float
    cos_lat: float
    corner_km: float  # the hexagon's circumradius
    reach_km: float
    area_km2: float
    res: int


@lru_cache(maxsize=200_000)
def cell_disc(cell: int) -> _Disc:
    """The cell's covering disc. Cached: the cells of busy areas recur in every search."""
    lat, lng = h3_int.cell_to_latlng(cell)
    corner = max(haversine_km(lat, lng, vlat, vlng) for vlat, vlng in h3_int.cell_to_boundary(cell))
    res = h3_int.get_resolution(cell)
    reach = corner if res == INDEX_RESOLUTION else corner * DESCENDANT_REACH
    lat_r, lng_r = math.radians(lat), math.radians(lng)
    area = h3_int.cell_area(cell, "km^2")
    return _Disc(lat_r, lng_r, math.cos(lat_r), corner, reach + SLACK_KM, area, res)


def res9_range(cell: int) -> tuple[int, int]:
    """The resolution-9 descendants of `cell` as one inclusive integer range.

    An H3 index stores its resolution and then one 3-bit digit per level, unused levels set
    to 7. Every res-9 descendant shares the cell's prefix and has digits 0..6 below it, so
    they lie between "all zeros" and "all sixes"; any integer in between that is not a
    descendant has a digit 7 somewhere in levels 1..9 and is no valid res-9 cell at all.
    """
    res = h3_int.get_resolution(cell)
    low = high = (cell & ~(0xF << _H3_RES_OFFSET)) | (INDEX_RESOLUTION << _H3_RES_OFFSET)
    for level in range(res + 1, INDEX_RESOLUTION + 1):
        shift = (15 - level) * _H3_DIGIT_BITS
        low &= ~(7 << shift)
        high = (high & ~(7 << shift)) | (6 << shift)
    return low, high


@dataclass(frozen=True)
class Annulus:
    """The points at a distance d with inner_km <= d <= outer_km from (lat, lng)."""

    lat: float
    lng: float
    outer_km: float
    inner_km: float = 0.0
    # (lat, lng, cos lat) in radians, precomputed: covers measure hundreds of distances.
    _trig: tuple[float, float, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lat = math.radians(self.lat)
        object.__setattr__(self, "_trig", (lat, math.radians(self.lng), math.cos(lat)))

    def centre_km(self, disc: _Disc) -> float:
        """The haversine distance to the disc's centre."""
        lat, lng, cos_lat = self._trig
        half_dlat = math.sin((disc.lat - lat) / 2)
        half_dlng = math.sin((disc.lng - lng) / 2)
        a = half_dlat * half_dlat + cos_lat * disc.cos_lat * half_dlng * half_dlng
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))

    def classify(self, cell: int) -> CoverCell | None:
        """The cell as part of a cover, or None if none of its posts can lie in the annulus."""
        disc = cell_disc(cell)
        centre, reach = self.centre_km(disc), disc.reach_km
        if centre - reach > self.outer_km or centre + reach < self.inner_km:
            return None
        inside = centre + reach <= self.outer_km and centre - reach >= self.inner_km
        return CoverCell(cell, disc.res, inside, disc.area_km2)

    def far_beyond(self, cell: int) -> bool:
        """Whether the cell's hexagon stays a whole reach away from the outer circle."""
        disc = cell_disc(cell)
        return self.centre_km(disc) - 2 * disc.reach_km > self.outer_km


def _start_resolution(outer_km: float, coarsest: int, finest: int) -> int:
    # The finest resolution whose cells are at least a quarter of the radius wide, so that
    # the first disk of cells has a few dozen members.
    for res in range(finest, coarsest - 1, -1):
        if h3.average_hexagon_edge_length(res, "km") >= outer_km / 4:
            return res
    return coarsest


def _enclosing_disk(area: Annulus, res: int) -> list[int]:
    """A disk of cells around the centre whose outermost ring lies far beyond the circle.

    That ring separates the disk from the rest of the sphere: once none of its cells comes
    within two reaches of the circle, no cell beyond does, nor do their descendants (which
    spread less than one reach past their own hexagons).
    """
    origin = h3_int.latlng_to_cell(area.lat, area.lng, res)
    disc = cell_disc(origin)
    # Ring k lies at least 1.5 k circumradii from the centre on a regular hexagon grid;
    # start just short of the ring that should be far enough and step out until it is.
    k = max(1, int((area.outer_km + 2 * disc.reach_km) / (1.5 * disc.corner_km)) - 1)
    while not all(area.far_beyond(cell) for cell in h3_int.grid_ring(origin, k)):
        k += 1
    return h3_int.grid_disk(origin, k)  # type: ignore[no-any-return]


@lru_cache(maxsize=1024)
def annulus_cover(
    area: Annulus, *, coarsest: int = 5, finest: int = INDEX_RESOLUTION, max_cells: int = 64
) -> tuple[CoverCell, ...]:
    """Cells (resolutions `coarsest`..`finest`) that together hold every post in `area`.

    Cells that may straddle its edge are split into children while the cover stays within
    `max_cells`: finer edges mean fewer posts fetched from outside the area. Cached, so
    that the next page of the same search skips the geometry.
    """
    res = _start_resolution(area.outer_km, coarsest, finest)
    cover = [c for cell in _enclosing_disk(area, res) if (c := area.classify(cell))]
    done = [c for c in cover if c.inside or c.res >= finest]
    edge = deque(sorted((c for c in cover if not c.inside and c.res < finest), key=lambda c: c.res))
    while edge:
        parent = edge.popleft()
        if len(done) + len(edge) + 7 > max_cells:  # no room for all seven children
            done.append(parent)
            continue
        children = [
            c
            for child in h3_int.cell_to_children(parent.cell, parent.res + 1)
            if (c := area.classify(child))
        ]
        for child in children:
            (done if child.inside or child.res >= finest else edge).append(child)
    return tuple(done)


def check_point(lat: float, lng: float) -> None:
    """Invalid (422, naming the field) unless (lat, lng) is a point on Earth."""
    if not -90 <= lat <= 90:
        raise Invalid(_("Latitude must be between -90 and 90."), field="lat")
    if not -180 <= lng <= 180:
        raise Invalid(_("Longitude must be between -180 and 180."), field="lng")
