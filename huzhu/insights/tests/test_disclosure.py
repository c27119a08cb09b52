"""Disclosure control: nothing under 11 people is published, and nothing hidden can be
recovered from what is published, by subtraction or by any other linear combination."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from huzhu.insights.disclosure import Figure, Line, publish, suppressed_keys


def recoverable(published: dict[str, int | None], lines: list[Line[str]]) -> set[str]:
    """The hidden keys an attacker can solve for exactly from the published figures.

    Each line is an equation over the hidden keys (the visible ones are moved to the other
    side). A hidden key is determined exactly when its unit vector lies in the row space of
    those equations, i.e. appending it does not raise the rank.
    """
    hidden = sorted(key for key, value in published.items() if value is None)
    rows = [
        [Fraction(1 if key == line.total else -1 if key in line.parts else 0) for key in hidden]
        for line in lines
    ]
    base = _rank(rows)
    return {
        key
        for index, key in enumerate(hidden)
        if _rank([*rows, [Fraction(int(i == index)) for i in range(len(hidden))]]) == base
    }


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix if any(row)]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def one_line(parts: dict[str, tuple[int, int]]) -> tuple[dict[str, Figure], list[Line[str]]]:
    figures = {key: Figure(value, people) for key, (value, people) in parts.items()}
    figures["total"] = Figure(
        sum(f.value for f in figures.values()), sum(f.people for f in figures.values())
    )
    return figures, [Line("total", tuple(parts))]


def test_it_hides_figures_of_fewer_than_eleven_people() -> None:
    figures, lines = one_line({"a": (40, 30), "b": (12, 11), "c": (15, 10), "d": (14, 10)})
    published = publish(figures, lines)
    assert published["b"] == 12  # exactly 11 people may be published
    assert published["c"] is None
    assert published["d"] is None


def test_it_hides_zero() -> None:
    figures, lines = one_line({"a": (40, 30), "b": (0, 0), "c": (50, 40)})
    assert publish(figures, lines)["b"] is None


def test_subtraction_recovers_a_lone_hidden_cell_without_complementary_suppression() -> None:
    """The attack the rule defeats: one hidden cell is the total minus the others."""
    figures, lines = one_line({"a": (40, 30), "b": (3, 3), "c": (50, 40), "d": (20, 15)})
    primary_only = {k: None if f.people < 11 else f.value for k, f in figures.items()}
    assert recoverable(primary_only, lines) == {"b"}
    assert primary_only["total"] - (40 + 50 + 20) == 3  # type: ignore[operator]


def test_it_hides_the_next_smallest_so_subtraction_fails() -> None:
    figures, lines = one_line({"a": (40, 30), "b": (3, 3), "c": (50, 40), "d": (20, 15)})
    published = publish(figures, lines)
    assert published["b"] is None
    assert published["d"] is None  # the smallest visible figure
    assert published["a"] == 40 and published["c"] == 50 and published["total"] == 113
    assert recoverable(published, lines) == set()


def test_a_hidden_total_is_not_recovered_from_its_parts() -> None:
    # Every part is large enough, but the total's people are fewer (the same people again).
    figures = {"a": Figure(30, 11), "b": Figure(30, 11), "total": Figure(60, 10)}
    lines = [Line("total", ("a", "b"))]
    published = publish(figures, lines)
    assert published["total"] is None
    assert recoverable(published, lines) == set()


def test_a_shared_total_is_protected_in_every_breakdown() -> None:
    """Two breakdowns of one total: hiding a category must not leak through the areas."""
    figures = {
        "total": Figure(100, 60),
        "cat:x": Figure(5, 4),
        "cat:y": Figure(60, 30),
        "cat:z": Figure(35, 26),
        "area:n": Figure(50, 30),
        "area:s": Figure(50, 30),
    }
    lines = [Line("total", ("cat:x", "cat:y", "cat:z")), Line("total", ("area:n", "area:s"))]
    published = publish(figures, lines)
    assert published["cat:x"] is None and published["cat:z"] is None
    assert recoverable(published, lines) == set()


def test_cascades_until_every_line_is_safe() -> None:
    """Hiding the smallest of one line leaves another line with one hidden: it cascades."""
    figures = {
        "t1": Figure(100, 50),
        "a": Figure(2, 2),
        "b": Figure(20, 12),  # b is itself broken down into b1 + b2
        "c": Figure(78, 40),
        "b1": Figure(9, 11),
        "b2": Figure(11, 11),
    }
    lines = [Line("t1", ("a", "b", "c")), Line("b", ("b1", "b2"))]
    hidden = suppressed_keys(figures, lines)
    assert hidden == {"a", "b", "b1"}
    assert recoverable(publish(figures, lines), lines) == set()


cells = st.tuples(st.integers(0, 60), st.integers(0, 40)).map(
    lambda pair: Figure(max(pair), pair[1])  # a count is at least its number of people
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(cells, min_size=4, max_size=4), min_size=2, max_size=8),
    areas=st.lists(cells, min_size=1, max_size=5),
)
def test_no_suppressed_figure_is_ever_recoverable(
    rows: list[list[Figure]], areas: list[Figure]
) -> None:
    """The stats' shape: per measure, a category breakdown and an area breakdown sharing
    one grand total. Whatever the numbers, nothing under 11 people is published and no
    hidden figure can be solved for."""
    figures: dict[str, Figure] = {}
    lines: list[Line[str]] = []
    for measure in range(4):
        cats = {f"c{i}:{measure}": row[measure] for i, row in enumerate(rows)}
        total = sum(f.value for f in cats.values())
        # The areas split the same total; the last area takes what is left.
        split = [min(f.value, total) for f in areas]
        values = [*split[:-1], max(0, total - sum(split[:-1]))]
        if sum(values) != total:
            values = [0] * (len(areas) - 1) + [total]
        area_cells = {
            f"a{i}:{measure}": Figure(v, min(v, areas[i].people)) for i, v in enumerate(values)
        }
        figures |= cats | area_cells
        figures[f"total:{measure}"] = Figure(total, sum(f.people for f in cats.values()))
        lines += [
            Line(f"total:{measure}", tuple(cats)),
            Line(f"total:{measure}", tuple(area_cells)),
        ]
    published = publish(figures, lines)
    for key, value in published.items():
        assert value is None or figures[key].people >= 11, key
    assert recoverable(published, lines) == set()
