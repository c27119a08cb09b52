"""What the demo city looks like: its centres, items, tags, titles, ages and statuses.

`huzhu.demo.city` turns these into rows and loads them; the bench's query points use the
centres too. Drawing from a seeded `random.Random` keeps a city reproducible.
"""

import bisect
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from huzhu import geo
from huzhu.posts.models import Category, Item, Post
from huzhu.posts.ranking import rank_for
from huzhu.posts.tags import tag_bit

AGE_DAYS = 20
KM_PER_DEGREE = math.pi * geo.EARTH_RADIUS_KM / 180


@dataclass(frozen=True)
class Centre:
    name: str
    lat: float
    lng: float
    weight: float
    sigma_km: float


# Beijing's dense districts, weighted roughly by population. Tiantongyuan and Huilongguan
# are small but among the densest neighbourhoods in Asia, so they make the hottest spots.
CENTRES: tuple[Centre, ...] = (
    Centre("dongcheng-xicheng", 39.915, 116.395, 0.15, 3.0),
    Centre("guomao-cbd", 39.908, 116.460, 0.10, 2.5),
    Centre("wangjing", 39.996, 116.472, 0.07, 1.8),
    Centre("zhongguancun", 39.982, 116.310, 0.12, 3.2),
    Centre("fengtai", 39.858, 116.287, 0.09, 3.8),
    Centre("tiantongyuan", 40.068, 116.412, 0.08, 1.6),
    Centre("huilongguan", 40.075, 116.330, 0.06, 1.8),
    Centre("tongzhou", 39.902, 116.657, 0.07, 3.0),
    Centre("shijingshan", 39.906, 116.223, 0.04, 2.5),
    Centre("daxing-huangcun", 39.727, 116.339, 0.05, 3.0),
    Centre("shunyi", 40.130, 116.654, 0.03, 3.0),
)
# The rest of the posts are scattered over the whole municipality's plain.
BACKGROUND_WEIGHT = 0.14
BACKGROUND_BOX = ((39.60, 40.30), (115.95, 116.90))

# Item popularity: the shortage items of December 2022 dominate. Codes missing from the
# catalogue (or not over the counter) are skipped; None is a post without a catalogue item.
# fmt: off
ITEM_WEIGHTS: dict[str | None, float] = {
    "ibuprofen": 30, "antigen-test": 22, "paracetamol": 8, "ibuprofen-suspension": 6,
    "lianhua-qingwen": 5, "cough-syrup": 4, "thermometer": 4, "n95-mask": 4,
    "canned-peaches": 3, "oral-rehydration-salts": 2, "pulse-oximeter": 2, "diapers": 2,
    "infant-formula": 2, "rice": 1, "drinking-water": 1, "power-bank": 1, None: 3,
}
TAG_WEIGHTS = {
    "fever_now": 30, "elderly": 25, "child": 15, "infant": 10, "chronic_illness": 10,
    "pregnant": 5, "disability": 5,
}
# fmt: on
NEED_TITLES = ("急需{zh}", "求{zh}，谢谢邻居", "Need {en}", "Looking for {en}")
OFFER_TITLES = ("有多余的{zh}，免费送", "可以分享{zh}", "Spare {en} to give", "Sharing {en}")
BODIES = (
    "家里老人发烧了，附近有的邻居请帮帮忙。",
    "孩子夜里烧到39度，药店都买不到。",
    "Whole family is ill, any amount helps.",
    "Can meet at the building gate, masks on.",
    "用不完，分给需要的人。",
    "",
)


def demo_rank(
    kind: str, status: str, created: datetime, tag_bits: int, now: datetime
) -> int | None:
    """`ranking.rank_for` on the loader's naive UTC times (tests hold the two in step)."""
    return rank_for(
        kind=kind,
        status=status,
        hidden_at=None,
        created_at=created.replace(tzinfo=UTC),
        confirmed_at=None,
        tag_bits=tag_bits,
        now=now.replace(tzinfo=UTC),
    )


# One catalogue choice: (item id or None, category id, English name, Chinese name, unit,
# whether it is medicine, whose offers must carry an expiry date).
CatalogueEntry = tuple[int | None, int, str, str, str, bool]


def catalogue_entries() -> tuple[list[CatalogueEntry], list[float]]:
    """The weighted item choices present in this database's catalogue, over the counter only."""
    items = {i.code: i for i in Item.objects.select_related("category").filter(otc=True)}
    other = Category.objects.get(code="other").pk
    entries: list[CatalogueEntry] = []
    weights: list[float] = []
    for code, weight in ITEM_WEIGHTS.items():
        item = items.get(code) if code else None
        if code and item is None:
            continue
        if item is None:
            entries.append((None, other, "help", "帮助", "piece", False))
        else:
            medicine = item.category.code == "medicine"
            entries.append(
                (item.pk, item.category_id, item.name_en, item.name_zh, item.default_unit, medicine)
            )
        weights.append(weight)
    return entries, weights


_CENTRE_CUM = tuple(sum(c.weight for c in CENTRES[: i + 1]) for i in range(len(CENTRES)))
_TAG_CODES = tuple(TAG_WEIGHTS)
_TAG_CUM = tuple(sum(tuple(TAG_WEIGHTS.values())[: i + 1]) for i in range(len(TAG_WEIGHTS)))


T = TypeVar("T")


def weighted(rng: random.Random, options: Sequence[T], cum_weights: Sequence[float]) -> T:
    # What rng.choices does for one pick, without its per-call list building: the loader
    # draws several of these per post, a million posts at a time.
    return options[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]


def demo_point(rng: random.Random) -> tuple[float, float]:
    """A home location: near a weighted centre (Gaussian), or anywhere on the plain."""
    if rng.random() < BACKGROUND_WEIGHT:
        (lat0, lat1), (lng0, lng1) = BACKGROUND_BOX
        return round(rng.uniform(lat0, lat1), 6), round(rng.uniform(lng0, lng1), 6)
    centre = weighted(rng, CENTRES, _CENTRE_CUM)
    lng_km = KM_PER_DEGREE * math.cos(math.radians(centre.lat))
    lat = centre.lat + rng.gauss(0, centre.sigma_km) / KM_PER_DEGREE
    lng = centre.lng + rng.gauss(0, centre.sigma_km) / lng_km
    return round(lat, 6), round(lng, 6)


def tag_bits_for(rng: random.Random, kind: str) -> int:
    # Most posts carry no tag; offers rarely do (a tag on an offer means "kept for").
    if rng.random() >= (0.28 if kind == Post.Kind.NEED else 0.08):
        return 0
    bits = tag_bit(weighted(rng, _TAG_CODES, _TAG_CUM))
    if rng.random() < 0.2:
        bits |= tag_bit(weighted(rng, _TAG_CODES, _TAG_CUM))
    return bits


def status_for(rng: random.Random, age_days: float) -> str:
    # Older posts are more often settled one way or another.
    if rng.random() < 0.04 + 0.4 * age_days / AGE_DAYS:
        return weighted(rng, ("fulfilled", "withdrawn", "expired"), (65, 85, 100))
    if age_days > 3 and rng.random() < 0.05:
        return Post.Status.UNKNOWN
    return Post.Status.PLEDGED if rng.random() < 0.26 else Post.Status.OPEN


# A status-history row as generated: (from_status, to_status, at, by the owner?, reason).
Change = tuple[str, str, datetime, bool, str]


def history_for(
    rng: random.Random, status: str, created: datetime, closes: datetime, now: datetime
) -> list[Change]:
    """The lifecycle a post in `status` went through, in time order, all before `now`."""
    changes: list[Change] = [("", Post.Status.OPEN, created, True, "created")]
    span = (min(now, closes) - created).total_seconds()
    first = created + timedelta(seconds=span * rng.uniform(0.05, 0.5))
    second = first + timedelta(seconds=span * rng.uniform(0.05, 0.45))
    if status == Post.Status.EXPIRED:
        changes.append((Post.Status.OPEN, status, closes, False, "expired"))
    elif status == Post.Status.UNKNOWN:
        changes.append((Post.Status.OPEN, status, first, False, "check_in"))
    elif status in {Post.Status.PLEDGED, Post.Status.FULFILLED}:
        changes.append((Post.Status.OPEN, Post.Status.PLEDGED, first, False, "exchange"))
        if status == Post.Status.FULFILLED:
            changes.append((Post.Status.PLEDGED, status, second, True, "owner"))
    elif status == Post.Status.WITHDRAWN:
        changes.append((Post.Status.OPEN, status, first, True, "owner"))
    return changes
