"""Translated labels for codes that the pages show: units, history reasons, catalogue names."""

from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

# The units of the catalogue, as a select shows them ...
UNIT_NAMES: dict[str, Promise] = {
    "piece": _("pieces"),
    "tablet": _("tablets"),
    "capsule": _("capsules"),
    "sachet": _("sachets"),
    "bottle": _("bottles"),
    "box": _("boxes"),
    "pack": _("packs"),
    "can": _("cans"),
    "test": _("tests"),
    "kg": _("kg"),
}
# ... and with a number in front of them.
UNIT_COUNTS: dict[str, Promise] = {
    "piece": ngettext_lazy("%(count)s piece", "%(count)s pieces", "count"),
    "tablet": ngettext_lazy("%(count)s tablet", "%(count)s tablets", "count"),
    "capsule": ngettext_lazy("%(count)s capsule", "%(count)s capsules", "count"),
    "sachet": ngettext_lazy("%(count)s sachet", "%(count)s sachets", "count"),
    "bottle": ngettext_lazy("%(count)s bottle", "%(count)s bottles", "count"),
    "box": ngettext_lazy("%(count)s box", "%(count)s boxes", "count"),
    "pack": ngettext_lazy("%(count)s pack", "%(count)s packs", "count"),
    "can": ngettext_lazy("%(count)s can", "%(count)s cans", "count"),
    "test": ngettext_lazy("%(count)s test", "%(count)s tests", "count"),
    "kg": ngettext_lazy("%(count)s kg", "%(count)s kg", "count"),
}

HISTORY_REASONS: dict[str, Promise] = {
    "created": _("posted"),
    "owner": _("by the owner"),
    "expired": _("its time ran out"),
    "checkin_unanswered": _("no answer to “still needed?”"),
    "still_needed": _("the owner still needs it"),
    "not_needed": _("the owner no longer needs it"),
    "edited": _("edited by the owner"),
}


def quantity_label(quantity: int, unit: str) -> str:
    """ "4 tablets" / "4 片"; a unit the catalogue does not know stays as typed."""
    counted = UNIT_COUNTS.get(unit)
    if counted is not None:
        return str(counted % {"count": quantity})
    return f"{quantity} {unit}"


def unit_name(unit: str) -> str:
    """ "tablets" / "片"; a unit the catalogue does not know stays as typed."""
    name = UNIT_NAMES.get(unit)
    return str(name) if name is not None else unit


def reason_label(reason: str) -> str:
    label = HISTORY_REASONS.get(reason)
    return str(label) if label is not None else ""


def is_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def localised(name_en: str, name_zh: str) -> str:
    """The catalogue keeps both names; show the reader's, falling back to the other."""
    if is_chinese():
        return name_zh or name_en
    return name_en or name_zh
