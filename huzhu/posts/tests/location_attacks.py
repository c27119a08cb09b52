"""The geometry of the location attacks, apart from any server: bisections and solvers.

Each attack turns an oracle (is the post in this search? what distance does it show?) into
points at a known distance from the post, then solves for the point at those distances.
Pointed at an oracle that measured the exact point, each recovers it to well under a metre
(test_location_attacks checks that); pointed at Huzhu, all it can recover is the public point.
"""

import math
from collections.abc import Callable, Sequence

from huzhu.geo import haversine_km
from huzhu.posts.presenters import public_distance_km
from huzhu.posts.public_point import KM_PER_DEGREE

Point = tuple[float, float]
Member = Callable[[Point, float], bool]  # is the post within radius_km of this centre?
Distance = Callable[[Point], float | None]  # the distance_km shown from this centre

ANCHOR_KM = 15.0
BEARINGS = (0.0, 120.0, 240.0)
TOLERANCE_KM = 1e-7
ROUNDING_EDGE_KM = 10.25  # where the shown distance flips from 10.0 to 10.5


def destination(origin: Point, distance_km: float, bearing_deg: float) -> Point:
    """The point `distance_km` from `origin` along `bearing_deg` on the sphere."""
    angle, bearing = distance_km / 6371.0088, math.radians(bearing_deg)
    p1, l1 = math.radians(origin[0]), math.radians(origin[1])
    p2 = math.asin(
        math.sin(p1) * math.cos(angle) + math.cos(p1) * math.sin(angle) * math.cos(bearing)
    )
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(p1),
        math.cos(angle) - math.sin(p1) * math.sin(p2),
    )
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def bisect(holds: Callable[[float], bool], low: float, high: float) -> float:
    """Where `holds` flips between `low` and `high` (it must differ at the two ends)."""
    at_low = holds(low)
    assert holds(high) != at_low, "the bracket does not hold the edge"
    while high - low > TOLERANCE_KM:
        middle = (low + high) / 2
        if holds(middle) == at_low:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def locate(anchors: Sequence[Point], distances: Sequence[float]) -> Point:
    """The point at `distances` from `anchors`: a plane solution refined on the sphere."""
    origin = anchors[0]
    cos_lat = math.cos(math.radians(origin[0]))

    def to_plane(p: Point) -> tuple[float, float]:
        return (p[1] - origin[1]) * KM_PER_DEGREE * cos_lat, (p[0] - origin[0]) * KM_PER_DEGREE

    def from_plane(x: float, y: float) -> Point:
        return origin[0] + y / KM_PER_DEGREE, origin[1] + x / (KM_PER_DEGREE * cos_lat)

    planar = [to_plane(a) for a in anchors]
    (x0, y0), r0 = planar[0], distances[0]
    rows = [
        (2 * (xi - x0), 2 * (yi - y0), r0**2 - ri**2 + xi**2 + yi**2 - x0**2 - y0**2)
        for (xi, yi), ri in zip(planar[1:], distances[1:], strict=True)
    ]
    x, y = _least_squares(rows)
    for _ in range(30):  # Gauss-Newton on the true (haversine) distances
        residual = [
            haversine_km(*from_plane(x, y), *a) - r for a, r in zip(anchors, distances, strict=True)
        ]
        step = 1e-6
        jacobian = [
            (
                (haversine_km(*from_plane(x + step, y), *a) - haversine_km(*from_plane(x, y), *a))
                / step,
                (haversine_km(*from_plane(x, y + step), *a) - haversine_km(*from_plane(x, y), *a))
                / step,
            )
            for a in anchors
        ]
        dx, dy = _least_squares(
            [(jx, jy, -f) for (jx, jy), f in zip(jacobian, residual, strict=True)]
        )
        x, y = x + dx, y + dy
        if math.hypot(dx, dy) < 1e-9:
            break
    return from_plane(x, y)


def _least_squares(rows: Sequence[tuple[float, float, float]]) -> tuple[float, float]:
    """(x, y) minimising the squared errors of a x + b y = c over `rows`."""
    aa = sum(a * a for a, _, _ in rows)
    ab = sum(a * b for a, b, _ in rows)
    bb = sum(b * b for _, b, _ in rows)
    ac = sum(a * c for a, _, c in rows)
    bc = sum(b * c for _, b, c in rows)
    det = aa * bb - ab * ab
    return (bb * ac - ab * bc) / det, (aa * bc - ab * ac) / det


# --- The attacks ------------------------------------------------------------------------


def radius_trilateration(member: Member, start: Point) -> Point:
    """Three anchors around `start`; at each, bisect the radius at which the post appears."""
    anchors = [destination(start, ANCHOR_KM, b) for b in BEARINGS]
    radii = [bisect(lambda r, a=a: member(a, r), 1.0, 50.0) for a in anchors]  # type: ignore[misc]
    return locate(anchors, radii)


def ray_circumcentre(member: Member, start: Point, radius_km: float) -> Point | None:
    """From a centre whose search holds the post, walk three rays to where it drops out:
    three points on the circle of `radius_km` around the post, whose centre is the post."""
    inside = _find_inside(member, start, radius_km)
    if inside is None:
        return None
    edges = [
        destination(
            inside,
            bisect(lambda t, b=b: member(destination(inside, t, b), radius_km), 0, 3 * radius_km),  # type: ignore[misc]
            b,
        )
        for b in BEARINGS
    ]
    return locate(edges, [radius_km] * 3)


def _find_inside(member: Member, start: Point, radius_km: float) -> Point | None:
    """A centre within `radius_km` of the post, searched on a widening grid around `start`."""
    step = radius_km
    for ring in range(12):
        for k in range(max(1, 6 * ring)):
            point = destination(start, ring * step, 360 * k / max(1, 6 * ring))
            if member(point, radius_km):
                return point
        if ring * step > 12:
            return None
    return None


def rounding_edges(distance: Distance, start: Point) -> Point:
    """Walk three rays from `start` to where the shown distance flips from 10.0 to 10.5 km:
    three points exactly 10.25 km from the post."""

    def beyond(point: Point) -> bool:
        shown = distance(point)
        return shown is None or shown > 10.0  # None: beyond the search's reach

    edges = [
        destination(start, bisect(lambda t, b=b: beyond(destination(start, t, b)), 0, 30), b)  # type: ignore[misc]
        for b in BEARINGS
    ]
    return locate(edges, [ROUNDING_EDGE_KM] * 3)


# --- Oracles measuring a known point: what a leaky server would answer ---------------------


def member_of(point: Point) -> Member:
    return lambda centre, radius: haversine_km(*centre, *point) <= radius


def distance_to(point: Point) -> Distance:
    return lambda centre: public_distance_km(haversine_km(*centre, *point))
