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

import re
import unicodedata
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
_GIFT_ONLY = re.compile(
    "|".join(
        [
            *_MONEY,
            *(re.escape(word) for word in _TRADE_ZH),
            *(rf"(?<![a-z]){word}(?![a-z])" for word in _TRADE_EN),
        ]
    ),
    re.IGNORECASE,
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
    match = _GIFT_ONLY.search(fold(text))
    if match is None:
        return None
    return Breach("gift_only", GIFT_ONLY_MESSAGE, match.group(0).strip())


def prescription_only(text: str, names: list[str]) -> Breach | None:
    """The first of `names` (aliases of prescription medicines) that `text` mentions."""
    folded = fold(text)
    for name in names:
        key = fold(name)
        if key.isascii():
            if re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", folded):
                return Breach("prescription_only", PRESCRIPTION_MESSAGE, name)
        elif key in folded:
            return Breach("prescription_only", PRESCRIPTION_MESSAGE, name)
    return None


def prescription_names() -> list[str]:
    """Every alias of a catalogue item that is not over the counter, longest first."""
    from huzhu.posts.models import ItemAlias

    aliases = ItemAlias.objects.filter(item__otc=False).values_list("alias", flat=True)
    return sorted(set(aliases), key=lambda alias: (-len(alias), alias))


def _refuse(breach: Breach, field: str) -> Invalid:
    return Invalid(str(breach.message) % {"found": breach.found}, code=breach.code, field=field)


def check_post(*, title: str, body: str) -> None:
    """Refuse a post whose public text sells, buys or names a prescription medicine."""
    names = prescription_names()
    for field, text in (("title", title), ("body", body)):
        breach = gift_only(text) or prescription_only(text, names)
        if breach is not None:
            raise _refuse(breach, field)


def check_message(text: str, *, field: str = "body") -> None:
    """Refuse a relay message that asks for or offers money ("pay first" is how scams start)."""
    breach = gift_only(text)
    if breach is not None:
        raise _refuse(breach, field)
