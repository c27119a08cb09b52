"""Find and mask contact details in free text: phones, e-mail, IM ids, addresses, links.

One module, one table-driven test (tests/test_contact.py). The detector is deliberately
specific rather than "any long number": ordinary numbers people write about medicine and
goods (39.5度, 200mg, 3个月, 2025年6月, 2025-06-30, 12:30, 4 tablets) must stay readable.

Text is first normalised character by character (full-width digits and letters, the
ideographic space, Chinese numerals for digits) so that offsets in the normalised text
are offsets in the original, and a span found in one masks the same characters in the
other.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from django.utils.translation import gettext as _

_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九幺", "001234567891")
_SEP = r"[\s\-.·_/—–~]{0,2}"  # what people put between digits: spaces, dashes, dots
_CJK_NAME = r"[\u4e00-\u9fff]"
# Characters that end a Chinese place name when we walk back from 路/街/小区…
_NOT_NAME = "在住是到的于从去我你他她们来和与或址为给就要请送拿取约"
_PLACE_CHAR = rf"[^\W\d_a-zA-Z{_NOT_NAME}]"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # phone, email, im, address, link


def normalise(text: str) -> str:
    """Same length as `text`: full-width forms folded, Chinese numerals as digits."""
    # Most text has nothing to fold, and a string in NFKC has no character that NFKC
    # would change on its own: skip the per-character loop, a third of the masking cost.
    if not unicodedata.is_normalized("NFKC", text):
        chars = []
        for char in text:
            folded = unicodedata.normalize("NFKC", char)
            chars.append(folded if len(folded) == 1 else char)
        text = "".join(chars)
    return text.translate(_CHINESE_DIGITS)


def _digits(sep: str, count: int) -> str:
    return "".join(rf"{sep}\d" for _ in range(count))


_PHONE_PATTERNS = [
    # Mainland mobile: 1[3-9] and nine more digits, any spacing, optional +86 / 0086 / (86).
    (
        rf"(?:(?:\+|00)\s*86{_SEP}|\(\s*\+?86\s*\){_SEP}|(?<!\d)86[\s\-]+|(?<!\d))"
        rf"1{_SEP}[3-9]{_digits(_SEP, 9)}(?!\d)"
    ),
    # Mainland landline with its area code: 010-12345678, 0755 8888 6666.
    r"(?<![\d\-])0\d{2,3}[\s\-]{0,2}\d{3,4}[\s\-]?\d{4}(?![\d\-])",
    # International: a + or 00 country code and at least seven more digits.
    rf"(?:\+|(?<!\d)00)[1-9]\d{{0,2}}(?:{_SEP}\(?\d\)?){{7,14}}(?!\d)",
    # North American style: (555) 123-4567, 555-123-4567, 555.123.4567.
    r"(?<![\d\-])(?:\(\d{3}\)\s?|\d{3}[\-.\s])\d{3}[\-.\s]\d{4}(?![\d\-])",
    # A shorter number introduced as a phone number: 电话 8888 6666, tel: 12345.
    (
        r"(?i:电话|手机|座机|致电|tel|phone|call|mobile|cell)(?:号码?|号|\s*(?:no\.?|number))?"
        r"\s*(?:[:：是为]|is)?\s*(?P<id>\+?(?:\d[\s\-]{0,2}){5,15}(?<![\s\-]))(?![\dA-Za-z%℃度个片粒盒瓶支元块])"
    ),
]

_ID = r"[A-Za-z0-9_\-]"  # the characters of an account id (ASCII: \w would take 汉字 too)
_IM_WORDS = (
    r"微信号?|威信|薇信|徽信|[vV]信|[vV][xX]|[wW][xX]|weixin|wechat|we\s?chat|"
    r"[qQ]{2}号?|扣扣|企鹅号?|telegram|tg|whatsapp|line\s?id|skype|钉钉|飞书|抖音号?|"
    r"小红书号?|支付宝"
)
# An id after an explicit separator (微信号：alice, wechat: alice) may be letters only; one
# right after the word (vx alice123) must hold a digit or "_", so "wechat every day" stays.
_IM_PATTERNS = [
    (
        rf"(?i:(?<![a-z0-9])(?:{_IM_WORDS}))\s*(?:号|id|账号|帐号)?\s*(?:[:：=]|是|为|\bis\b)\s*"
        rf"(?P<id>[A-Za-z]{_ID}{{4,29}}|\d{{5,12}})(?!{_ID})"
    ),
    rf"(?i:(?<![a-z0-9])(?:{_IM_WORDS}))[\s:：]*(?P<id>(?={_ID}*[\d_])[A-Za-z0-9]{_ID}{{4,29}})(?!{_ID})",
    r"(?i:(?<![a-z0-9])wxid_[a-z0-9]{6,30})",
    r"(?<![A-Za-z0-9_@])@[A-Za-z][A-Za-z0-9_]{4,31}(?![A-Za-z0-9_@.])",  # @handle
]

_EMAIL_PATTERNS = [
    # The lookbehind starts a match only where a token starts: linear, not quadratic, time.
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}\s?(?:@|\(at\)|\[at\])\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
]

_TLDS = (
    "com|cn|net|org|io|me|info|top|xyz|co|app|link|ly|tv|cc|hk|tw|mo|uk|de|fr|jp|kr|ru|"
    "us|ca|au|sg|in|biz|site|online|club|vip|shop|store|wang|ink|work|edu|gov"
)
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]"
_LINK_PATTERNS = [
    rf"(?i:https?://){_URL_CHARS}+",
    rf"(?i:(?<![A-Za-z0-9.])www\.){_URL_CHARS}+",
    (
        rf"(?<![A-Za-z0-9.@\-])(?:[A-Za-z0-9\-]{{1,63}}\.)+(?i:{_TLDS})(?![A-Za-z0-9\-])"
        rf"(?:/{_URL_CHARS}*)?"
    ),
]

_ROAD = r"(?:大街|大道|路|街|巷|弄|胡同|道)"
_UNIT = r"(?:号楼|号院|栋|幢|座|单元|层|楼|室|户|号|弄|巷)"
_ADDRESS_PATTERNS = [
    # 南京西路1234号, 长安街10号院3号楼, 愚园路123弄4号
    rf"{_PLACE_CHAR}{{1,8}}{_ROAD}\s*\d+\s*(?:号|弄|巷|栋|幢)(?:\s*\d+\s*{_UNIT})*",
    # 幸福小区5号楼, 阳光花园3栋
    rf"{_PLACE_CHAR}{{1,8}}(?:小区|花园|公寓|大厦|家园|新村|苑|社区|广场)\s*\d+\s*{_UNIT}(?:\s*\d+\s*{_UNIT})*",
    # At least two units in a row: 3号楼2单元501室, 5栋301, 2单元501
    rf"(?<!\d)\d+\s*(?:号楼|号院|栋|幢|座|单元)(?:\s*(?:\d+\s*{_UNIT}|\d{{3,4}}(?![\d.])))+",
    # A room number: 501室
    r"(?<!\d)\d{3,4}\s*室",
    # Introduced as an address: 地址：…, 住在…号
    r"(?:地址|住址|家住)\s*[:：是为在]?\s*(?P<id>[^\n。！？!?；;]{2,40})",
    r"(?i:\baddress\s*[:：]\s*)(?P<id>[^\n.!?;]{2,60})",
    # English: 12 Nanjing Road, 221B Baker Street, No. 5 Huaihai Rd.
    (
        r"(?i:\bno\.?\s*)?\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}"
        r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|"
        r"Place|Pl|Terrace|Lu|Jie|Hutong|Alley)\b\.?"
    ),
    r"(?i:\b(?:apt|apartment|flat|suite|room|rm)\.?\s*#?\d{1,5}[A-Za-z]?\b)",
]


@cache
def _compiled() -> list[tuple[re.Pattern[str], str]]:
    table = [
        *((pattern, "email") for pattern in _EMAIL_PATTERNS),
        *((pattern, "link") for pattern in _LINK_PATTERNS),
        *((pattern, "phone") for pattern in _PHONE_PATTERNS),
        *((pattern, "im") for pattern in _IM_PATTERNS),
        *((pattern, "address") for pattern in _ADDRESS_PATTERNS),
    ]
    return [(re.compile(pattern), kind) for pattern, kind in table]


def find_contacts(text: str) -> list[Span]:
    """Every contact detail in `text`, as non-overlapping spans in order."""
    return list(_contacts_in(text)) if text else []


# Every post shown is masked again for every page it appears on, and the nineteen patterns
# cost about 0.1 ms per title and body: a search page of 20 spent 4 ms on them. The same
# posts fill the first pages of a busy area, so remember recent answers (text is the key).
@lru_cache(maxsize=4096)
def _contacts_in(text: str) -> tuple[Span, ...]:
    plain = normalise(text)
    found: list[Span] = []
    for pattern, kind in _compiled():
        for match in pattern.finditer(plain):
            start, end = match.span("id") if "id" in pattern.groupindex else match.span()
            while end > start and plain[end - 1] in " \t,，、.;；":
                end -= 1  # trailing punctuation belongs to the sentence, not the detail
            if end > start:
                found.append(Span(start, end, kind))
    return tuple(_merged(found))


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def marker() -> str:
    return _("[contact hidden]")


def mask_contacts(text: str) -> str:
    """`text` with every contact detail replaced by a translated marker."""
    spans = find_contacts(text)
    if not spans:
        return text
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.extend((text[position : span.start], marker()))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def contact_details(text: str) -> list[str]:
    """The contact details themselves, as written: what a revealed exchange shows."""
    return [text[span.start : span.end].strip() for span in find_contacts(text)]
