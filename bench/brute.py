"""The brute-force answer: measure every listed post's public point, with numpy, the way
geo.py measures."""

from typing import Any

import numpy as np
import numpy.typing as npt

from bench.city import City

EARTH_RADIUS_KM = 6371.0088  # geo.EARTH_RADIUS_KM; bench must not need Django for this


class BruteForce:
    """Exact first pages by urgency or distance over a whole city held in memory."""

    def __init__(self, city: City) -> None:
        # Sorted by latitude, so that a query only measures the band its circle can reach.
        order = np.argsort(city.lat, kind="stable")
        self.ids = city.ids[order]
        self.ranks = city.ranks[order]
        self.lat = city.lat[order]
        self.lng = city.lng[order]
        self.tag_bits = city.tag_bits[order]
        self.cos_lat = np.cos(np.radians(self.lat))

    def first_page(
        self, lat: float, lng: float, *, radius_km: float, sort: str, limit: int, tag_bit: int = 0
    ) -> list[tuple[int, float]]:
        """(id, distance) of the first `limit` posts within the radius, in search order."""
        band = np.degrees(radius_km / EARTH_RADIUS_KM) + 1e-6
        low, high = np.searchsorted(self.lat, [lat - band, lat + band])
        section = slice(int(low), int(high))
        distance = self.haversine_km(lat, lng, section)
        keep = distance <= radius_km
        if tag_bit:
            keep &= (self.tag_bits[section] & tag_bit) != 0
        ids, distance = self.ids[section][keep], distance[keep]
        top = _first(self.ranks[section][keep] if sort == "urgency" else distance, ids, limit)
        return list(zip(ids[top].tolist(), distance[top].tolist(), strict=True))

    def haversine_km(self, lat: float, lng: float, section: slice) -> npt.NDArray[np.float64]:
        # Term by term as geo.haversine_km computes it, so that ties break the same way.
        p1 = np.radians(lat)
        p2 = np.radians(self.lat[section])
        dp = p2 - p1
        dl = np.radians(self.lng[section] - lng)
        a = np.sin(dp / 2) ** 2 + np.cos(p1) * self.cos_lat[section] * np.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))  # type: ignore[no-any-return]


def _first(key: npt.NDArray[Any], ids: npt.NDArray[np.int64], limit: int) -> npt.NDArray[Any]:
    """Positions of the first `limit` by (key, id). Sorting millions of posts for twenty
    takes seconds: only those whose key is at most the limit-th smallest (ties included,
    so the answer is the same) are sorted."""
    if len(key) > 4 * limit:
        bound = np.partition(key, limit - 1)[limit - 1]
        near = np.nonzero(key <= bound)[0]
    else:
        near = np.arange(len(key))
    return near[np.lexsort((ids[near], key[near]))][:limit]
