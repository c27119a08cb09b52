"""BM25, the word segmentation behind it, and the guidance content it searches."""

import re

import pytest
from django.urls import reverse

from huzhu.safety.bm25 import Index
from huzhu.safety.community import RULES
from huzhu.safety.guidance import _index
from huzhu.safety.guidance_content import paragraphs, rule_anchor, sections
from huzhu.safety.segment import stem, tokens

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_it_ranks_the_document_with_the_rarer_word_first() -> None:
    index = Index([["fever", "ibuprofen"], ["fever", "thermometer"], ["fever", "mask"]])
    assert index.top(["fever", "thermometer"], 3)[0][0] == 1
    # A word in every document still counts a little (idf never negative): ties, in order.
    fever = index.top(["fever"], 3)
    assert [i for i, _ in fever] == [0, 1, 2]
    assert fever[0][1] == fever[2][1] > 0


def test_it_prefers_the_shorter_document_for_the_same_matches() -> None:
    index = Index([["price", *["filler"] * 20], ["price", "other"], ["unrelated"]])
    scores = index.scores(["price"])
    assert scores[1] > scores[0] > 0
    assert scores[2] == 0


def test_it_counts_a_repeated_word_with_diminishing_returns() -> None:
    index = Index([["sell"], ["sell", "sell"], ["sell", "sell", "sell", "sell"], ["gift"]])
    one, two, four, _ = index.scores(["sell"])
    assert one < two < four
    assert four - two < two - one or four / two < two / one  # saturation through k1


def test_an_empty_query_or_index_finds_nothing() -> None:
    assert Index([["a"]]).top([], 3) == []
    assert Index([]).top(["a"], 3) == []
    assert Index([["gift"]]).top(["unknown"], 3) == []


def test_jieba_keeps_medicine_names_whole() -> None:
    assert tokens("布洛芬") == ["布洛芬"]
    assert "抗原" in tokens("抗原检测试剂两盒")
    assert "布洛芬" in tokens("儿童布洛芬混悬液")
    assert {"阿莫西林", "处方药"} <= set(tokens("阿莫西林是处方药吗"))


def test_stop_words_go_and_mixed_text_keeps_both_languages() -> None:
    assert tokens("我的 the 了") == []
    assert tokens("送Paxlovid给邻居") == ["送", "paxlovid", "邻居"]


@pytest.mark.parametrize(
    ("forms", "stemmed"),
    [
        (("sell", "selling", "sells"), "sell"),
        (("price", "prices", "priced"), "pric"),
        (("medicine", "medicines"), "medicin"),
        (("share", "shared", "sharing"), "shar"),
    ],
)
def test_the_english_stem_maps_forms_together(forms: tuple[str, ...], stemmed: str) -> None:
    assert {stem(form) for form in forms} == {stemmed}


def _top(query: str) -> str:
    ranked = _index().top(tokens(query), 1)
    assert ranked, query
    return paragraphs()[ranked[0][0]].id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("阿莫西林是处方药吗，可以送给邻居吗", "prescription_only-not-shared"),
        ("医生不在，去哪里开处方药", "prescription_only-instead"),
        ("过期的药品能不能送", "medicine_safety-expiry"),
        ("Can I sell it? What is the asking price in yuan?", "gift_only-no-prices"),
        ("Someone wants a bank transfer before the hand-over", "gift_only-no-payment"),
        ("Why is my phone number hidden in my post?", "privacy-masked"),
        ("Is this legal advice about a drug business licence?", "legal-licence"),
    ],
)
def test_bm25_finds_the_paragraph_a_question_is_about(query: str, expected: str) -> None:
    assert _top(query) == expected


def test_every_paragraph_has_both_languages_and_a_known_rule() -> None:
    found = paragraphs()
    assert len(found) >= 25
    for paragraph in found:
        assert paragraph.en.strip() and not CJK.search(paragraph.en), paragraph.id
        assert CJK.search(paragraph.zh), paragraph.id
        assert paragraph.rule is None or paragraph.rule in RULES
    ids = [s.id for s in sections()] + [p.id for p in found]
    assert len(ids) == len(set(ids))


def test_every_rule_moderation_cites_is_explained_on_the_page() -> None:
    assert {code: rule_anchor(code) for code in RULES} == {code: code for code in RULES}
    assert reverse("guidance") == "/guidance"


def test_the_legal_section_says_it_is_not_legal_advice() -> None:
    legal = next(s for s in sections() if s.id == "legal")
    assert "not legal advice" in legal.paragraphs[0].en
    assert "不构成法律意见" in legal.paragraphs[0].zh
