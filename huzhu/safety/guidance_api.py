"""Guidance API: the community rules and legal guidance, and "may I share this?"."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from huzhu.posts.schemas import ErrorOut
from huzhu.safety import guidance, ratelimit
from huzhu.safety.community import RULES, rule_text
from huzhu.safety.guidance_content import guidance_url, rule_anchor, sections
from huzhu.safety.guidance_schemas import AnswerOut, AskIn, GuidanceOut

router = Router(tags=["guidance"])


@router.get(
    "",
    response={200: GuidanceOut},
    summary="The community rules and legal guidance, in the request's language",
)
def guidance_content(request: HttpRequest) -> dict[str, Any]:
    return guidance_data()


def guidance_data() -> dict[str, Any]:
    return {
        "sections": [
            {
                "id": section.id,
                "title": section.title(),
                "url": guidance_url(section.id),
                "paragraphs": [
                    {"id": p.id, "rule": p.rule, "text": p.text(), "url": guidance_url(p.id)}
                    for p in section.paragraphs
                ],
            }
            for section in sections()
        ],
        "rules": [
            {"code": code, "text": rule_text(code), "url": _rule_url(code)} for code in RULES
        ],
    }


def _rule_url(code: str) -> str | None:
    anchor = rule_anchor(code)
    return guidance_url(anchor) if anchor else None


@router.post(
    "/ask",
    response={200: AnswerOut, 422: ErrorOut, 429: ErrorOut},
    summary="May I share this? The rules' verdict on a draft, citing the guidance",
    description="Runs the rules a post must pass on `title` and `body` (and `item`, a "
    "catalogue code or name): `refused` if a post would be refused (gift-only, prescription "
    "medicines), `masked` if contact details would be hidden, else `ok`; with the guidance "
    "paragraphs that explain it, found by BM25. Nothing is stored. 422 for an empty or "
    "over-long draft or an unknown item; limited per client address.",
)
def ask(request: HttpRequest, payload: AskIn) -> guidance.Answer:
    ratelimit.hit("guidance_address", ratelimit.client_address(request))
    return guidance.ask(title=payload.title, body=payload.body, item=payload.item)
