"""The fixed set of urgency tags, stored on a post as bits of `tag_bits`.

Each tag makes a post rank as if it had already waited `boost_hours` longer, so tagged
posts come first but an untagged post that has waited long enough still rises: nobody
starves. The order of TAGS is part of the data format (bit positions): only append.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tag:
    code: str
    label: Promise
    boost_hours: int


TAGS: tuple[Tag, ...] = (
    Tag("elderly", _("Elderly"), 24),
    Tag("pregnant", _("Pregnant"), 24),
    Tag("infant", _("Infant"), 36),
    Tag("child", _("Child"), 18),
    Tag("chronic_illness", _("Chronic illness"), 18),
    Tag("disability", _("Disability"), 24),
    Tag("fever_now", _("Fever now"), 12),
)
TAG_CODES: tuple[str, ...] = tuple(tag.code for tag in TAGS)
_BIT = {tag.code: 1 << index for index, tag in enumerate(TAGS)}
# Several tags add up, but not without limit: two days ahead is the most a post can get.
MAX_BOOST_HOURS = 48


def tags_to_bits(codes: list[str] | tuple[str, ...]) -> int:
    bits = 0
    for code in codes:
        bits |= _BIT[code]
    return bits


def bits_to_tags(bits: int) -> list[str]:
    return [tag.code for tag in TAGS if bits & _BIT[tag.code]]


def tag_bit(code: str) -> int:
    return _BIT[code]


def boost_seconds(bits: int) -> int:
    hours = sum(tag.boost_hours for tag in TAGS if bits & _BIT[tag.code])
    return min(hours, MAX_BOOST_HOURS) * 3600
