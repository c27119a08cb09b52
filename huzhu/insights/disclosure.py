"""Statistical disclosure control for published figures: pure, no database.

Two rules make a table safe to publish:

- primary suppression: a figure that describes fewer than `threshold` distinct people is
  hidden (zero included: "nobody" is a figure about fewer than 11 people too);
- complementary suppression: wherever figures add up to a published total (a *line*:
  `total = part_1 + ... + part_n`), a line never hides exactly one member, or that member
  would be the total minus the others. When one is hidden, the smallest visible member of
  the line is hidden as well, and this repeats until no line hides exactly one.

Lines may share members (every breakdown of "needs posted" shares its grand total), so the
rule runs over all lines of a publication at once.

Hiding two members per line stops subtraction. It is the classic heuristic, not an
optimal one: on two-dimensional tables a chain of hidden cells can still be narrowed to
bounds, so Huzhu only publishes breakdowns along one dimension at a time, whose lines meet
only in their totals (see `insights/stats.py`).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

THRESHOLD = 11


@dataclass(frozen=True)
class Figure:
    """A count and how many distinct people stand behind it."""

    value: int
    people: int


@dataclass(frozen=True)
class Line(Generic[K]):
    """`total` is the sum of `parts`: the relation a reader could subtract along."""

    total: K
    parts: tuple[K, ...]

    def members(self) -> tuple[K, ...]:
        return (self.total, *self.parts)


def suppressed_keys(
    figures: Mapping[K, Figure], lines: Iterable[Line[K]], *, threshold: int = THRESHOLD
) -> set[K]:
    """The keys to hide: primary suppression, then complementary until every line is safe."""
    hidden = {key for key, figure in figures.items() if figure.people < threshold}
    lines = list(lines)
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = line.members()
            if sum(1 for key in members if key in hidden) != 1:
                continue
            visible = [key for key in members if key not in hidden]
            if visible:
                # The smallest visible member hides the least; position breaks ties so the
                # choice is the same on every run.
                hidden.add(min(visible, key=lambda key: (figures[key].value, members.index(key))))
                changed = True
    return hidden


def publish(
    figures: Mapping[K, Figure], lines: Iterable[Line[K]], *, threshold: int = THRESHOLD
) -> dict[K, int | None]:
    """Every figure's value, or None where it must not be published."""
    hidden = suppressed_keys(figures, lines, threshold=threshold)
    return {key: None if key in hidden else figure.value for key, figure in figures.items()}
