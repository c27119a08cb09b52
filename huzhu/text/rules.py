"""The rules engine: what may be said in public posts and in the relay.

Huzhu is for gifts. Each rule has a stable code and a message in the person's language that
says what to do instead; the post and message services call `check_post` and
`check_message`, which raise `Invalid` (422) naming the field. Rules are deliberately
specific: a person trying to do good must pass untouched, so ordinary numbers (39.5度,
200mg, 3个月, 2025年6月, "8 tablets", "两块退热贴") and words like 买不到 ("can't buy it
anywhere") are not price language. Contact details in public text are masked, not refused
(`huzhu.text.contact`).

- gift_only: prices, sale and purchase language, payment apps and cash, in zh and en;
- prescription_only: a prescription or controlled medicine named anywhere in a post's text,
  by any alias of a non-OTC item of the catalogue (operators extend the list in the admin or
  the catalogue data file).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huzhu.errors import Invalid
from huzhu.text.gift_words import first_trade
from huzhu.text.normalise import plain
from huzhu.text.prescriptions import first_mention


@dataclass(frozen=True)
class Breach:
    code: str
    message: str | Promise
    found: str  # the words that broke the rule, for the person and the tests


GIFT_ONLY_MESSAGE = _(
    "Huzhu is for gifts: please leave out prices, payment and selling or buying words "
    '(found "%(found)s"). Say what you need or can give, and hand it over for free.'
)
PRESCRIPTION_MESSAGE = _(
    '"%(found)s" is a prescription or controlled medicine and cannot be shared between '
    "neighbours. Please ask a pharmacy, a clinic or your doctor."
)


def fold(text: str) -> str:
    """`text` as every text rule reads it (`huzhu.text.normalise`): digits of any script and
    Chinese numerals folded, case folded, decoration inside words dropped."""
    return plain(text)


def gift_only(text: str) -> Breach | None:
    found = first_trade(fold(text))
    return None if found is None else Breach("gift_only", GIFT_ONLY_MESSAGE, found)


def prescription_only(text: str, names: Sequence[str]) -> Breach | None:
    """The first of `names` (prescription medicines) that `text` offers or asks for."""
    found = first_mention(fold(text), names)
    return None if found is None else Breach("prescription_only", PRESCRIPTION_MESSAGE, found)


def _refuse(breach: Breach, field: str) -> Invalid:
    return Invalid(str(breach.message) % {"found": breach.found}, code=breach.code, field=field)


def check_post(*, title: str, body: str, names: Sequence[str]) -> None:
    """Refuse a post whose public text sells, buys or names a prescription medicine.
    `names`: `posts.catalogue.prescription_names()`, read once by a caller checking many."""
    for field, text in (("title", title), ("body", body)):
        breach = gift_only(text) or prescription_only(text, names)
        if breach is not None:
            raise _refuse(breach, field)


def check_message(text: str, *, field: str = "body") -> None:
    """Refuse a relay message that asks for or offers money ("pay first" is how scams start)."""
    breach = gift_only(text)
    if breach is not None:
        raise _refuse(breach, field)
