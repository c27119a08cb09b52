"""Where the benchmark searches from: the densest spots, where people live, and the outskirts."""

import numpy as np

from bench.city import City

DENSE_SPOTS = 10
GRID_DEGREES = 0.005  # about 0.5 km: the cell size for finding the densest spots
UNIFORM_SHARE = 0.25


def densest_spots(city: City, count: int) -> list[tuple[float, float]]:
    """Centres of the `count` grid squares with the most listed posts."""
    rows = np.floor(city.lat / GRID_DEGREES).astype(np.int64)
    cols = np.floor(city.lng / GRID_DEGREES).astype(np.int64)
    keys, counts = np.unique(rows * 1_000_000 + cols, return_counts=True)
    top = keys[np.argsort(-counts, kind="stable")[:count]]
    return [
        ((key // 1_000_000 + 0.5) * GRID_DEGREES, (key % 1_000_000 + 0.5) * GRID_DEGREES)
        for key in top.tolist()
    ]


def query_points(city: City, count: int, seed: int) -> list[tuple[float, float]]:
    """A fixed set of `count` points: the densest spots, the demo's centres, then points
    near random posts (searches come from where people are) and some anywhere in the area."""
    from huzhu.demo.shape import BACKGROUND_BOX, CENTRES

    rng = np.random.default_rng(seed)
    points = densest_spots(city, DENSE_SPOTS) + [(c.lat, c.lng) for c in CENTRES]
    remaining = max(0, count - len(points))
    uniform = int(remaining * UNIFORM_SHARE)
    (lat0, lat1), (lng0, lng1) = BACKGROUND_BOX
    for _ in range(uniform):
        points.append((float(rng.uniform(lat0, lat1)), float(rng.uniform(lng0, lng1))))
    for index in rng.integers(0, max(1, len(city.ids)), remaining - uniform).tolist():
        # About 100 m from a post: near it, not on it.
        lat = float(city.lat[index] + rng.normal(0, 0.001))
        lng = float(city.lng[index] + rng.normal(0, 0.0012))
        points.append((lat, lng))
    return points[:count]
