"""The rules engine: what may be said in public posts and in the relay.

Huzhu is for gifts. Each rule has a stable code and a message in the person's language that
says what to do instead; the post and message services call `check_post` and
`check_message`, which raise `Invalid` (422) naming the field. Rules are deliberately
specific: a person trying to do good must pass untouched, so ordinary numbers (39.5度,
200mg, 3个月, 2025年6月, "8 tablets", "两块退热贴") and words like 买不到 ("can't buy it
anywhere") are not price language. Contact details in public text are masked, not refused
(`huzhu.exchanges.contact`).

- gift_only: prices, sale and purchase language, payment apps and cash, in zh and en;
- prescription_only: a prescription or controlled medicine named anywhere in a post's text,
  by any alias of a non-OTC item of the catalogue (operators extend the list in the admin or
  the catalogue data file).
"""

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huzhu.errors import Invalid

_AMOUNT = r"\d+(?:[.,]\d+)?"
_CJK = r"[\u4e00-\u9fff]"

# Money: an amount with a currency, or a currency sign before an amount.
_MONEY = [
    rf"[¥$€£]\s*{_AMOUNT}",
    rf"{_AMOUNT}\s*(?:元(?!旦|宵)|块钱|毛钱|rmb|cny|usd|yuan|dollars?|bucks)",
    # 块 is also a measure word (2块退热贴, two patches): money only when no noun follows.
    rf"{_AMOUNT}\s*块(?!{_CJK})",
    r"(?:rmb|cny|usd)\s*\d",
]
# Sale, purchase and payment words. Bare 买/卖/售 are left alone: 买不到, 售罄 and 不卖 are
# what people in need write.
_TRADE_ZH = [
    "出售",
    "售价",
    "转售",
    "倒卖",
    "转卖",
    "求购",
    "收购",
    "高价",
    "加价",
    "原价",
    "转让价",
    "多少钱",
    "有偿",
    "付款",
    "转账",
    "红包",
    "定金",
    "支付宝",
    "微信支付",
    "代购",
    "包邮",
    "卖给",
    "低价卖",
    "便宜卖",
]
_TRADE_EN = [
    r"for sale",
    # Not bare "sell" or "price": "the shops don't sell it", "prices went up" are needs.
    r"(?<!n't )(?<!n’t )(?<!not )sell(?:s|ing)? (?:it|them|for|at)",
    r"resell(?:s|ing)?",
    r"(?:asking |best )?price\s*[:：]",
    r"asking price",
    r"cash",
    r"payment",
    r"pay (?:me|you|us|for (?:it|them|this))",
    r"will(?:ing to)? pay",
    r"paypal",
    r"venmo",
    r"alipay",
    r"wechat\s?pay",
    r"markup",
    r"o\.?b\.?o",
]
# Three patterns, not one alternation of them all: searched one by one they take a third
# of the time (every post and message is checked), and the leftmost match of the three (the
# first pattern's on a tie) is the one the single alternation found.
_GIFT_ONLY = (
    re.compile("|".join(_MONEY), re.IGNORECASE),
    re.compile("|".join(re.escape(word) for word in _TRADE_ZH), re.IGNORECASE),
    re.compile(rf"(?<![a-z])(?:{'|'.join(_TRADE_EN)})(?![a-z])", re.IGNORECASE),
)


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
    """Full-width forms folded (＄２０ is $20) and case folded, for matching only."""
    return unicodedata.normalize("NFKC", text).casefold()


def gift_only(text: str) -> Breach | None:
    folded = fold(text)
    found = [match for pattern in _GIFT_ONLY if (match := pattern.search(folded))]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())  # min keeps the first of equals
    return Breach("gift_only", GIFT_ONLY_MESSAGE, match.group(0).strip())


def prescription_only(text: str, names: Sequence[str]) -> Breach | None:
    """The first of `names` (aliases of prescription medicines) that `text` mentions."""
    folded = fold(text)
    if not any(pattern.search(folded) for pattern in _any_of(tuple(names))):
        return None  # nearly every post: two searches instead of one per name
    for name in names:
        key = fold(name)
        if key.isascii():
            if re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", folded):
                return Breach("prescription_only", PRESCRIPTION_MESSAGE, name)
        elif key in folded:
            return Breach("prescription_only", PRESCRIPTION_MESSAGE, name)
    return None


@functools.lru_cache(maxsize=8)
def _any_of(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Patterns that find any of `names` the way `prescription_only` looks for each: Latin
    names as whole words, the others anywhere. Two alternations, each with one boundary
    check, run about twenty times faster than one with a boundary check per name."""
    keys = [fold(name) for name in names]
    latin = "|".join(re.escape(key) for key in keys if key.isascii())
    other = "|".join(re.escape(key) for key in keys if not key.isascii())
    return (
        re.compile(rf"(?<![a-z0-9])(?:{latin or '(?!)'})(?![a-z0-9])"),
        re.compile(other or "(?!)"),
    )


def prescription_names() -> list[str]:
    """Every alias of a catalogue item that is not over the counter, longest first."""
    from huzhu.posts.models import ItemAlias

    aliases = ItemAlias.objects.filter(item__otc=False).values_list("alias", flat=True)
    return sorted(set(aliases), key=lambda alias: (-len(alias), alias))


def _refuse(breach: Breach, field: str) -> Invalid:
    return Invalid(str(breach.message) % {"found": breach.found}, code=breach.code, field=field)


def check_post(*, title: str, body: str, names: Sequence[str] | None = None) -> None:
    """Refuse a post whose public text sells, buys or names a prescription medicine.
    `names`: `prescription_names()`, read once by a caller checking many posts."""
    names = prescription_names() if names is None else names
    for field, text in (("title", title), ("body", body)):
        breach = gift_only(text) or prescription_only(text, names)
        if breach is not None:
            raise _refuse(breach, field)


def check_message(text: str, *, field: str = "body") -> None:
    """Refuse a relay message that asks for or offers money ("pay first" is how scams start)."""
    breach = gift_only(text)
    if breach is not None:
        raise _refuse(breach, field)
