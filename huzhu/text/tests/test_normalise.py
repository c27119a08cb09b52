"""The one normalisation every text rule reads, as a table, and its map back to the original."""

import time

import pytest

from huzhu.text.normalise import chinese_number, normalise, plain

FOLDS = [
    # Digits of every script, keycaps, circled digits, full width.
    ("١٣٨١٢٣٤٥٦٧٨", "13812345678"),
    ("۱۳۸", "138"),
    ("१२३", "123"),
    ("１３８", "138"),
    ("1️⃣3️⃣8️⃣", "138"),
    ("①③⑧", "138"),
    # Chinese numerals: digit by digit, and positional inside numbers.
    ("一三八", "138"),
    ("壹叁捌", "138"),
    ("两三八", "238"),
    ("幺三八洞洞", "13800"),
    ("建国路八十八号", "建国路88号"),
    ("五十元一盒", "50元1盒"),
    ("十块一盒", "10块1盒"),
    ("一百五十元", "150元"),
    ("两百毫克", "200毫克"),
    ("八折", "8折"),
    ("三号楼", "3号楼"),
    ("一起加油", "一起加油"),
    ("一路平安", "一路平安"),
    ("十分感谢", "十分感谢"),
    ("洞口", "洞口"),
    # English number words in runs of three or more.
    ("one three eight", "1 3 8"),
    ("one or two", "one or two"),
    # Format and zero-width characters.
    ("138\u200b1234\u200b5678", "13812345678"),
    ("微\u200b信", "微信"),
    ("a\u2060b\ufeffc", "abc"),
    # Letter-for-digit lookalikes inside digit runs only.
    ("138OO12345", "1380012345"),
    ("l3812345678", "13812345678"),
    ("hello world", "hello world"),
    ("lol 100", "lol 100"),
    # Separators of any width and line breaks between digit groups.
    ("138   1234   5678", "138 1234 5678"),
    ("138\n\n1234\n5678", "138 1234 5678"),
    ("138 — 1234 — 5678", "138 1234 5678"),
    ("(010) 6234 5678", "(010 6234 5678"),
    ("39.5", "39.5"),
    ("2025-06-30", "2025-06-30"),
    ("12:30", "12:30"),
    # Spaced or decorated keywords.
    ("w x", "wx"),
    ("v x", "vx"),
    ("Q Q", "qq"),
    ("wei xin", "weixin"),
    ("we chat", "wechat"),
    ("薇 信", "薇信"),
    ("威❤信", "威信"),
    ("扣 扣", "扣扣"),
    ("吗 啡", "吗啡"),
    ("5 号 楼 2 单 元", "5 号楼 2 单元"),
    # Spelled-out e-mail and links.
    ("alice at gmail dot com", "alice@gmail.com"),
    ("alice (at) gmail (dot) com", "alice@gmail.com"),
    ("wang @ qq . com", "wang@qq.com"),
    ("wang艾特qq点com", "wang@qq.com"),
    ("hxxps://evil[.]com", "https://evil.com"),
    ("evil . com", "evil.com"),
    ("evil。com", "evil.com"),
    ("evil点com", "evil.com"),
    ("meet at the gate", "meet at the gate"),
    # Case, traditional characters and NFKC.
    ("ＲＭＢ", "rmb"),
    ("有償", "有偿"),
    ("價格", "价格"),
]


@pytest.mark.parametrize(("text", "expected"), FOLDS)
def test_it_folds(text: str, expected: str) -> None:
    assert plain(text) == expected


@pytest.mark.parametrize(
    ("run", "number"),
    [("八十八", "88"), ("十五", "15"), ("二十", "20"), ("一百零五", "105"), ("三千二", "3200")],
)
def test_chinese_numbers(run: str, number: str) -> None:
    assert chinese_number(run) == number


@pytest.mark.parametrize(
    ("text", "found", "original"),
    [
        ("call 壹叁捌 1234 5678 now", "138 1234 5678", "壹叁捌 1234 5678"),
        ("我家在建国路八十八号楼下", "88号", "八十八号"),
        ("mail alice at gmail dot com!", "alice@gmail.com", "alice at gmail dot com"),
        ("1️⃣3️⃣8️⃣ ok", "138", "1️⃣3️⃣8️⃣"),
        ("薇 信 lily", "薇信", "薇 信"),
    ],
)
def test_it_maps_back_to_the_original(text: str, found: str, original: str) -> None:
    folded = normalise(text)
    start = folded.text.index(found)
    begin, end = folded.original(start, start + len(found))
    assert text[begin:end] == original


def test_it_is_fast_and_linear() -> None:
    text = "求布洛芬 孩子发烧39度 电话 138 1234 5678 薇 信 lily2024 " * 200
    started = time.perf_counter()
    normalise(text)
    assert time.perf_counter() - started < 1
