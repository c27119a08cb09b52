"""The "may I share this?" assistant: the rules engine's verdict on a draft, explained by the
guidance paragraphs that fit it best.

The verdict comes from the same rules the post service enforces (text/rules.py for gift-only and
prescription medicines, the relay's detector for contact details), so the assistant never
says "fine" to a post the service would refuse. The explanation comes from BM25 over the
guidance in both languages at once: a Chinese draft finds the Chinese wording, an English
one the English, a mixed one either. A broken rule is always explained by its own paragraph
that best fits the draft and the rule's message, even when the draft shares no word with
it; BM25 on the draft alone then adds the next best.

Nothing is stored: a draft may hold contact details, so it is neither logged nor kept.
"""

import threading
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huzhu.errors import Invalid
from huzhu.posts import catalogue
from huzhu.posts.catalogue import find_item
from huzhu.safety.bm25 import Index
from huzhu.safety.guidance_content import (
    Paragraph,
    guidance_url,
    is_chinese,
    paragraphs,
    section_of,
)
from huzhu.safety.loose import loose_medicine
from huzhu.safety.segment import tokens
from huzhu.text import rules
from huzhu.text.contact import find_contacts

Verdict = Literal["ok", "refused", "masked"]
MAX_CITATIONS = 3
CONTACT_MESSAGE = gettext_lazy(
    "Contact details (a phone number, an e-mail, a chat id, a link or an address) are hidden "
    "in public posts. Agree on the hand-over through the exchange's relay instead."
)


@dataclass(frozen=True)
class RuleHit:
    code: str
    message: str


@dataclass(frozen=True)
class Citation:
    paragraph: Paragraph
    score: float

    @property
    def id(self) -> str:
        return self.paragraph.id

    @property
    def section(self) -> str:
        return self.paragraph.section_id

    @property
    def title(self) -> str:
        return section_of(self.paragraph).title()

    @property
    def rule(self) -> str | None:
        return self.paragraph.rule

    @property
    def text(self) -> str:
        return self.paragraph.text()

    @property
    def url(self) -> str:
        return guidance_url(self.paragraph.id)


@dataclass(frozen=True)
class Answer:
    verdict: Verdict
    rules: list[RuleHit]
    citations: list[Citation]


def ask(*, body: str, title: str = "", item: str | None = None) -> Answer:
    """What the rules say about a draft post, and the guidance that explains why."""
    hits = _rule_hits(title=title, body=body, item=item)
    codes = {hit.code for hit in hits}
    verdict: Verdict = "ok"
    if codes & {"gift_only", "prescription_only", "unsafe"}:
        verdict = "refused"
    elif "privacy" in codes:
        verdict = "masked"
    query = tokens(f"{title}\n{body}\n{item or ''}")
    return Answer(verdict, hits, _citations(query, hits))


def _rule_hits(*, title: str, body: str, item: str | None) -> list[RuleHit]:
    breaches: list[rules.Breach] = []
    names = catalogue.prescription_names()
    for text in (title, body):
        checked = (
            rules.gift_only(text),
            rules.prescription_only(text, names),
            loose_medicine(text),
        )
        breaches += [breach for breach in checked if breach]
    if item:
        found = find_item(item)
        if found is None:
            raise Invalid(_("We do not know the item %(item)s.") % {"item": item}, field="item")
        if not found.otc:
            name = found.name_zh if is_chinese() else found.name_en
            breaches.append(rules.Breach("prescription_only", rules.PRESCRIPTION_MESSAGE, name))
    hits: dict[str, RuleHit] = {}
    for breach in breaches:  # the first breach of each rule is the one to explain
        message = str(breach.message) % {"found": breach.found}
        hits.setdefault(breach.code, RuleHit(breach.code, message))
    if find_contacts(title) or find_contacts(body):
        hits["privacy"] = RuleHit("privacy", str(CONTACT_MESSAGE))
    return list(hits.values())


def _citations(query: list[str], hits: list[RuleHit]) -> list[Citation]:
    index, cited = _index(), paragraphs()
    draft_scores = index.scores(query)
    chosen: list[Citation] = []
    for hit in hits:
        # Each broken rule by its own paragraph that best fits the draft and the rule's
        # message (a phone number shares no word with the paragraph on masking; the message
        # that says "contact details are hidden" does).
        scores = index.scores(query + tokens(hit.message))
        own = [i for i, p in enumerate(cited) if p.rule == hit.code]
        if own:
            best = max(own, key=lambda i: (scores[i], -i))
            chosen.append(Citation(cited[best], round(draft_scores[best], 3)))
    taken = {c.paragraph.id for c in chosen}
    for i, score in index.top(query, MAX_CITATIONS + len(chosen)):
        if len(chosen) >= max(MAX_CITATIONS, len(hits)):
            break
        if cited[i].id not in taken:
            chosen.append(Citation(cited[i], round(score, 3)))
            taken.add(cited[i].id)
    return chosen


_lock = threading.Lock()
_built: list[Index] = []  # the index of this process, built on first use


def _index() -> Index:
    with _lock:
        if not _built:
            documents = [
                tokens(f"{section_of(p).title_en} {section_of(p).title_zh} {p.en} {p.zh}")
                for p in paragraphs()
            ]
            _built.append(Index(documents))
        return _built[0]
