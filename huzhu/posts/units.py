"""Quantities in an item's own unit: what caps count.

A need for "1 box" of ibuprofen asks for 20 tablets; caps (safety/posting.py,
safety/hoarding.py) compare these counts, never the raw quantity of whatever unit a person
chose. An item's `unit_sizes` says how many of its `default_unit` another unit holds.
"""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from huzhu.errors import Invalid
from huzhu.labels import localised, unit_name
from huzhu.posts.models import Item


def unit_size(item: Item, unit: str | None) -> int | None:
    """How many of the item's default unit one `unit` holds; None if we cannot tell."""
    if not unit or unit == item.default_unit:
        return 1
    size = (item.unit_sizes or {}).get(unit)
    return int(size) if size else None


def base_quantity(item: Item, quantity: int, unit: str | None) -> int:
    """`quantity` of `unit` counted in the item's default unit. A unit the catalogue has
    no size for counts one for one (nothing to convert); `check_countable` refuses such
    units where a cap must count them."""
    return quantity * (unit_size(item, unit) or 1)


def check_countable(item: Item, unit: str | None) -> None:
    """For a capped item, the unit must be one the cap can count."""
    if item.max_per_need is None or unit_size(item, unit) is not None:
        return
    units = [item.default_unit, *sorted(item.unit_sizes or {})]
    raise Invalid(
        _("Give the quantity of %(item)s in %(units)s.")
        % {
            "item": localised(item.name_en, item.name_zh),
            "units": get_text_list([unit_name(u) for u in units], _("or")),
        },
        code="unit",
        field="unit",
    )
