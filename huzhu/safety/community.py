"""The community rules a moderation action cites, by stable code, with their text.

The first two are enforced by the rules engine (text/rules.py) as people write; the others
are judged by moderators from reports.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RULES: dict[str, Promise] = {
    "gift_only": _("Gifts only: nothing is sold, bought or paid for."),
    "prescription_only": _("No prescription or controlled medicines."),
    "fraud": _("No fraud, scams or false posts."),
    "harassment": _("Treat people with respect: no harassment."),
    "spam": _("No spam, advertising or repeated posts."),
    "unsafe": _("Nothing that puts someone's health or safety at risk."),
    "privacy": _("Do not publish anyone's contact details or address."),
}


def rule_text(code: str) -> str:
    text = RULES.get(code)
    return str(text) if text is not None else code
