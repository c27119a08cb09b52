"""One registry of what each app keeps about a person, for the export (GET /me/export) and
the erasure (DELETE /me). `export.py` and `erasure.py` ask it and import no other app; each
app registers its part, in its `personal_data.py`, from its AppConfig.ready, so an app that
starts keeping something personal adds it to both in one place.

Erasure runs in two passes over the parts: `stop` ends live activity, higher apps first
(an exchange is cancelled before the post it reserves is withdrawn); `erase` blanks texts
and deletes rows, in the order the apps are installed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from huzhu.accounts.models import User

# The export's stable, meaningless name for another person (export.pseudonym).
Pseudonym = Callable[[User, int], str]


@dataclass(frozen=True)
class Part:
    app: str
    export: Callable[[User, Pseudonym], dict[str, Any]] | None = None
    stop: Callable[[User], None] | None = None
    erase: Callable[[User], None] | None = None


_parts: dict[str, Part] = {}


def register(part: Part) -> None:
    _parts[part.app] = part  # by app: a second ready() (tests) replaces, never doubles


def parts() -> list[Part]:
    return list(_parts.values())


def histories(changes: QuerySet[Any], owner_field: str) -> dict[int, list[dict[str, Any]]]:
    """Status changes (posts' or exchanges') grouped by what they belong to, oldest first."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for change in changes.order_by("at", "pk"):
        grouped.setdefault(getattr(change, owner_field), []).append(
            {"from": change.from_status, "to": change.to_status, "at": change.at}
        )
    return grouped
