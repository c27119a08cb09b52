"""The deployment's area drawn on the server as SVG: no tile server, nothing fetched.

Districts are known only as named points (web/places.py), so a district's outline is the
union of the H3 cells (resolution 7, about 5 km²) whose centre is nearer to it than to any
other district, within `DISTRICT_REACH_KM`: wider than the reach of a card's "near …"
(`NEAR_PLACE_KM`), so that the districts tile the city without gaps between their points.
Where the deployment has no districts, the cells around the centre are drawn as a plain grid.

The projection is Web Mercator, the one Leaflet uses, so the same SVG serves twice: as the
picture of a page without JavaScript, and under Leaflet's markers (an SVG overlay stretched to
`bounds`), where it lines up exactly. Colours come from classes in the stylesheet (CSP: no
inline styles).

Markers are placed at a post's *public point* (posts/public_point.py) only.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import h3
from django.conf import settings

from huzhu.geo import haversine_km
from huzhu.places import Place, districts

RESOLUTION = 7
UNITS_PER_DEGREE = 1000.0  # SVG user units per degree of longitude
PADDING = 4.0
GRID_RADIUS_KM = 12.0  # the area drawn around the centre of a deployment without districts
DISTRICT_REACH_KM = 25.0


@dataclass(frozen=True)
class District:
    code: str
    name: str
    path: str  # SVG path data of its outline
    x: float  # where its name is written: its named point
    y: float
    lat: float
    lng: float


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    lat: float  # the public point, rounded
    lng: float
    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class AreaMap:
    view_box: str
    bounds: tuple[float, float, float, float]  # south, west, north, east of the view box
    districts: list[District]
    grid: list[str]  # SVG path data of plain cells, when there are no districts
    markers: list[Marker]
    centre_x: float
    centre_y: float


def project(lat: float, lng: float) -> tuple[float, float]:
    """Web Mercator in SVG units: x grows east, y grows south."""
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
    return round(lng * UNITS_PER_DEGREE, 1), round(-y * UNITS_PER_DEGREE, 1)


def unproject(x: float, y: float) -> tuple[float, float]:
    lat = math.degrees(2 * math.atan(math.exp(math.radians(-y / UNITS_PER_DEGREE))) - math.pi / 2)
    return lat, x / UNITS_PER_DEGREE


def _ring(points: tuple[tuple[float, float], ...]) -> str:
    projected = [project(lat, lng) for lat, lng in points]
    return "M" + " L".join(f"{x},{y}" for x, y in projected) + " Z"


def _shape_path(shape: h3.H3Shape) -> str:
    polygons = list(shape) if isinstance(shape, h3.LatLngMultiPoly) else [shape]
    rings = []
    for polygon in polygons:
        rings.append(_ring(polygon.outer))
        rings += [_ring(hole) for hole in polygon.holes]
    return " ".join(rings)


def _cells_around(lat: float, lng: float, radius_km: float) -> set[str]:
    centre = h3.latlng_to_cell(lat, lng, RESOLUTION)
    rings = math.ceil(radius_km / (2 * h3.average_hexagon_edge_length(RESOLUTION, "km")))
    return set(h3.grid_disk(centre, rings))


def _nearest(cell: str, places: tuple[Place, ...]) -> Place | None:
    lat, lng = h3.cell_to_latlng(cell)
    near = [(haversine_km(lat, lng, p.lat, p.lng), p.code, p) for p in places]
    near = [entry for entry in near if entry[0] <= DISTRICT_REACH_KM]
    return min(near)[2] if near else None


@lru_cache(maxsize=4)
def _background(
    centre: tuple[float, ...], places_file: str
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(district code, outline) pairs, or the plain grid; per configuration (tests change it)."""
    places = districts()
    if not places:
        cells = _cells_around(centre[0], centre[1], GRID_RADIUS_KM)
        return (), tuple(_ring(h3.cell_to_boundary(cell)) for cell in sorted(cells))
    cells_of: dict[str, list[str]] = {p.code: [] for p in places}
    area: set[str] = set()
    for place in places:
        area |= _cells_around(place.lat, place.lng, DISTRICT_REACH_KM)
    for cell in area:
        owner = _nearest(cell, places)
        if owner is not None:
            cells_of[owner.code].append(cell)
    outlines = tuple(
        (code, _shape_path(h3.cells_to_h3shape(cells))) for code, cells in cells_of.items() if cells
    )
    return outlines, ()


def area_map(markers: list[Marker] | None = None) -> AreaMap:
    """The deployment's districts (or grid), the centre, and `markers`, framed together."""
    centre = settings.HUZHU_DEFAULT_CENTRE
    outlines, grid = _background(tuple(centre), settings.HUZHU_PLACES_FILE)
    by_code = {place.code: place for place in districts()}
    shown = []
    for code, path in outlines:
        place = by_code[code]
        x, y = project(place.lat, place.lng)
        shown.append(District(code, str(place.name), path, x, y, place.lat, place.lng))
    markers = markers or []
    centre_x, centre_y = project(*centre)
    xs, ys = [centre_x, *(m.x for m in markers)], [centre_y, *(m.y for m in markers)]
    for path in [d.path for d in shown] + list(grid):
        for point in path.replace("M", "").replace("L", "").replace("Z", "").split():
            px, py = point.split(",")
            xs.append(float(px))
            ys.append(float(py))
    left, top = min(xs) - PADDING, min(ys) - PADDING
    right, bottom = max(xs) + PADDING, max(ys) + PADDING
    south, west = unproject(left, bottom)
    north, east = unproject(right, top)
    return AreaMap(
        view_box=f"{left:.1f} {top:.1f} {right - left:.1f} {bottom - top:.1f}",
        bounds=(round(south, 6), round(west, 6), round(north, 6), round(east, 6)),
        districts=shown,
        grid=list(grid),
        markers=markers,
        centre_x=centre_x,
        centre_y=centre_y,
    )


def marker(lat: float, lng: float, *, kind: str, title: str, url: str) -> Marker:
    """A marker at a public point, rounded to about 10 m (the point is public already)."""
    lat, lng = round(lat, 4), round(lng, 4)
    x, y = project(lat, lng)
    return Marker(x, y, lat, lng, kind, title, url)


def district_data(drawn: AreaMap) -> list[dict[str, object]]:
    """The districts' names and points, for the script's labels (and the picker's choices).

    To about 100 m: enough for a label, and never the digits of a post placed by choosing its
    district (its stored point is the district's), which a page must not echo."""
    return [
        {"code": d.code, "name": d.name, "lat": round(d.lat, 3), "lng": round(d.lng, 3)}
        for d in drawn.districts
    ]


def picker_context() -> dict[str, object]:
    """What the post form's map picker draws: the area, and the districts it may choose."""
    drawn = area_map()
    return {
        "area": drawn,
        "area_centre": [round(degrees, 3) for degrees in settings.HUZHU_DEFAULT_CENTRE],
        "picker_districts": district_data(drawn),
    }


def district_of_cell(cell: str) -> str | None:
    """The code of the district a resolution-7 cell belongs to on the map, if any."""
    return _district_of_cell(cell, tuple(settings.HUZHU_DEFAULT_CENTRE), settings.HUZHU_PLACES_FILE)


@lru_cache(maxsize=65536)
def _district_of_cell(cell: str, centre: tuple[float, ...], places_file: str) -> str | None:
    place = _nearest(cell, districts())
    return place.code if place else None


def district_outlines() -> dict[str, str]:
    """Each district's outline as SVG path data, in this module's projection."""
    outlines, _ = _background(tuple(settings.HUZHU_DEFAULT_CENTRE), settings.HUZHU_PLACES_FILE)
    return dict(outlines)
