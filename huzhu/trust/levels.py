"""Trust levels and, in one table, what each level unlocks.

Services ask `unlocks_for(level)` rather than comparing level numbers, so changing what a
level may do is an edit to `UNLOCKS` and nothing else. TL0's quotas come from settings so
an operator can tune first-day caps (docs/TRUST.md: "the names and the numbers are
configurable").
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Level(IntEnum):
    NEW = 0
    VERIFIED = 1
    MEMBER = 2
    TRUSTED = 3
    MODERATOR = 4


NAMES: dict[Level, Promise] = {
    Level.NEW: _("New"),
    Level.VERIFIED: _("Verified"),
    Level.MEMBER: _("Member"),
    Level.TRUSTED: _("Trusted helper"),
    Level.MODERATOR: _("Moderator"),
}


def level_name(level: int) -> str:
    return str(NAMES[Level(level)])


@dataclass(frozen=True)
class Unlocks:
    open_needs: int
    open_offers: int
    responses_per_day: int
    links_in_posts: bool
    report_weight: int  # how much one report counts towards hiding a post (safety app)
    vouches_per_week: int  # 0: may not vouch
    post_on_behalf: bool  # volunteer intake for someone without a smartphone
    posts_per_hour: int  # velocity: new needs and offers in a rolling hour (safety/posting.py)


def _tl0() -> Unlocks:
    return Unlocks(
        open_needs=settings.HUZHU_TL0_OPEN_NEEDS,
        open_offers=settings.HUZHU_TL0_OPEN_OFFERS,
        responses_per_day=settings.HUZHU_TL0_RESPONSES_PER_DAY,
        links_in_posts=False,
        report_weight=1,
        vouches_per_week=0,
        post_on_behalf=False,
        posts_per_hour=settings.HUZHU_TL0_POSTS_PER_HOUR,
    )


UNLOCKS: dict[Level, Unlocks] = {
    Level.VERIFIED: Unlocks(
        open_needs=5,
        open_offers=10,
        responses_per_day=20,
        links_in_posts=False,
        report_weight=2,
        vouches_per_week=0,
        post_on_behalf=False,
        posts_per_hour=5,
    ),
    Level.MEMBER: Unlocks(
        open_needs=10,
        open_offers=30,
        responses_per_day=50,
        links_in_posts=True,
        report_weight=3,
        vouches_per_week=0,
        post_on_behalf=False,
        posts_per_hour=10,
    ),
    Level.TRUSTED: Unlocks(
        open_needs=20,
        open_offers=100,
        responses_per_day=100,
        links_in_posts=True,
        report_weight=10,  # enough to hide a TL0 post at once (docs/TRUST.md)
        vouches_per_week=3,
        post_on_behalf=True,
        posts_per_hour=30,
    ),
    Level.MODERATOR: Unlocks(
        open_needs=50,
        open_offers=200,
        responses_per_day=200,
        links_in_posts=True,
        report_weight=10,
        vouches_per_week=10,
        post_on_behalf=True,
        posts_per_hour=60,
    ),
}


def unlocks_for(level: int) -> Unlocks:
    return _tl0() if level == Level.NEW else UNLOCKS[Level(level)]


def lowest_level_with(check: Callable[[Unlocks], bool]) -> Level | None:
    """The first level whose unlocks pass `check`, to name it in a refusal."""
    for level in Level:
        if check(unlocks_for(level)):
            return level
    return None
