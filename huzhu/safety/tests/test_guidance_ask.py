"""The "may I share this?" assistant through the API and the page, in both languages."""

from typing import Any

import pytest
from django.test import Client

from huzhu.conftest import Api
from huzhu.safety.community import RULES
from huzhu.safety.ratelimit import LIMITS

ASK = "/api/v1/guidance/ask"
EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-Hans"}


def ask(api: Api, headers: dict[str, str], **draft: Any) -> Any:
    response = api.post(ASK, draft, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def codes(answer: Any) -> list[str]:
    return [hit["code"] for hit in answer["rules"]]


@pytest.mark.parametrize(
    ("headers", "draft", "expected"),
    [
        # A price: refused as selling, explained by the gift-only paragraphs.
        (
            EN,
            {"title": "Ibuprofen", "body": "Two boxes, 50 yuan each"},
            ("refused", "gift_only", "gift_only-no-prices"),
        ),
        (
            ZH,
            {"title": "布洛芬", "body": "两盒，每盒30元，先付款"},
            ("refused", "gift_only", "gift_only-no-payment"),
        ),
        # Prescription medicines, by name in either language.
        (
            ZH,
            {"body": "家里有多余的阿莫西林，送给需要的邻居"},
            ("refused", "prescription_only", "prescription_only-not-shared"),
        ),
        # "Why" names Paxlovid too, and is shorter than the full list.
        (
            EN,
            {"title": "Spare Paxlovid", "body": "One box, unopened, for someone at risk"},
            ("refused", "prescription_only", "prescription_only-why"),
        ),
        # By the catalogue item alone; the message says "ask a pharmacy", this paragraph where.
        (
            EN,
            {"body": "A full box, expires next year", "item": "amoxicillin"},
            ("refused", "prescription_only", "prescription_only-instead"),
        ),
        # A phone number: allowed, but hidden.
        (
            EN,
            {"title": "Spare thermometer", "body": "Call me on 138 1234 5678"},
            ("masked", "privacy", "privacy-masked"),
        ),
        (
            ZH,
            {"title": "多余的体温计", "body": "有需要请打我手机13812345678"},
            ("masked", "privacy", "privacy-masked"),
        ),
    ],
)
def test_a_draft_that_breaks_a_rule_is_answered_with_the_rule_and_its_paragraph(
    api: Api, headers: dict[str, str], draft: Any, expected: tuple[str, str, str]
) -> None:
    verdict, rule, cited = expected
    answer = ask(api, headers, **draft)
    assert answer["verdict"] == verdict
    assert codes(answer) == [rule]
    first = answer["citations"][0]  # the broken rule's own paragraph comes first
    assert (first["id"], first["rule"], first["url"]) == (cited, rule, f"/guidance#{cited}")
    assert first["section"] == rule
    assert 1 <= len(answer["citations"]) <= 3
    assert len({c["id"] for c in answer["citations"]}) == len(answer["citations"])
    chinese = headers is ZH
    assert all(
        any("\u4e00" <= ch <= "\u9fff" for ch in c["text"]) == chinese for c in answer["citations"]
    )
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer["rules"][0]["message"]) == chinese


@pytest.mark.parametrize(
    ("headers", "draft"),
    [
        (EN, {"title": "Need ibuprofen for my father", "body": "Fever of 39.5 degrees, 4 tablets"}),
        (ZH, {"title": "父亲发烧需要布洛芬", "body": "体温39.5度，需要4片，2025年6月前的都可以"}),
        (EN, {"body": "Spare antigen tests, expire 2026-06, unopened", "item": "antigen-test"}),
    ],
)
def test_an_ordinary_need_or_offer_is_ok(api: Api, headers: dict[str, str], draft: Any) -> None:
    answer = ask(api, headers, **draft)
    assert answer["verdict"] == "ok"
    assert answer["rules"] == []
    assert all(c["score"] > 0 for c in answer["citations"])  # only what BM25 found relevant


def test_refusal_outranks_masking_and_both_rules_are_named(api: Api) -> None:
    answer = ask(api, EN, body="Paxlovid for sale, $100, call 138 1234 5678")
    assert answer["verdict"] == "refused"
    assert codes(answer) == ["gift_only", "prescription_only", "privacy"]
    assert [c["rule"] for c in answer["citations"]] == codes(answer)


def test_the_assistant_agrees_with_the_post_service(api: Api, alice: Any) -> None:
    refused = {"title": "布洛芬 20元一盒", "body": ""}
    assert ask(api, EN, title=refused["title"], body="Two boxes")["verdict"] == "refused"
    post = api.as_user(alice).post(
        "/api/v1/posts",
        {
            "kind": "offer",
            "title": refused["title"],
            "body": "Two boxes",
            "category": "medicine",
            "quantity": 2,
            "lat": 39.9,
            "lng": 116.4,
        },
    )
    assert (post.status_code, post.json()["code"]) == (422, "gift_only")


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   \n "}, "body"),
        ({"body": "x" * 2001}, "body"),
        ({"body": "fine", "title": "t" * 121}, "title"),
        ({"body": "fine", "item": "no-such-thing"}, "item"),
    ],
)
def test_an_empty_or_over_long_draft_is_422_naming_the_field(
    api: Api, draft: Any, field: str
) -> None:
    response = api.post(ASK, draft)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_the_assistant_is_limited_per_address(api: Api, settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 0.05
    allowed = max(1, int(LIMITS["guidance_address"].capacity * 0.05))
    for _ in range(allowed):
        assert api.post(ASK, {"body": "A spare thermometer"}).status_code == 200
    refused = api.post(ASK, {"body": "A spare thermometer"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def test_the_guidance_api_lists_every_section_and_rule_in_the_language_asked(api: Api) -> None:
    english = api.get("/api/v1/guidance", headers=EN).json()
    chinese = api.get("/api/v1/guidance", headers=ZH).json()
    assert [s["id"] for s in english["sections"]] == [s["id"] for s in chinese["sections"]]
    assert english["sections"][0]["title"] == "Gifts only"
    assert chinese["sections"][0]["title"] == "只赠不卖"
    assert english["sections"][0]["paragraphs"][0]["url"] == "/guidance#gift_only-no-selling"
    assert {r["code"]: r["url"] for r in english["rules"]} == {
        code: f"/guidance#{code}" for code in RULES
    }


def test_the_page_has_an_anchor_for_every_paragraph_and_rule_in_both_languages() -> None:
    client = Client()
    english = client.get("/guidance", headers=EN).content.decode()
    chinese = client.get("/guidance", headers=ZH).content.decode()
    for code in RULES:
        assert f'id="{code}"' in english
    assert 'id="prescription_only-not-shared"' in english
    assert "Paxlovid" in english and "奈玛特韦" in chinese
    assert "not legal advice" in english and "不构成法律意见" in chinese


def test_the_ask_page_answers_without_javascript_in_both_languages(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/guidance/ask", headers=ZH)
    token = form.cookies["csrftoken"].value
    page = client.post(
        "/guidance/ask",
        {"title": "出售布洛芬", "body": "每盒30元", "csrfmiddlewaretoken": token},
        headers=ZH,
    ).content.decode()
    assert "不行：这样的帖子会被拒绝。" in page
    assert 'href="/guidance#gift_only-' in page
    english = client.post(
        "/guidance/ask",
        {"body": "Spare thermometer, barely used", "csrfmiddlewaretoken": token},
        headers=EN,
    )
    assert english.status_code == 200
    assert "breaks none of the rules" in english.content.decode()


def test_the_ask_page_refuses_an_empty_draft(db: None) -> None:
    response = Client().post("/guidance/ask", {"body": "  "})
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()


def test_the_post_form_links_to_the_assistant(client: Client, alice: Any) -> None:
    client.force_login(alice)
    assert 'href="/guidance/ask"' in client.get("/posts/new").content.decode()


@pytest.mark.parametrize(
    ("headers", "draft"),
    [
        (ZH, {"title": "布洛芬", "body": "还剩8片布洛芬，送给需要的人"}),
        (ZH, {"body": "还剩八片退烧药"}),
        (ZH, {"body": "散装的药片，十几粒"}),
        (EN, {"body": "I have 10 ibuprofen tablets left over"}),
        (EN, {"body": "Loose paracetamol pills, about a dozen"}),
    ],
)
def test_loose_tablets_are_not_shared(api: Api, headers: dict[str, str], draft: Any) -> None:
    answer = ask(api, headers, **draft)
    assert answer["verdict"] == "refused"
    assert codes(answer) == ["unsafe"]
    assert answer["citations"][0]["id"] == "medicine_safety-packaging"


@pytest.mark.parametrize(
    "body",
    [
        "需要4片布洛芬",
        "一板布洛芬，原盒带说明书",
        "Need 4 tablets for my father",
        "A strip of 10 tablets left, with the box and leaflet",
        "未开封的布洛芬一盒",
    ],
)
def test_boxed_medicine_and_needs_are_not_loose(api: Api, body: str) -> None:
    assert "unsafe" not in codes(ask(api, EN, body=body))
