"""Drawing the heat map as SVG on the server: hexagons of H3 cells, projected with a simple
equirectangular projection around the deployment's centre. No tiles, no JavaScript, and no
inline styles (CSP): colours come from classes in the stylesheet.

At city scale the projection's distortion is negligible, and it needs no library.
"""

import math
from dataclasses import dataclass

import h3

from huzhu.insights.heatmap import HeatCell

UNITS_PER_DEGREE = 1000.0  # SVG user units; 0.1 unit is about 11 m
PADDING = 5.0


@dataclass(frozen=True)
class Hexagon:
    cell: HeatCell
    points: str
    x: float
    y: float


@dataclass(frozen=True)
class SvgMap:
    view_box: str
    hexagons: list[Hexagon]
    centre_x: float
    centre_y: float


class _Projection:
    def __init__(self, centre: tuple[float, float]) -> None:
        self.lat0, self.lng0 = centre
        self.shrink = math.cos(math.radians(self.lat0))

    def __call__(self, lat: float, lng: float) -> tuple[float, float]:
        x = (lng - self.lng0) * self.shrink * UNITS_PER_DEGREE
        y = (self.lat0 - lat) * UNITS_PER_DEGREE
        return round(x, 1), round(y, 1)


def draw(cells: list[HeatCell], centre: tuple[float, float]) -> SvgMap:
    project = _Projection(centre)
    hexagons = []
    xs, ys = [0.0], [0.0]  # the centre is always in view, as a marker
    for cell in cells:
        corners = [project(lat, lng) for lat, lng in h3.cell_to_boundary(cell.cell)]
        xs += [x for x, _ in corners]
        ys += [y for _, y in corners]
        x, y = project(*cell.centre)
        points = " ".join(f"{cx},{cy}" for cx, cy in corners)
        hexagons.append(Hexagon(cell, points, x, y))
    left, top = min(xs) - PADDING, min(ys) - PADDING
    width, height = max(xs) - left + PADDING, max(ys) - top + PADDING
    view_box = f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}"
    return SvgMap(view_box, hexagons, 0.0, 0.0)


def slippy_tile(centre: tuple[float, float], zoom: int) -> tuple[int, int, int]:
    """The web-map tile (z, x, y) holding the centre, for an operator's tile URL template."""
    lat, lng = centre
    scale = 2**zoom
    x = int((lng + 180.0) / 360.0 * scale)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * scale)
    return zoom, x, y
