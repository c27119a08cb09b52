"""The contact-detail detector, as one table: what it must mask and what it must leave."""

import time

import pytest

from huzhu.text.contact import contact_details, find_contacts, mask_contacts

HIDDEN = "[contact hidden]"

# (text, the detail that must disappear, its kind)
POSITIVES = [
    # Mainland mobiles, in any spacing, with dashes, full-width digits or a country code.
    ("打我电话13812345678", "13812345678", "phone"),
    ("手机 138 1234 5678 晚上打", "138 1234 5678", "phone"),
    ("call 138-1234-5678 after six", "138-1234-5678", "phone"),
    ("号码１３８１２３４５６７８", "１３８１２３４５６７８", "phone"),
    ("+86 138 1234 5678", "+86 138 1234 5678", "phone"),
    ("(+86)13912345678", "(+86)13912345678", "phone"),
    ("0086-15912345678", "0086-15912345678", "phone"),
    ("1 3 8 1 2 3 4 5 6 7 8", "1 3 8 1 2 3 4 5 6 7 8", "phone"),
    ("一三八一二三四五六七八", "一三八一二三四五六七八", "phone"),
    ("座机010-12345678", "010-12345678", "phone"),
    ("0755 8888 6666 is the office", "0755 8888 6666", "phone"),
    ("电话：8888 6666", "8888 6666", "phone"),
    # International.
    ("ring me on +44 20 7946 0958", "+44 20 7946 0958", "phone"),
    ("+1 (555) 123-4567", "+1 (555) 123-4567", "phone"),
    ("my number is 555-123-4567", "555-123-4567", "phone"),
    # E-mail, plain and dressed up.
    ("mail alice.w@example.com", "alice.w@example.com", "email"),
    ("邮箱：wang_li@qq.com", "wang_li@qq.com", "email"),
    ("alice (at) example.org", "alice (at) example.org", "email"),
    ("full-width ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email"),
    # WeChat, QQ and friends.
    ("加我微信：wxabc123谢谢", "wxabc123", "im"),
    ("微信号 alice_wang", "alice_wang", "im"),
    ("V信 lily2024", "lily2024", "im"),
    ("加vx: zhang-san88", "zhang-san88", "im"),
    ("wx 13800abc", "13800abc", "im"),
    ("QQ 12345678", "12345678", "im"),
    ("企鹅号：987654321", "987654321", "im"),
    ("扣扣 55667788", "55667788", "im"),
    ("my wechat is alice_88", "alice_88", "im"),
    ("WeChat: lilyzhang", "lilyzhang", "im"),
    ("telegram @helper_bj", "@helper_bj", "im"),
    ("whatsapp: 4477009001", "4477009001", "im"),
    ("wxid_abcdef123", "wxid_abcdef123", "im"),
    # Street addresses.
    ("我住在南京西路1234号", "南京西路1234号", "address"),
    ("长安街10号院3号楼", "长安街10号院3号楼", "address"),
    ("愚园路123弄4号", "愚园路123弄4号", "address"),
    ("送到幸福小区5号楼", "幸福小区5号楼", "address"),
    ("3号楼2单元501室", "3号楼2单元501室", "address"),
    ("5栋301", "5栋301", "address"),
    ("到了敲501室的门", "501室", "address"),
    ("地址：朝阳区幸福里", "朝阳区幸福里", "address"),
    ("I live at 12 Nanjing Road", "12 Nanjing Road", "address"),
    ("221B Baker Street, London", "221B Baker Street", "address"),
    ("Apt 5B, please knock", "Apt 5B", "address"),
    # Links.
    ("see https://example.com/form?id=3", "https://example.com/form?id=3", "link"),
    ("看这里http://t.cn/abc谢谢", "http://t.cn/abc", "link"),
    ("www.example.org/help", "www.example.org/help", "link"),
    ("join t.me/mutualaid", "t.me/mutualaid", "link"),
    ("weibo.com/u/123", "weibo.com/u/123", "link"),
]

# Ordinary text about medicine and goods that must stay exactly as written.
NEGATIVES = [
    "体温39.5度，已经烧了两天",
    "体温39.5℃，吃了200mg布洛芬",
    "每次200mg，一天3次",
    "咳嗽3个月了",
    "2025年6月到期",
    "有效期至2025-06-30",
    "expires 2025-06-30",
    "30/06/2025",
    "下午12:30到",
    "Meet at 12:30 tomorrow",
    "4 tablets, 2 boxes",
    "take 2 tablets every 6 hours",
    "I need 10 N95 masks",
    "6月30号下午",
    "3室1厅",
    "坐2路公交车",
    "地铁10号线",
    "一路平安",
    "路上10分钟",
    "wechat every day works for me",
    "QQ群里说过了",
    "I have 12 spare masks",
    "1000ml water bottles",
    "batch 20250630",
    "布洛芬缓释胶囊 0.3g x 24粒",
    "price: none, it is a gift",
    "e.g. ibuprofen or paracetamol",
    "Room for 2 more people",
    "血氧95%，心率110",
    "2025.06.30",
    "手机 20000mAh 充电宝",
    "急救电话120",
    "体重65kg，身高170cm",
    "订单 1234567890123",
    "10:00-12:00 at the gate",
]


@pytest.mark.parametrize(("text", "detail", "kind"), POSITIVES)
def test_it_masks_contact_details(text: str, detail: str, kind: str) -> None:
    masked = mask_contacts(text)
    assert detail not in masked
    assert HIDDEN in masked
    assert detail in contact_details(text)
    assert kind in {span.kind for span in find_contacts(text)}


@pytest.mark.parametrize("text", NEGATIVES)
def test_it_leaves_ordinary_numbers_alone(text: str) -> None:
    assert find_contacts(text) == []
    assert mask_contacts(text) == text


def test_it_keeps_the_words_around_a_detail() -> None:
    assert mask_contacts("加我微信：wxabc123谢谢") == f"加我微信：{HIDDEN}谢谢"
    assert (
        mask_contacts("call 13812345678, or mail a@b.com.") == f"call {HIDDEN}, or mail {HIDDEN}."
    )


def test_the_marker_is_translated() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        masked = mask_contacts("13812345678")
    assert masked != "13812345678"
    assert "13812345678" not in masked


@pytest.mark.parametrize("unit", ["a", "1", "a.", "1 ", "南", "x@", "微信", "3号楼", "Ab "])
def test_it_takes_linear_time_on_hostile_input(unit: str) -> None:
    # Ten times the longest post body: a quadratic pattern would take seconds here.
    text = unit * (20_000 // len(unit))
    started = time.perf_counter()
    mask_contacts(text)
    assert time.perf_counter() - started < 2
