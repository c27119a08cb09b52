"""What gift-only looks for: prices, sale and payment words, resale channels and barter.

Matched against the normalised text (`huzhu.text.normalise`), so 五十元, ５０元, 伍拾元 are all
"50元", 有償 is 有偿 and "v 我 50" is "v我50". A match is a breach unless it is negated: the
words people use to refuse money ("不收红包", "不加价", "谢绝倒卖", "no resale please", "I
refuse payment", "0元") are gifts said twice. Postage is judged the same in both languages:
the giver paying it (包邮, "I'll cover the postage") is a gift; the receiver paying it
(邮费自理, "you cover the postage") waits for a moderator (posting.py's price_like).
"""

import re

_CJK = r"[\u4e00-\u9fff]"
_AMOUNT = r"(?P<amount>\d+(?:[.,]\d+)?)"
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred|a few|few)"
)

_MEASURE = r"(?:盒|个|瓶|支|袋|包|板|斤|箱|只|份|套|罐|条|件|人份|贴)"
_NOT_PRICE = r"片|粒|颗|ml|mg|毫|克|g|岁|度|天|号|小时|分钟|公斤|kg|升|l\b|周|次|人|米|%"

MONEY = [
    rf"[¥$€£]\s*{_AMOUNT}",
    (
        rf"(?<![\d.]){_AMOUNT}\s*(?:[元圆](?!旦|宵|素|气|老|帅|首|件|复)|块钱|毛钱|rmb|cny|usd|yuan|"
        r"dollars?|bucks|kuai|刀(?![片口伤])|r(?![a-z]))"
    ),
    # 块 is also a measure word (2块退热贴, two patches): money when no noun follows, or
    # when what follows is about the deal (30块自取, 10块1盒, 20块包邮).
    (
        rf"(?<![\d.]){_AMOUNT}\s*块(?P<coin>钱)?(?:(?!{_CJK})|(?=每|\d|一|自取|出|包邮|可|私|左右|"
        r"转|卖|收|给|拿走|到手))"
    ),
    # 米 is slang for 元 when a price follows the amount or the amount follows a sale word.
    rf"(?<![\d.]){_AMOUNT}\s*米(?=\s*(?:\d|每|一|/|出|包邮|可议|自取|拿走|就出|收|一盒|一个))",
    rf"(?:价|出|卖|收|给)\s*{_AMOUNT}\s*米",
    rf"(?:rmb|cny|usd)\s*{_AMOUNT}",
    rf"(?<![a-z])v\s*我\s*{_AMOUNT}",
    rf"(?<![\d.]){_AMOUNT}\s*折(?!叠|腾|磨|断|射)",
    # A number and "one box" (30一盒, 25一个, 20/瓶), or "one box" and a number (一个20).
    rf"(?<![\d.]){_AMOUNT}\s*(?:/|一|每)\s*{_MEASURE}(?!\d)",
    rf"(?:一|每|(?<!\d)1)\s*{_MEASURE}\s*{_AMOUNT}(?![\d.]|\s*(?:{_MEASURE}|{_NOT_PRICE}))",
    rf"(?<![\d.]){_AMOUNT}\s*(?:包邮|到手|一口价)",
    rf"(?<![\d.]){_AMOUNT}\s*(?:each|apiece|a piece|per piece|a box|per box|a pack|per pack)\b",
    # 150出, 300就出, 20出 (two digits or more: "3出" is rarely a price).
    r"(?<![\d.])(?P<amount>\d{2,})\s*(?:就|可|便宜)?(?:出|卖)(?!头|来|去|门|院|发|现|生|租|行|口|汗|血)",
    rf"\b{_NUMBER_WORD}\s+(?:dollars?|bucks|yuan|rmb|quid|pounds?|euros?)\b",
    r"[💰💵💴💸🤑]",
]

TRADE_ZH = [
    "出售",
    "售价",
    "转售",
    "倒卖",
    "转卖",
    "求购",
    "收购",
    "高价",
    "加价",
    "转让价",
    "多少钱",
    "有偿",
    "付款",
    "付钱",
    "转账",
    "红包",
    "定金",
    "订金",
    "押金",
    "支付宝",
    "微信支付",
    "代购",
    "卖给",
    "低价卖",
    "便宜卖",
    "便宜出",
    "低价出",
    "议价",
    "可议",
    "面议",
    "小刀",
    "私聊价",
    "价格私",
    "价格好说",
    "价格可",
    "价格美丽",
    "价钱好说",
    "成本价",
    "成本费",
    "回血",
    "闲鱼",
    "小黄鱼",
    "转转",
    "话费",
    "以物易物",
    "物物交换",
    "换物",
    "一口价",
    "甩卖",
    "清仓",
    "收钱",
    "给钱",
    "收费",
    "报价",
    "标价",
    "溢价",
    "进价",
    "市场价",
    "打折",
    "折扣",
    "回收",
    "拍下",
    "下单",
    "链接拍",
    "淘宝",
    "拼多多",
    "朋友圈有售",
    "转让",
    "优惠",
    "报个价",
    "出钱",
    "给钱",
    "私聊价",
    "开个价",
    "开价",
    "便宜出",
    "再便宜",
    "比药店便宜",
    "喝杯奶茶",
    "请我喝",
]
TRADE_ZH_PATTERNS = [
    r"原价(?=转|出|卖|让|给|收)",
    rf"用{_CJK}{{1,8}}换",
    r"(?:交换|互换|置换)(?!联系|信息|意见|经验|方式)",
    r"换(?:钱|现金|话费|红包|东西|点)",
    r"[盒个瓶包支袋]\s*换\s*[一两1-9]",
    # A post that opens with 出 (sell) or 收 (buy) and a thing: 出布洛芬, 收抗原.
    r"(?:^|(?<=[\s,，。!！]))出(?!门|院|差|发|来|去|现|生|租|行|口|了|汗|血|事|国|远|不|没|问题|现)",
    r"(?:^|(?<=[\s,，。!！]))收(?=抗原|布洛芬|退烧药|药|口罩|连花|美林|n95)",
]
TRADE_EN = [
    r"for sale",
    # Not bare "sell" or "price": "the shops don't sell it", "prices went up" are needs.
    (
        r"(?<!n't )(?<!not )sell(?:s|ing)? (?:it|them|for|at|my|our|these|this|some|a|an|"
        r"\d+|one|two|three|a few|extra|spare)"
    ),
    r"(?<!tried )(?<!try )(?<!trying )buying (?!it\b|them\b|one\b)[a-z]",
    r"paying",
    r"name (?:your|a) price",
    r"let (?:it|them|these) go for",
    r"(?:a |the )?going rate",
    r"xianyu",
    r"taobao",
    r"listed on",
    r"my shop",
    r"dm (?:me )?for (?:the )?price",
    r"resell(?:s|ing|er|ers)?",
    r"resale",
    r"(?:asking |best )?price\s*[:：]",
    r"asking price",
    r"price (?:is )?negotiable",
    r"negotiable price",
    r"best offer",
    r"taking offers",
    r"make (?:me )?an offer",
    r"cost price",
    r"at cost",
    r"cash",
    r"payment",
    r"pay (?:me|you|us|for (?:it|them|this))",
    r"will(?:ing to)? pay",
    r"paypal",
    r"venmo",
    r"zelle",
    r"cash ?app",
    r"alipay",
    r"wechat\s?pay",
    r"markup",
    r"o\.?b\.?o",
    r"ono",
    r"(?:trade|swap|exchange|barter)(?:s|d|ing)? (?:it |them |this |these )?for",
    r"in exchange",
    r"barter",
    r"top[ -]?up",
    r"phone credit",
    # Pinyin sale words.
    r"chu",
    r"you ?chang",
    r"jia ?ge",
    r"shou ?jia",
    r"hui ?xue",
]

# A sale word preceded by these is a refusal of money, not an offer to sell.
_NEGATED_BEFORE_ZH = re.compile(
    r"(?:不|没|别|勿|无需|无须|谢绝|拒绝|禁止|严禁|非|免|拒|莫|绝不)[^，。,.!！?？;；\n]{0,3}$"
    r"|(?:有人|别人|黄牛|举报|谴责|讨厌)[^，。,.!！?？;；\n]{0,2}$"  # what others do, reported
)
_NEGATED_BEFORE_EN = re.compile(
    r"(?<![a-z])(?:no|not|never|don'?t|do not|refuse|without|won'?t|zero|nor|free of)"
    r"(?:\s+[a-z']+){0,2}\s*$"
)
_NEGATED_AFTER = re.compile(
    r"^\s*(?:is\s+|are\s+)?(?:not|never|n't)\s+(?:needed|required|necessary|accepted|wanted)"
    r"|^\s*(?:不需要|不用|免了|不收|不要|不必|勿)"
    r"|^\s*(?:the\s+)?(?:postage|shipping|delivery|courier)"
)


def _compiled() -> tuple[re.Pattern[str], ...]:
    return (
        *(re.compile(pattern) for pattern in MONEY),  # each names its amount
        re.compile("|".join([*(re.escape(word) for word in TRADE_ZH), *TRADE_ZH_PATTERNS])),
        re.compile(rf"(?<![a-z])(?:{'|'.join(TRADE_EN)})(?![a-z])"),
    )


PATTERNS = _compiled()


def negated(text: str, start: int, end: int) -> bool:
    """Whether the words at text[start:end] are said in order to refuse them."""
    before = text[max(0, start - 24) : start]
    return bool(
        _NEGATED_BEFORE_ZH.search(before[-6:])
        or _NEGATED_BEFORE_EN.search(before)
        or _NEGATED_AFTER.search(text[end : end + 24])
    )


def _not_a_price(match: re.Match[str]) -> bool:
    """0元 is a gift; 两块 without 钱 is two pieces (每家两块, 两块就够), not two yuan."""
    groups = match.groupdict()
    if not groups.get("amount"):
        return False
    amount = float(groups["amount"].replace(",", "."))
    return amount == 0 or ("coin" in groups and groups["coin"] is None and amount < 3)


def first_trade(text: str) -> str | None:
    """The first price, sale, payment or barter words of normalised `text`, or None."""
    found: list[re.Match[str]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            if not _not_a_price(match) and not negated(text, *match.span()):
                found.append(match)
                break
    if not found:
        return None
    return min(found, key=lambda m: m.start()).group(0).strip()
