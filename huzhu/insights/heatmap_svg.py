"""Drawing the heat map as SVG on the server: districts by their outlines on the members'
map, cells near no district as H3 hexagons, in that map's projection (area_map.py). No
tiles, no JavaScript, and no inline styles (CSP): colours come from classes in the
stylesheet.
"""

import math
from dataclasses import dataclass

import h3

from huzhu.area_map import district_outlines, project
from huzhu.insights.heatmap import HeatCell

PADDING = 5.0


@dataclass(frozen=True)
class Hexagon:
    """One area's shape (a district's outline or a cell's hexagon) and where its label goes."""

    cell: HeatCell
    path: str
    x: float
    y: float


@dataclass(frozen=True)
class SvgMap:
    view_box: str
    hexagons: list[Hexagon]
    centre_x: float
    centre_y: float


def _path(corners: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{x},{y}" for x, y in corners) + " Z"


def _points(path: str) -> list[tuple[float, float]]:
    found = []
    for point in path.replace("M", "").replace("L", "").replace("Z", "").split():
        x, y = point.split(",")
        found.append((float(x), float(y)))
    return found


def draw(cells: list[HeatCell], centre: tuple[float, float]) -> SvgMap:
    outlines = district_outlines()
    centre_x, centre_y = project(*centre)
    hexagons = []
    xs, ys = [centre_x], [centre_y]  # the centre is always in view, as a marker
    for cell in cells:
        if cell.district and cell.cell in outlines:
            path = outlines[cell.cell]
        else:
            path = _path([project(lat, lng) for lat, lng in h3.cell_to_boundary(cell.cell)])
        points = _points(path)
        xs += [x for x, _ in points]
        ys += [y for _, y in points]
        x, y = project(*cell.centre)
        hexagons.append(Hexagon(cell, path, x, y))
    left, top = min(xs) - PADDING, min(ys) - PADDING
    width, height = max(xs) - left + PADDING, max(ys) - top + PADDING
    view_box = f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}"
    return SvgMap(view_box, hexagons, centre_x, centre_y)


def slippy_tile(centre: tuple[float, float], zoom: int) -> tuple[int, int, int]:
    """The web-map tile (z, x, y) holding the centre, for an operator's tile URL template."""
    lat, lng = centre
    scale = 2**zoom
    x = int((lng + 180.0) / 360.0 * scale)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * scale)
    return zoom, x, y
