"""A post's public point: the only location anything a non-owner observes is computed from.

The exact point a person gives stays private. Every search, distance, order, feed, match,
alert, map and statistic reads the public point instead (docs/ARCHITECTURE.md, "Location
and search"). It is the centre of the post's precision cell (H3 resolution 7, about 1 km,
or 5, about 5-9 km) moved by an offset that an HMAC keyed by the server's secret draws from
(owner, cell) alone, so:

- it never depends on where in the cell the exact point lies: however precisely a client
  measures the public point, it learns the cell and nothing finer;
- it is fixed: moving within the cell or posting again there gives the same point, so many
  posts from one person are no more samples than one, and averaging posts of different
  people converges to the cell, not to anyone's home;
- it is not the bare centre, so posts of a busy cell do not all sit at one point.
"""

import hashlib
import hmac
import math
from functools import lru_cache

from django.conf import settings
from h3.api import basic_int as h3_int

from huzhu.geo import AREA_RESOLUTIONS, INDEX_RESOLUTION, haversine_km

# The offset stays within this share of the cell's inner radius, so the point is inside.
OFFSET_SHARE = 0.75
KM_PER_DEGREE = 111.19492664455873  # 2 pi R / 360 with geo.EARTH_RADIUS_KM
_ATTEMPTS = 8


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"huzhu.posts.public_point\0" + secret.encode()).digest()


def public_point(owner_id: int, lat: float, lng: float, resolution: int) -> tuple[float, float]:
    """The public point of a post by `owner_id` at exact (lat, lng) in cells of `resolution`."""
    return point_in_cell(owner_id, h3_int.latlng_to_cell(lat, lng, resolution))


def point_in_cell(owner_id: int, cell: int) -> tuple[float, float]:
    return _point_in_cell(_key(str(settings.SECRET_KEY)), owner_id, cell)


@lru_cache(maxsize=100_000)
def _point_in_cell(key: bytes, owner_id: int, cell: int) -> tuple[float, float]:
    """Cached: bulk loaders place a million posts in a few thousand (owner, cell) pairs."""
    clat, clng = h3_int.cell_to_latlng(cell)
    corner_km = min(
        haversine_km(clat, clng, vlat, vlng) for vlat, vlng in h3_int.cell_to_boundary(cell)
    )
    reach_km = OFFSET_SHARE * corner_km * math.sqrt(3) / 2  # of a hexagon's inner radius
    resolution = h3_int.get_resolution(cell)
    for attempt in range(_ATTEMPTS):
        digest = hmac.new(key, f"{owner_id}:{cell}:{attempt}".encode(), hashlib.sha256).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        v = int.from_bytes(digest[8:16], "big") / 2**64
        distance, bearing = reach_km * math.sqrt(u), 2 * math.pi * v  # uniform in the disc
        lat = clat + distance * math.cos(bearing) / KM_PER_DEGREE
        cos_lat = max(math.cos(math.radians(lat)), 1e-6)
        lng = clng + distance * math.sin(bearing) / (KM_PER_DEGREE * cos_lat)
        lng = (lng + 180) % 360 - 180
        if abs(lat) <= 90 and h3_int.latlng_to_cell(lat, lng, resolution) == cell:
            return lat, lng
    return clat, clng  # a cell too distorted for every draw (near a pole): its centre


def location_fields(owner_id: int, lat: float, lng: float, precision_m: int) -> dict[str, float]:
    """Every stored location column of a post by `owner_id` at exact (lat, lng) but the
    exact point itself: the public point and the cells indexing it, as `create_post` stores
    them. Search indexes the public point only.

    Uses h3's integer API, which is several times faster than the string one: bulk loaders
    (the demo city, the benchmark) call this a million times.
    """
    area_cell = h3_int.latlng_to_cell(lat, lng, AREA_RESOLUTIONS[precision_m])
    public_lat, public_lng = point_in_cell(owner_id, area_cell)
    r9 = h3_int.latlng_to_cell(public_lat, public_lng, INDEX_RESOLUTION)
    return {
        "public_lat": public_lat,
        "public_lng": public_lng,
        "h3_r9": r9,
        "cell_r5": h3_int.cell_to_parent(r9, 5),
        "cell_r6": h3_int.cell_to_parent(r9, 6),
        "cell_r7": h3_int.cell_to_parent(r9, 7),
        "cell_r8": h3_int.cell_to_parent(r9, 8),
        "area_cell": area_cell,
    }
