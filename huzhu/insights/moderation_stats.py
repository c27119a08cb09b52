"""Moderation figures for /transparency and the periodic reports: sanctions by kind,
appeals received, decided and overturned, and moderation actions automated versus human.

Every count is a `Figure` with the distinct people it is about, and it goes through the same
disclosure control as the post figures (insights/disclosure.py):

- a sanction or an appeal is about the sanctioned person;
- an audit entry is about the person behind its target: a user is themselves, a post its
  owner, a message its author, a sanction the sanctioned person. Targets that no longer
  resolve (a deleted row) all count as one unknown person: the count of people can only be
  too low, which hides more, never less.

A window (`since` ≤ moment < `until`) restricts each figure to what happened in it: sanctions
imposed, appeals filed (received) or decided, actions taken. Without one, everything counts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from huzhu.exchanges.models import Message
from huzhu.insights.disclosure import Figure, Line
from huzhu.posts.models import Post
from huzhu.safety.models import Appeal, AuditEntry, Sanction

SANCTIONS = "sanctions"
APPEALS = "appeals"
ACTIONS = "actions"
TOTAL = "total"
COUNT = "count"
APPEAL_MEASURES = ("received", "decided", "overturned")
ACTORS = ("automated", "human")
UNKNOWN_PERSON = 0

FigureKey = tuple[str, str, str]


@dataclass(frozen=True)
class Window:
    since: datetime | None = None
    until: datetime | None = None

    def filter(self, rows: QuerySet[Any], field: str) -> QuerySet[Any]:
        if self.since is not None:
            rows = rows.filter(**{f"{field}__gte": self.since})
        if self.until is not None:
            rows = rows.filter(**{f"{field}__lt": self.until})
        return rows

    def holds(self, moment: datetime | None) -> bool:
        if moment is None:
            return False
        return (self.since is None or moment >= self.since) and (
            self.until is None or moment < self.until
        )


class _Counter:
    def __init__(self) -> None:
        self.counts: dict[FigureKey, int] = defaultdict(int)
        self.people: dict[FigureKey, set[int]] = defaultdict(set)

    def add(self, key: FigureKey, person: int) -> None:
        self.counts[key] += 1
        self.people[key].add(person)

    def figure(self, key: FigureKey) -> Figure:
        return Figure(self.counts[key], len(self.people[key]))


def sanction_kinds() -> list[str]:
    return [kind.value for kind in Sanction.Kind]


def moderation_figures(
    window: Window | None = None,
) -> tuple[dict[FigureKey, Figure], list[Line[FigureKey]]]:
    """All moderation figures of the window, with the lines a reader could subtract along."""
    window = window or Window()
    counter = _Counter()
    _count_sanctions(counter, window)
    _count_appeals(counter, window)
    _count_actions(counter, window)
    kinds = sanction_kinds()
    keys: list[FigureKey] = [
        *((SANCTIONS, kind, COUNT) for kind in [*kinds, TOTAL]),
        *((APPEALS, TOTAL, measure) for measure in APPEAL_MEASURES),
        *((ACTIONS, actor, COUNT) for actor in [*ACTORS, TOTAL]),
    ]
    figures = {key: counter.figure(key) for key in keys}
    lines = [
        Line((SANCTIONS, TOTAL, COUNT), tuple((SANCTIONS, kind, COUNT) for kind in kinds)),
        Line((ACTIONS, TOTAL, COUNT), tuple((ACTIONS, actor, COUNT) for actor in ACTORS)),
    ]
    return figures, lines


def _count_sanctions(counter: _Counter, window: Window) -> None:
    rows = window.filter(Sanction.objects.all(), "created_at").values_list("kind", "user_id")
    for kind, person in rows.iterator():
        counter.add((SANCTIONS, kind, COUNT), person)
        counter.add((SANCTIONS, TOTAL, COUNT), person)


def _count_appeals(counter: _Counter, window: Window) -> None:
    rows = Appeal.objects.values_list("status", "created_at", "decided_at", "sanction__user_id")
    if window.since is not None:
        # An appeal counts in a window if it was filed or decided in it.
        rows = rows.filter(Q(created_at__gte=window.since) | Q(decided_at__gte=window.since))
    for status, created_at, decided_at, person in rows.iterator():
        if window.holds(created_at):
            counter.add((APPEALS, TOTAL, "received"), person)
        if status != Appeal.Status.OPEN and window.holds(decided_at):
            counter.add((APPEALS, TOTAL, "decided"), person)
            if status == Appeal.Status.OVERTURNED:
                counter.add((APPEALS, TOTAL, "overturned"), person)


def _count_actions(counter: _Counter, window: Window) -> None:
    entries = list(
        window.filter(AuditEntry.objects.all(), "created_at").values_list(
            "automated", "target_type", "target_id"
        )
    )
    person_of = _people_behind((kind, target) for _, kind, target in entries)
    for automated, kind, target in entries:
        person = person_of.get((kind, target), UNKNOWN_PERSON)
        counter.add((ACTIONS, "automated" if automated else "human", COUNT), person)
        counter.add((ACTIONS, TOTAL, COUNT), person)


def _people_behind(targets: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """The person each audit target is about, looked up in one query per target type."""
    ids: dict[str, set[int]] = defaultdict(set)
    for kind, target in targets:
        ids[kind].add(target)
    people: dict[tuple[str, int], int] = {("user", pk): pk for pk in ids["user"]}
    lookups: list[tuple[str, QuerySet[Any], str]] = [
        ("post", Post.objects.all(), "owner_id"),
        ("message", Message.objects.all(), "author_id"),
        ("sanction", Sanction.objects.all(), "user_id"),
    ]
    for kind, rows, person_field in lookups:
        if ids[kind]:
            found = rows.filter(pk__in=ids[kind]).values_list("pk", person_field)
            people |= {(kind, pk): person for pk, person in found}
    return people
