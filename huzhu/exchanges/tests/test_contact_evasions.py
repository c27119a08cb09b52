"""Issue 15's 61 ways round the contact detector, one row each: each must be masked, in a
public post as in a relay message (both go through `mask_contacts`)."""

import pytest

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.models import Exchange
from huzhu.text.contact import find_contacts, mask_contacts

HIDDEN = "[contact hidden]"

# (text, what must no longer be readable after masking)
EVASIONS = [
    # Phones.
    ("电话 138   1234   5678 晚上打", "1234"),
    ("手机138\n\n1234\n\n5678", "1234"),
    ("打我 两三八 一二三四 五六七八", "一二三四"),
    ("号码 壹叁捌 壹贰叁肆 伍陆柒捌", "壹贰叁肆"),
    ("138\u200b1234\u200b5678", "1234"),
    ("1\u200b3\u200b8\u200c1\u200d2345678", "2345678"),
    ("call ١٣٨١٢٣٤٥٦٧٨", "١٢٣٤"),
    ("电话 ۱۳۸۱۲۳۴۵۶۷۸", "۱۲۳۴"),
    ("138OO123456 找我", "123456"),
    ("l38 l234 5678", "5678"),
    ("138，1234，5678", "1234"),
    ("138 (中间) 1234 (然后) 5678", "5678"),
    ("call one three eight one two three four five six seven eight", "four five six"),
    ("倒过来看 87654321831", "87654321831"),
    ("1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "5️⃣6️⃣7️⃣"),
    ("①③⑧①②③④⑤⑥⑦⑧", "⑤⑥⑦"),
    ("前三位138，后八位12345678", "12345678"),
    ("幺三八 幺二三四 五六七洞", "五六七洞"),
    ("13８-1234-５678", "1234"),
    ("(010) 6234 5678", "6234 5678"),
    ("１３８　１２３４　５６７８", "１２３４"),
    # IM ids.
    ("w x: lily2024", "lily2024"),
    ("加v x lily2024", "lily2024"),
    ("薇 信 lily2024", "lily2024"),
    ("威❤信：lily2024", "lily2024"),
    ("wei xin: lily2024", "lily2024"),
    ("微\u200b信 lily2024", "lily2024"),
    ("微信 grandmali", "grandmali"),
    ("💬 lily_2024", "lily_2024"),
    ("绿泡泡 lily2024", "lily2024"),
    ("Q Q: 12345678", "12345678"),
    ("扣 扣 55667788", "55667788"),
    ("企鹅 1 2 3 4 5 6 7 8", "5 6 7 8"),
    ("V信 lily2024", "lily2024"),
    ("we chat: grandmali", "grandmali"),
    # E-mail.
    ("mail alice at gmail dot com", "gmail"),
    ("alice (at) example (dot) org", "example"),
    ("wang_li @ qq . com", "wang_li"),
    ("wang_li艾特qq点com", "wang_li"),
    ("alice[at]example[dot]com", "example"),
    # Addresses.
    ("我家在建国路八十八号", "八十八"),
    ("幸福小区 5 号 楼 2 单 元 501", "501"),
    ("朝阳区建国路88", "88"),
    ("Building 5 Unit 2 Room 501", "Unit 2"),
    ("building 5, unit 2", "unit 2"),
    ("幸福小区五号楼二单元", "五号楼"),
    ("3号楼2单元501室", "501"),
    # Links.
    ("hxxps://evil[.]com/x", "evil"),
    ("go to evil . com", "evil"),
    ("evil。com 上看", "evil"),
    ("evil点com", "evil"),
    ("evil(dot)com", "evil"),
    ("www . evil . com", "evil"),
]


@pytest.mark.parametrize(("text", "secret"), EVASIONS)
def test_it_masks_each_evasion(text: str, secret: str) -> None:
    masked = mask_contacts(text)
    assert HIDDEN in masked
    assert secret not in masked, masked


# Numbers that survive normalisation as numbers, not contact details.
ORDINARY = [
    "体温三十九度五，烧了两天",
    "每次两百毫克，一天三次",
    "200mg 每天两次",
    "孩子三岁，体重十五公斤",
    "有效期到二零二五年六月",
    "batch 20250630",
    "有效期 2025 06 30",
    "两盒布洛芬，一盒退热贴",
    "一起加油，一路平安",
    "坐2路公交车到建国门",
    "走路10分钟就到",
    "我住在朝阳区，离地铁站五百米",
    "血压 130 85，心率 90",
    "I am 72 years old and live alone",
    "need 2 boxes for 3 kids",
    "at 10:00 on 12/06",
    "temperature 38.9 at night, 39.4 in the morning",
    "I'm done. Come by after six",
    "the dot on the box is red",
    "meet at the gate at seven",
    "微信群里说过了，大家注意安全",
    "订单号 1234567890123",
    "有三四个人需要",
    "洞口附近",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_it_leaves_ordinary_numbers_and_words(text: str) -> None:
    assert find_contacts(text) == [], find_contacts(text)
    assert mask_contacts(text) == text


# The same evasions through the two real paths: a relay message and a public post.
THROUGH_THE_API = [
    ("号码 壹叁捌 壹贰叁肆 伍陆柒捌", "壹贰叁肆"),
    ("威❤信：lily2024", "lily2024"),
    ("mail alice at gmail dot com", "gmail"),
    ("幸福小区 5 号 楼 2 单 元 501", "501"),
    ("hxxps://evil[.]com/x", "evil"),
]


@pytest.mark.parametrize("case", THROUGH_THE_API)
def test_relay_messages_and_public_posts_mask_alike(
    api: Api, bobs_pledge: Exchange, bob: User, charlie: User, case: tuple[str, str]
) -> None:
    text, secret = case
    sent = api.as_user(bob).post(f"/api/v1/exchanges/{bobs_pledge.pk}/messages", {"body": text})
    assert sent.status_code in {200, 201}, sent.content
    seen = api.as_user(bob).get(f"/api/v1/exchanges/{bobs_pledge.pk}/messages").json()
    assert secret not in seen["items"][-1]["body"]
    assert HIDDEN in seen["items"][-1]["body"]
    draft = {
        "kind": "need",
        "title": "求布洛芬",
        "body": text,
        "category": "medicine",
        "quantity": 1,
        "lat": 39.9,
        "lng": 116.4,
    }
    created = api.as_user(charlie).post("/api/v1/posts", draft)
    assert created.status_code == 201, created.content
    shown = api.get(f"/api/v1/posts/{created.json()['id']}").json()["body"]
    assert secret not in shown
    assert HIDDEN in shown
