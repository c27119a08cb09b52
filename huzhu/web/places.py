"""Named places: a manual location that needs no map service.

The deployment's centre comes from settings (HUZHU_DEFAULT_CENTRE). The districts below are
Beijing's, offered only when that centre is in Beijing; elsewhere people use the centre,
their browser's location or typed coordinates until the districts become configurable.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huzhu.posts.geo import haversine_km


@dataclass(frozen=True)
class Place:
    code: str
    name: Promise
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
    centre = default_centre()
    return tuple(
        place
        for place in DISTRICTS
        if haversine_km(centre.lat, centre.lng, place.lat, place.lng) <= DISTRICT_RADIUS_KM
    )


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
