"""Shapes of the guidance API: the rules and legal guidance, and the assistant's answer."""

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from huzhu.schema_base import Out

# A draft is a post's title and body; blank text says nothing, so it is refused like none.
DraftTitle = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
DraftBody = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class AskIn(Schema):
    title: DraftTitle = ""
    body: DraftBody
    item: str | None = Field(default=None, max_length=120)


class RuleHitOut(Out):
    code: str
    message: str


class CitationOut(Out):
    id: str = Field(description="The paragraph's stable id, its anchor on the guidance page.")
    section: str = Field(description="The id of the section the paragraph belongs to.")
    title: str = Field(description="The section's title, in the request's language.")
    rule: str | None = Field(description="The rule code the paragraph explains, if any.")
    text: str
    url: str = Field(description="A link to the paragraph on the guidance page.")
    score: float = Field(
        description="BM25 relevance to the draft; it may be 0 for a paragraph cited because "
        "the draft breaks its rule."
    )


class AnswerOut(Out):
    verdict: Literal["ok", "refused", "masked"]
    rules: list[RuleHitOut]
    citations: list[CitationOut]


class ParagraphOut(Out):
    id: str
    rule: str | None
    text: str
    url: str


class SectionOut(Out):
    id: str
    title: str
    url: str
    paragraphs: list[ParagraphOut]


class RuleOut(Out):
    code: str
    text: str
    url: str | None = Field(description="Where the guidance page explains the rule, if it does.")


class GuidanceOut(Out):
    sections: list[SectionOut]
    rules: list[RuleOut] = Field(description="Every community rule code, as moderation cites it.")
