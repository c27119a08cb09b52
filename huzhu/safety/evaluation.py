"""Measure the content safeguards on a labelled corpus, through the real services.

A corpus is a TSV file with the columns `expect kind category title body secret`:
- expect `hold`: a selling or prescription post; it passes if the post service refuses it
  or holds it for a moderator;
- expect `mask`: a post with a contact detail (`secret`, as written); it passes if the post
  is accepted and `secret` no longer appears in its masked title and body, nor in a relay
  message with the same text;
- expect `publish`: an honest post; it passes if it is published as written, neither
  refused, held nor masked.
`\\n` in a title or body stands for a line break. Each row runs through `create_post` (the
posting rules, gift-only, prescriptions, holds) as a scratch TL1 member, inside a
transaction that is rolled back, so nothing is kept.
"""

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.errors import DomainError
from huzhu.posts.services import PostDraft, create_post
from huzhu.text import rules
from huzhu.text.contact import mask_contacts
from huzhu.trust.models import TrustState

EXPECTS = ("hold", "mask", "publish")
COLUMNS = ("expect", "kind", "category", "title", "body", "secret")
BEIJING = (39.9042, 116.4074)


@dataclass(frozen=True)
class Row:
    line: int
    expect: str
    kind: str
    category: str
    title: str
    body: str
    secret: str


@dataclass(frozen=True)
class Outcome:
    row: Row
    got: str  # refused:<code>, held:<code>, masked, published, leaked
    passed: bool


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def rate(self, expect: str) -> tuple[int, int]:
        rows = [o for o in self.outcomes if o.row.expect == expect]
        return sum(o.passed for o in rows), len(rows)

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    def lines(self) -> list[str]:
        found = []
        for expect in EXPECTS:
            passed, total = self.rate(expect)
            share = passed / total * 100 if total else 100.0
            found.append(f"{expect:8} {passed:4d}/{total:<4d} {share:5.1f}%")
        got = Counter(o.got.split(":")[0] for o in self.outcomes)
        found.append("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(got.items())))
        for miss in self.misses():
            row = miss.row
            found.append(
                f"MISS line {row.line}: expected {row.expect}, got {miss.got}: "
                f"{row.title} | {row.body}"
            )
        return found


def read_corpus(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for line, cells in enumerate(reader, start=1):
            if not cells or cells[0].startswith("#") or cells[0] == "expect":
                continue
            padded = [*cells, *[""] * (len(COLUMNS) - len(cells))][: len(COLUMNS)]
            expect, kind, category, title, body, secret = (c.replace("\\n", "\n") for c in padded)
            if expect not in EXPECTS:
                raise ValueError(f"line {line}: expect must be one of {EXPECTS}, not {expect!r}")
            rows.append(Row(line, expect, kind, category, title, body, secret))
    return rows


def _scratch_user(number: int) -> User:
    now = timezone.now()
    user = User.objects.create_user(
        username=f"safeguards-eval-{number}", display_name=f"eval {number}"
    )
    User.objects.filter(pk=user.pk).update(date_joined=now - timedelta(days=60))
    TrustState.objects.update_or_create(user=user, defaults={"level": 1, "computed_at": now})
    return User.objects.get(pk=user.pk)


def _draft(row: Row) -> PostDraft:
    return PostDraft(
        kind=row.kind,
        title=row.title,
        body=row.body,
        category=row.category,
        quantity=1,
        lat=BEIJING[0],
        lng=BEIJING[1],
        expires_at=timezone.now() + timedelta(days=365),
    )


def _outcome(row: Row) -> str:
    try:
        post = create_post(owner=_scratch_user(row.line), draft=_draft(row))
    except DomainError as refused:
        return f"refused:{refused.code or refused.__class__.__name__}"
    shown = f"{mask_contacts(post.title)}\n{mask_contacts(post.body)}"
    if row.secret and row.secret in shown:
        return "leaked"
    if row.expect == "mask" and row.secret:
        try:  # the same text as a relay message: refused or masked, never shown as written
            rules.check_message(row.body)
        except DomainError:
            pass
        else:
            if row.secret in mask_contacts(row.body):
                return "leaked"
    if post.held_reason:
        return f"held:{post.held_reason}"
    return "masked" if shown != f"{post.title}\n{post.body}" else "published"


def _passed(row: Row, got: str) -> bool:
    if row.expect == "hold":
        return got.startswith(("refused:", "held:"))
    if row.expect == "mask":
        return got in {"masked"} or got.startswith("held:")
    return got == "published"


def evaluate(rows: Iterable[Row]) -> Report:
    """Run each row through the real post service, in a transaction rolled back per row."""
    report = Report()
    with override_settings(HUZHU_POSTING_CHECKS=True):
        for row in rows:
            with transaction.atomic():
                got = _outcome(row)
                transaction.set_rollback(True)
            report.outcomes.append(Outcome(row, got, _passed(row, got)))
    return report
