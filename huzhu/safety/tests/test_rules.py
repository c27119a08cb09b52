"""The rules engine, table-driven: what each rule refuses and what it must let through."""

import pytest

from huzhu.text.rules import gift_only, prescription_only

# (text, the words the rule should report) — refused.
GIFT_ONLY_POSITIVES = [
    ("布洛芬20元一盒", "20元"),
    ("退烧药 30块 自取", "30块"),
    ("抗原 ¥15/个", "¥15"),
    ("抗原 ￥１５", "¥15"),  # full-width sign and digits
    ("50块钱一盒", "50块钱"),
    ("出售布洛芬，有需要的联系", "出售"),
    ("转让价 80", "转让价"),
    ("高价收购抗原", "高价"),
    ("求购连花清瘟", "求购"),
    ("原价转让，不加价", "原价"),
    ("先付款再发货", "付款"),
    ("微信转账就行", "转账"),
    ("发个红包表示感谢", "红包"),
    ("支付宝付一下", "支付宝"),
    ("Ibuprofen for sale, 2 boxes", "for sale"),
    ("Selling them at cost", "selling them"),
    ("I can sell it to you", "sell it"),
    ("Test kits $5 each", "$5"),
    ("10 dollars a box", "10 dollars"),
    ("Will pay for antigen tests", "will pay"),
    ("Cash only", "cash"),
    ("Send the payment first", "payment"),
    ("PayPal is fine", "paypal"),
    ("Price: 20", "price:"),
    ("20 RMB", "20 rmb"),
    ("Happy to resell", "resell"),
]
# Allowed: ordinary numbers and the words of people in need.
GIFT_ONLY_NEGATIVES = [
    "孩子发烧39.5度，急需布洛芬",
    "布洛芬 200mg，3个月内有效",
    "保质期到2025年6月",
    "需要2块退热贴",
    "药店都买不到了，已经售罄",
    "免费送，不卖",
    "元旦前能拿到就好",
    "8 tablets left, free to a neighbour",
    "The shops don't sell it any more",
    "Prices went up so much, nothing left at the pharmacy",
    "Pay it forward",
    "Expires 2025-06-30, 12 tablets",
    "可以分享给需要的邻居",
]

PRESCRIPTION = ["amoxicillin", "阿莫西林", "paxlovid", "奈玛特韦", "xanax"]
PRESCRIPTION_POSITIVES = [
    ("有多余的阿莫西林", "阿莫西林"),
    ("Spare Paxlovid, unopened", "paxlovid"),
    ("PAXLOVID 1 box", "paxlovid"),
    ("Need xanax", "xanax"),
]
PRESCRIPTION_NEGATIVES = [
    "急需布洛芬",
    "Amoxicillinx is not a word we know",  # whole words only for Latin names
    "paxlovids",
    "Need ibuprofen for a child",
]


@pytest.mark.parametrize(("text", "found"), GIFT_ONLY_POSITIVES)
def test_gift_only_refuses_prices_and_trade(text: str, found: str) -> None:
    breach = gift_only(text)
    assert breach is not None, text
    assert breach.code == "gift_only"
    assert breach.found == found


@pytest.mark.parametrize("text", GIFT_ONLY_NEGATIVES)
def test_gift_only_lets_ordinary_numbers_and_needs_through(text: str) -> None:
    assert gift_only(text) is None


@pytest.mark.parametrize(("text", "found"), PRESCRIPTION_POSITIVES)
def test_prescription_only_finds_any_alias(text: str, found: str) -> None:
    breach = prescription_only(text, PRESCRIPTION)
    assert breach is not None
    assert (breach.code, breach.found) == ("prescription_only", found)


@pytest.mark.parametrize("text", PRESCRIPTION_NEGATIVES)
def test_prescription_only_leaves_other_medicines(text: str) -> None:
    assert prescription_only(text, PRESCRIPTION) is None
