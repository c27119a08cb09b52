"""Find and mask contact details in free text: phones, e-mail, IM ids, addresses, links.

One module, one table-driven test (exchanges/tests/test_contact.py). The detector is
deliberately specific rather than "any number": ordinary numbers people write about medicine
and goods (39.5度, 200mg, 3个月, 2025年6月, 2025-06-30, 12:30, 4 tablets) must stay readable;
only a run of seven or more digits is a contact detail on its own, whatever it is dressed in.

Text is first normalised by `huzhu.text.normalise` (the one pipeline every text rule reads:
digits of any script and Chinese numerals folded, decoration inside keywords and between
digit groups dropped, spelled-out e-mail and links rebuilt), which keeps the map from each
normalised character back to the original, so a span found in one masks the right
characters of the other.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from django.utils.translation import gettext as _

from huzhu.text.normalise import normalise

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


def _digits(sep: str, count: int) -> str:
    return "".join(rf"{sep}\d" for _ in range(count))


_PHONE_PATTERNS = [
    # Mainland mobile: 1[3-9] and nine more digits, any spacing, optional +86 / 0086 / (86).
    (
        rf"(?:\(?\s*(?:\+|00)\s*86\)?{_SEP}|\(\s*\+?86\s*\){_SEP}|(?<!\d)86[\s\-]+|(?<!\d))"
        rf"1{_SEP}[3-9]{_digits(_SEP, 9)}(?!\d)"
    ),
    # A mobile in its three groups with a few words between them: 138 (然后) 1234 (再) 5678.
    r"(?<![\d.])1[3-9]\d[^\d\n]{1,8}\d{4}[^\d\n]{1,8}\d{4}(?![\d.])",
    # Mainland landline with its area code: 010-12345678, 0755 8888 6666.
    r"(?<![\d\-])\(?0\d{2,3}[\s\-)]{0,2}\d{3,4}[\s\-]?\d{4}(?![\d\-])",
    # International: a + or 00 country code and at least seven more digits.
    rf"(?:\+|(?<!\d)00)[1-9]\d{{0,2}}(?:{_SEP}\(?\d\)?){{7,14}}(?!\d)",
    # North American style: (555) 123-4567, 555-123-4567, 555.123.4567.
    r"(?<![\d\-])(?:\(\d{3}\)\s?|\d{3}[\-.\s])\d{3}[\-.\s]\d{4}(?![\d\-])",
    # A shorter number introduced as a phone number: 电话 8888 6666, tel: 12345.
    (
        r"(?i:电话|手机|座机|致电|打给我|☎|📞|📱|tel|phone|call|mobile|cell)(?:号码?|号|\s*(?:no\.?|number))?"
        r"\s*(?:[:：是为]|is)?\s*(?P<id>\+?(?:\d[\s\-]{0,2}){5,15}(?<![\s\-]))(?![\dA-Za-z%℃度个片粒盒瓶支元块])"
    ),
]

_ID = r"[A-Za-z0-9_\-.]"  # the characters of an account id (ASCII: \w would take 汉字 too)
_IM_WORDS = (
    r"微信号?|威信|薇信|徽信|围信|维信|v信|vx|wx|weixin|wechat|we\s?chat|绿泡泡|💬|"
    r"qq号?|扣扣|抠抠|企鹅号?|telegram|tg|whatsapp|line\s?id|skype|钉钉|飞书|抖音号?|"
    r"小红书号?|支付宝|(?:加|\+|➕)\s*v"
)
# Chinese words for an IM account: a Latin word right after one is the id (微信 grandmali).
_IM_WORDS_ZH = r"微信号?|威信|薇信|徽信|围信|维信|v信|绿泡泡|💬|扣扣|抠抠|企鹅号?|加v|加vx|加wx"
# An id after an explicit separator (微信号：alice, wechat: alice) may be letters only; one
# right after the word (vx alice123) must hold a digit or "_", so "wechat every day" stays.
_IM_PATTERNS = [
    (
        rf"(?i:(?<![a-z0-9])(?:{_IM_WORDS}))\s*(?:号|id|账号|帐号|同号)?\s*(?:[:：=]|是|为|\bis\b)\s*"
        rf"(?P<id>[A-Za-z]{_ID}{{4,29}}|\d(?:\s?\d){{4,11}})(?!{_ID})"
    ),
    rf"(?i:(?<![a-z0-9])(?:{_IM_WORDS}))[\s:：]*(?P<id>(?={_ID}*[\d_])[A-Za-z0-9]{_ID}{{4,29}})(?!{_ID})",
    rf"(?:{_IM_WORDS_ZH}|(?<![a-z0-9])(?:wx|vx))\s*(?:号|id|账号|帐号|同号)?[\s:：]*(?P<id>[a-z][a-z0-9_\-]{{4,29}}|\d(?:\s?\d){{4,11}})(?![a-z0-9_\-])",
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
_NOT_ROAD_NUMBER = r"分|小时|公里|km|米|站|个|块|元|次|天|号线|路|趟|辆|人|岁|度|%"
_ADDRESS_PATTERNS = [
    # 南京西路1234号, 长安街10号院3号楼, 愚园路123弄4号
    rf"{_PLACE_CHAR}{{1,8}}{_ROAD}\s*\d+\s*(?:号|弄|巷|栋|幢)(?:\s*\d+\s*{_UNIT})*",
    # 朝阳区建国路88 (no 号): a road name and a house number, not a bus line or a distance.
    (
        rf"{_PLACE_CHAR}{{2,8}}{_ROAD}\s*\d{{1,4}}(?![\d.:]|\s*(?:{_NOT_ROAD_NUMBER}))"
        rf"(?:\s*{_UNIT}(?:\s*\d+\s*{_UNIT})*)?"
    ),
    # 幸福小区5号楼, 阳光花园3栋
    rf"{_PLACE_CHAR}{{1,8}}(?:小区|花园|公寓|大厦|家园|新村|苑|社区|广场)\s*\d+\s*{_UNIT}(?:\s*\d+\s*{_UNIT})*",
    # At least two units in a row: 3号楼2单元501室, 5栋301, 2单元501
    rf"(?<!\d)\d+\s*(?:号楼|号院|栋|幢|座|单元)(?:\s*(?:\d+\s*{_UNIT}|\d{{3,4}}(?![\d.])))+",
    # A room number: 501室
    r"(?<!\d)\d{3,4}\s*室",
    # Introduced as an address: 地址：…, 住在…号
    r"(?:地址|住址|家住)\s*[:：是为在]?\s*(?P<id>[^\n。！？!?；;]{2,40})",
    r"(?i:\baddress\s*[:：]\s*)(?P<id>[^\n.!?;]{2,60})",
    # English: 12 Nanjing Road, 221B Baker Street, No. 5 Huaihai Rd. (text is case-folded)
    (
        r"(?:\bno\.?\s*)?\b\d{1,5}[a-z]?,?\s+(?:[a-z]+\s+){1,3}"
        r"(?:road|rd|street|st|avenue|ave|lane|ln|boulevard|blvd|drive|dr|way|court|ct|"
        r"place|pl|terrace|lu|jie|hutong|alley)\b\.?"
    ),
    r"(?i:\b(?:apt|apartment|flat|suite|room|rm)\.?\s*#?\d{1,5}[A-Za-z]?\b)",
    # Building 5 Unit 2 (Room 501), Block 3, Flat 12
    (
        r"\b(?:building|bldg|block|blk|tower)\.?\s*#?\d{1,4}[a-z]?\b"
        r"(?:\s*,?\s*(?:unit|entrance|floor|room|rm|flat|apt)\.?\s*#?\d{1,5}[a-z]?\b)*"
    ),
    r"\bunit\s*#?\d{1,3}\s*,?\s*(?:room|rm|flat|apt)\.?\s*#?\d{1,5}[a-z]?\b",
]


# Seven or more digits in a row, however they were spaced: a phone number whatever its
# dress, unless it is a date (20250630) or introduced as an order or batch number.
_LONG_DIGITS = re.compile(r"(?<![\d.,])\d(?:[ \-.,]?\d){6,}(?![\d])")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_DATE = re.compile(r"(?:19|20)\d\d[ \-.]?(?:0?[1-9]|1[0-2])[ \-.]?(?:0?[1-9]|[12]\d|3[01])")
_NOT_A_PHONE = re.compile(
    r"(?:订单|单号|批号|批次|条码|序列号|编号|batch|lot|order|serial|barcode|tracking)"
    r"(?:\s*(?:number|no\.?|num|id|号码?))?[\s:：#]*$"
)


def _long_digit_runs(plain: str) -> list[Span]:
    found = []
    for match in _LONG_DIGITS.finditer(plain):
        if (
            _DATE.fullmatch(match.group(0))
            or _THOUSANDS.fullmatch(match.group(0))
            or _NOT_A_PHONE.search(plain[: match.start()][-16:])
        ):
            continue
        found.append(Span(*match.span(), "phone"))
    return found


@cache
def _compiled() -> list[tuple[re.Pattern[str], str]]:
    table = [
        *((pattern, "email") for pattern in _EMAIL_PATTERNS),
        *((pattern, "link") for pattern in _LINK_PATTERNS),
        *((pattern, "phone") for pattern in _PHONE_PATTERNS),
        *((pattern, "im") for pattern in _IM_PATTERNS),
        *((pattern, "address") for pattern in _ADDRESS_PATTERNS),
    ]
    return [(re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in table]


def find_contacts(text: str) -> list[Span]:
    """Every contact detail in `text`, as non-overlapping spans in order."""
    return list(_contacts_in(text)) if text else []


# Every post shown is masked again for every page it appears on, and the nineteen patterns
# cost about 0.1 ms per title and body: a search page of 20 spent 4 ms on them. The same
# posts fill the first pages of a busy area, so remember recent answers (text is the key).
@lru_cache(maxsize=4096)
def _contacts_in(text: str) -> tuple[Span, ...]:
    folded = normalise(text)
    plain = folded.text
    found: list[Span] = []
    for pattern, kind in _compiled():
        for match in pattern.finditer(plain):
            start, end = match.span("id") if "id" in pattern.groupindex else match.span()
            while end > start and plain[end - 1] in " \t,，、.;；":
                end -= 1  # trailing punctuation belongs to the sentence, not the detail
            if end > start:
                found.append(Span(start, end, kind))
    found += _long_digit_runs(plain)  # last: a span the patterns found keeps their kind
    return tuple(Span(*folded.original(span.start, span.end), span.kind) for span in _merged(found))


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
