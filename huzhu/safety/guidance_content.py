"""The community rules and legal guidance: sections of paragraphs, in zh and en, from a file.

The text is data (huzhu/safety/data/guidance.json) rather than gettext strings: it is long,
operators may rewrite it, and each paragraph keeps a stable id that pages link to
(/guidance#<id>) and the assistant cites. A paragraph names the rule code it explains; the
codes are those of `community.RULES`, the one list moderation also cites, and each rule is
explained at /guidance#<code>: a section or a paragraph with the code as its id.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

from huzhu.safety.community import RULES

GUIDANCE_FILE = Path(__file__).parent / "data" / "guidance.json"


@dataclass(frozen=True)
class Paragraph:
    id: str
    section_id: str
    rule: str | None
    en: str
    zh: str

    def text(self) -> str:
        return self.zh if is_chinese() else self.en


@dataclass(frozen=True)
class Section:
    id: str
    title_en: str
    title_zh: str
    paragraphs: tuple[Paragraph, ...]

    def title(self) -> str:
        return self.title_zh if is_chinese() else self.title_en


def is_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def read_guidance_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GUIDANCE_FILE.read_text(encoding="utf-8"))
    return data


@cache
def sections() -> tuple[Section, ...]:
    """Every section in page order; read once per process."""
    found = []
    for row in read_guidance_file()["sections"]:
        paragraphs = tuple(
            Paragraph(id=p["id"], section_id=row["id"], rule=p.get("rule"), en=p["en"], zh=p["zh"])
            for p in row["paragraphs"]
        )
        found.append(Section(row["id"], row["title"]["en"], row["title"]["zh"], paragraphs))
    _check(found)
    return tuple(found)


def _check(found: list[Section]) -> None:
    """A broken data file fails on first use, not as a dead link on a page."""
    ids = [s.id for s in found] + [p.id for s in found for p in s.paragraphs]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"guidance ids used twice: {sorted(duplicates)}")
    unknown = {p.rule for s in found for p in s.paragraphs if p.rule} - set(RULES)
    if unknown:
        raise ValueError(f"guidance names rules community.RULES lacks: {sorted(unknown)}")


def paragraphs() -> list[Paragraph]:
    return [p for section in sections() for p in section.paragraphs]


def section_of(paragraph: Paragraph) -> Section:
    return next(s for s in sections() if s.id == paragraph.section_id)


def rule_anchor(code: str) -> str | None:
    """Where the guidance page explains rule `code`, or None if it does not."""
    if any(section.id == code for section in sections()) or any(p.id == code for p in paragraphs()):
        return code
    return next((p.id for p in paragraphs() if p.rule == code), None)


def guidance_url(anchor: str = "") -> str:
    return reverse("guidance") + (f"#{anchor}" if anchor else "")
