"""The organisers' heat map: unmet needs against open offers, by district (or H3 cell).

Unmet needs are needs still open or "still needed?"; open offers are offers still open.
Only posts made in the chosen period count (the last 7, 30 or 90 days), in one category or
all of them.

Each post is placed by its *public* area, never its private point: the resolution-7 cell
(about 5 km²) holding the centre of the post's area cell. A 1 km area cell is itself at
resolution 7; a 5 km one lands in the cell at its centre, which says no more than its post
page does. A cell then counts towards the district it belongs to on the members' map (the
nearest named district within reach, area_map.py), so the map names districts and its
areas hold enough people to be counted at the scale of a town as of a city; a cell near no
district stays on its own, named by its H3 id.

Counts follow the dashboard's threshold: an area describing fewer than 11 distinct people
shows no count ("few"), only its balance (mostly unmet, short, covered), so the map reads at
the scale of a town's first day as of a city's; within a counted area, a count describing
fewer than 11 people is "few" too. The balance of a small area says no more than its posts'
public pages do (each is listed with its area), and the page is for organisers only; the
public figures keep the floor. The map publishes no totals, so there is nothing to subtract a
hidden area from.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import h3
from django.db.models import Q

from huzhu import geo
from huzhu.area_map import district_of_cell
from huzhu.insights.disclosure import THRESHOLD
from huzhu.places import place_by_code
from huzhu.posts.models import Post

RESOLUTION = 7
PERIOD_DAYS = (7, 30, 90)
UNMET = (Post.Status.OPEN, Post.Status.UNKNOWN)


@dataclass
class _Tally:
    needs: int = 0
    offers: int = 0
    needers: set[int] = field(default_factory=set)
    offerers: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class HeatCell:
    """One area as published: a district, or a cell near none. None stands for "few"."""

    cell: str  # the district's code, or the H3 cell's id
    name: str  # the district's name in the reader's language, or the H3 id
    district: bool
    centre: tuple[float, float]
    needs: int | None
    offers: int | None
    balance: str  # "unmet", "short", "covered"
    counted: bool  # False: fewer than 11 people behind it, so no count is shown

    @property
    def few(self) -> bool:
        return not self.counted


def _published(count: int, people: set[int]) -> int | None:
    return count if len(people) >= THRESHOLD else None


def _balance(needs: int | None, offers: int | None) -> str:
    """Mostly unmet (three needs or more to an offer), short (more needs than offers) or
    covered. A "few" side counts as less than the other, shown, side."""
    if needs is None:
        return "covered"
    if offers is None:
        return "unmet"
    if needs >= 3 * offers:
        return "unmet"
    return "short" if needs > offers else "covered"


def heat_cells(*, now: datetime, days: int, category: str = "") -> list[HeatCell]:
    """The cells with any unmet need or open offer posted in the last `days` days."""
    posts = Post.objects.filter(created_at__gte=now - timedelta(days=days)).filter(
        Q(kind=Post.Kind.NEED, status__in=UNMET) | Q(kind=Post.Kind.OFFER, status=Post.Status.OPEN)
    )
    if category:
        posts = posts.filter(category__code=category)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    cell_of: dict[int, str] = {}
    for kind, owner, area_cell in posts.values_list("kind", "owner_id", "area_cell").iterator():
        if area_cell not in cell_of:
            cell = h3.latlng_to_cell(*geo.area_centre(area_cell), RESOLUTION)
            cell_of[area_cell] = district_of_cell(cell) or cell
        tally = tallies[cell_of[area_cell]]
        if kind == Post.Kind.NEED:
            tally.needs += 1
            tally.needers.add(owner)
        else:
            tally.offers += 1
            tally.offerers.add(owner)
    return [_cell(cell, tally) for cell, tally in sorted(tallies.items())]


def _cell(key: str, tally: _Tally) -> HeatCell:
    place = place_by_code(key)
    if place is not None:
        name, district, (lat, lng) = str(place.name), True, (place.lat, place.lng)
    else:
        name, district, (lat, lng) = key, False, h3.cell_to_latlng(key)
    centre = (round(lat, 4), round(lng, 4))
    if len(tally.needers | tally.offerers) < THRESHOLD:
        balance = _balance(tally.needs, tally.offers)
        return HeatCell(key, name, district, centre, None, None, balance, counted=False)
    needs = _published(tally.needs, tally.needers)
    offers = _published(tally.offers, tally.offerers)
    return HeatCell(key, name, district, centre, needs, offers, _balance(needs, offers), True)
