"""Named places: a manual location that needs no map service.

The deployment's centre comes from settings (HUZHU_DEFAULT_CENTRE). Its districts come from
a JSON file (HUZHU_PLACES_FILE) when the operator gives one; otherwise the built-in
Beijing districts are offered when the centre is in Beijing, and elsewhere people use the
centre, their browser's location or typed coordinates.
"""

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from huzhu.geo import area_centre, haversine_km


@dataclass(frozen=True)
class Place:
    code: str
    name: Promise | str  # lazily translated either way
    lat: float
    lng: float


DISTRICTS: tuple[Place, ...] = (
    Place("dongcheng", _("Dongcheng"), 39.9288, 116.4160),
    Place("xicheng", _("Xicheng"), 39.9123, 116.3660),
    Place("chaoyang", _("Chaoyang"), 39.9215, 116.4435),
    Place("haidian", _("Haidian"), 39.9593, 116.2981),
    Place("fengtai", _("Fengtai"), 39.8585, 116.2871),
    Place("shijingshan", _("Shijingshan"), 39.9056, 116.2229),
    Place("tongzhou", _("Tongzhou"), 39.9097, 116.6566),
    Place("changping", _("Changping"), 40.2207, 116.2312),
    Place("daxing", _("Daxing"), 39.7267, 116.3414),
    Place("shunyi", _("Shunyi"), 40.1301, 116.6545),
)
# Districts further than this from the centre belong to another city.
DISTRICT_RADIUS_KM = 60.0
# Beyond this a named place says nothing useful about where a post is.
NEAR_PLACE_KM = 12.0


def default_centre() -> Place:
    lat, lng = settings.HUZHU_DEFAULT_CENTRE
    return Place("centre", _("the city centre"), lat, lng)


def districts() -> tuple[Place, ...]:
    if settings.HUZHU_PLACES_FILE:
        return load_places(settings.HUZHU_PLACES_FILE)
    centre = default_centre()
    return tuple(
        place
        for place in DISTRICTS
        if haversine_km(centre.lat, centre.lng, place.lat, place.lng) <= DISTRICT_RADIUS_KM
    )


def _in_language(zh: str, en: str) -> str:
    return zh if (get_language() or "").startswith("zh") else en


_named = lazy(_in_language, str)


@cache
def load_places(path: str) -> tuple[Place, ...]:
    """The districts in an operator's file: a JSON list of
    `{"code", "name_zh", "name_en", "lat", "lng"}`. Read once; a broken file fails the
    system check (`huzhu check`, run by migrate) with a message that names the problem."""
    try:
        entries: Any = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(entries, list) or not entries:
            raise ValueError("it must be a non-empty JSON list")
        found = tuple(_place(entry) for entry in entries)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"HUZHU_PLACES_FILE {path}: {error}") from error
    codes = [place.code for place in found]
    if len(set(codes)) != len(codes) or "centre" in codes:
        raise ImproperlyConfigured(f"HUZHU_PLACES_FILE {path}: codes must be unique, not 'centre'")
    return found


def _place(entry: dict[str, Any]) -> Place:
    lat, lng = float(entry["lat"]), float(entry["lng"])
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(f"{entry['code']}: coordinates out of range")
    code = str(entry["code"])
    if not code.isidentifier():
        raise ValueError(f"{code!r}: a code is letters, digits and underscores")
    return Place(code, _named(str(entry["name_zh"]), str(entry["name_en"])), lat, lng)


def places() -> tuple[Place, ...]:
    """What a person can pick from: the centre, then the districts around it."""
    return (default_centre(), *districts())


def place_by_code(code: str) -> Place | None:
    return next((place for place in places() if place.code == code), None)


def nearest_place(lat: float, lng: float) -> Place | None:
    """The district closest to a (public, approximate) point, if one is near enough."""
    near = [(haversine_km(lat, lng, p.lat, p.lng), p) for p in districts()]
    near = [pair for pair in near if pair[0] <= NEAR_PLACE_KM]
    return min(near, key=lambda pair: pair[0])[1] if near else None


def place_near_cell(area_cell: int) -> Place | None:
    """`nearest_place` of a public area's centre. Every card asks it, and the cards of a
    page share a few hundred cells between them: remember the answer per cell (and per
    configuration, which tests change)."""
    centre = tuple(settings.HUZHU_DEFAULT_CENTRE)
    return _place_near_cell(area_cell, centre, settings.HUZHU_PLACES_FILE)


@lru_cache(maxsize=65536)
def _place_near_cell(area_cell: int, centre: tuple[float, ...], places_file: str) -> Place | None:
    return nearest_place(*area_centre(area_cell))


def check_places(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    if not settings.HUZHU_PLACES_FILE:
        return []
    try:
        load_places(settings.HUZHU_PLACES_FILE)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="huzhu.E002")]
    return []
