"""Issue 15's sale slang and the refusals of money that must stay gifts, one row each."""

import pytest

from huzhu.safety.posting import mentions_costs
from huzhu.text.normalise import plain
from huzhu.text.rules import gift_only

SELLING = [
    "布洛芬10块一盒",
    "五十元一盒，先到先得",
    "伍拾圆一盒",
    "抗原三十米一个",
    "20米出，自取",
    "价格可议",
    "议价，懂的来",
    "私聊价格",
    "价格私聊",
    "Ibuprofen, price negotiable",
    "成本价出两盒",
    "收点成本费就行",
    "家里囤多了回血",
    "v我50就给你",
    "v 我 50",
    "走闲鱼",
    "小黄鱼上拍",
    "可以换话费",
    "8折出",
    "八折转",
    "有償分享",
    "有偿",
    "chu 2 he bu luo fen",
    "youchang, pm me",
    "抗原 💰",
    "Fifty dollars a box",
    "twenty bucks each",
    "以物易物，用口罩换布洛芬",
    "will trade for masks",
    "happy to swap them for test kits",
    "原价转让",
    "30块自取",
    "50元包邮",
    "¥15/个",
    "30r一盒",
]

GIFTS = [
    "原价买的，免费送",
    "药店卖完了，求一盒布洛芬",
    "不收钱，免费送",
    "不收红包，谢谢",
    "不加价，也不收钱，送给有需要的人",
    "谢绝倒卖",
    "No resale please, for someone in need",
    "I refuse payment, it is a gift",
    "0 rmb, free",
    "0元送",
    "免费 不是出售",
    "包邮，免费送",
    "I'll cover the postage",
    "孩子3岁，发烧39.5度",
    "每次200mg，一天两次",
    "2025年6月到期",
    "两盒布洛芬，一盒退热贴",
    "需要2块退热贴",
    "家里有5个抗原",
    "I am 72 and need 4 tablets",
    "Expires 2026-03-01, 2 boxes",
    "no payment needed",
    "payment is not needed",
    "not for sale",
    "free, never for sale",
    "交换联系方式在站内",
    "元旦前能用上就好",
    "离药店五百米",
    "一百米外的药店卖完了",
    "床1.8米宽",
    "不要钱，免费的",
]


@pytest.mark.parametrize("text", SELLING)
def test_it_refuses_sale_slang(text: str) -> None:
    assert gift_only(text) is not None, text


@pytest.mark.parametrize("text", GIFTS)
def test_it_lets_refusals_of_money_and_ordinary_numbers_through(text: str) -> None:
    assert gift_only(text) is None, gift_only(text)


# Postage, the same in both languages: the giver paying is a gift, the receiver paying waits
# for a moderator (posting.held_reason's price_like), whichever language says it.
@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("邮费自理", True),
        ("运费到付", True),
        ("快递费你出", True),
        ("you cover the postage", True),
        ("postage paid by you", True),
        ("包邮", False),
        ("免运费", False),
        ("运费我出", False),
        ("邮费我来出", False),
        ("I'll cover the postage", False),
        ("happy to pay the shipping cost", False),
        ("no postage needed", False),
    ],
)
def test_postage_is_judged_the_same_in_both_languages(text: str, held: bool) -> None:
    assert gift_only(text) is None
    assert mentions_costs(plain(text)) is held
