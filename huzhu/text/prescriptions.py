"""Prescription-only and controlled medicines as reviewable data, and finding them in text.

The list is `data/prescription_medicines.tsv` (China's narcotic and psychotropic catalogues'
common entries and the prescription-only classes, in zh and en, generic and brand names and
common misspellings), plus the catalogue's non-OTC items, plus an operator's own file named
by HUZHU_PRESCRIPTION_FILE. Names are matched on the normalised text, so "吗 啡", "ＸＡＮＡＸ"
and "0xy" are found. A mention said in order to refuse it ("医生说不用吃头孢", "allergic to
penicillin", "不是处方药") is not a share.
"""

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from huzhu.text.normalise import plain

DATA_FILE = Path(__file__).parent / "data" / "prescription_medicines.tsv"

_NEGATED_BEFORE = re.compile(
    r"(?:不用|不要|不能|不可以|别|没|不吃|不需要|无需|不必|停了|停用|不再|不是|非|不含|不想|"
    r"禁用|慎用|忌|除了|而不是|代替|替代)[^，。,.!！?？;；\n]{0,4}$"
    r"|(?<![a-z])(?:no|not|never|don'?t|do not|without|instead of|rather than|allergic to|"
    r"stopped|stop|avoid|except|can'?t take|cannot take|isn'?t|is not)(?:\s+[a-z']+){0,2}\s*$"
)
_NEGATED_AFTER = re.compile(r"^\s*(?:过敏|allerg|不能吃|吃不了|不耐受|is not needed|not needed)")


def read_names(path: Path) -> list[tuple[str, str]]:
    """(class, name) for every name in a file of the data file's format."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kind, _, listed = line.partition("\t")
        names += [(kind.strip(), name.strip()) for name in listed.split("|") if name.strip()]
    return names


@lru_cache(maxsize=1)
def data_names() -> tuple[str, ...]:
    """The names of the data file and of the operator's extra file, if any."""
    paths = [DATA_FILE]
    extra = getattr(settings, "HUZHU_PRESCRIPTION_FILE", "")
    if extra:
        paths.append(Path(extra))
    return tuple(name for path in paths for _, name in read_names(path))


@lru_cache(maxsize=8)
def _finder(names: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], ...], dict[str, str]]:
    """Two alternations over every name (normalised, longest first so 头孢克肟 wins over 头孢):
    Latin names as whole words, the others anywhere; one boundary check around each
    alternation runs about twenty times faster than one per name. And the map from a
    normalised name back to a listed one."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(plain(name), name)
    keys = sorted((key for key in by_key if key), key=lambda key: (-len(key), key))
    latin = "|".join(re.escape(key) for key in keys if key.isascii())
    other = "|".join(re.escape(key) for key in keys if not key.isascii())
    patterns = (
        re.compile(rf"(?<![a-z0-9])(?:{latin or '(?!)'})(?![a-z0-9])"),
        re.compile(other or "(?!)"),
    )
    return patterns, by_key


def negated(text: str, start: int, end: int) -> bool:
    """Whether the medicine named at text[start:end] is named in order to refuse it."""
    return bool(
        _NEGATED_BEFORE.search(text[max(0, start - 24) : start])
        or _NEGATED_AFTER.search(text[end : end + 12])
    )


def first_mention(text: str, names: Sequence[str]) -> str | None:
    """The listed name of the first medicine of `names` that normalised `text` offers or asks
    for (not one it refuses), or None."""
    patterns, by_key = _finder(tuple(names))
    found = [
        match
        for pattern in patterns
        for match in pattern.finditer(text)
        if not negated(text, *match.span())
    ]
    if not found:
        return None
    first = min(found, key=lambda match: match.start()).group(0)
    return by_key.get(first, first)


def all_names(catalogue_names: Iterable[str]) -> list[str]:
    """The catalogue's non-OTC aliases and the data files' names, without repeats."""
    return sorted({*catalogue_names, *data_names()}, key=lambda name: (-len(name), name))
