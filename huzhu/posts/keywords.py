"""The feed's keyword: the one rule for what "布洛芬", "芬必得" or "ibuprofen" finds.

A post matches when its item is one the keyword names (an item's code, or any of its names
and aliases in either language containing the keyword: "布洛芬" finds ibuprofen, so does
"芬必得") or when its title holds every word of the keyword. Only public fields are read
(the item and the title), so an anonymous searcher learns nothing a card does not show.
The API's `q` and the web feed's search box both go through `search.SearchParams.text`.
"""

from typing import Any

from huzhu.posts.catalogue import normalise_alias
from huzhu.posts.models import Item, ItemAlias

MAX_LENGTH = 100
# A very short Latin keyword ("a") would name half the catalogue through its aliases.
MIN_ALIAS_MATCH = 2


def matching_item_ids(key: str) -> list[int]:
    """Items named by `key` (normalised): its code, or aliases containing it."""
    ids = set(Item.objects.filter(code=key).values_list("pk", flat=True))
    if len(key) >= MIN_ALIAS_MATCH or not key.isascii():
        ids.update(ItemAlias.objects.filter(alias__contains=key).values_list("item_id", flat=True))
    return sorted(ids)


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def keyword_sql(text: str) -> tuple[str, list[Any]] | None:
    """The search's WHERE clause for `text` and its arguments, or None for no keyword."""
    key = normalise_alias(text)
    if not key:
        return None
    words = key.split()
    # LOWER() folds ASCII on SQLite and everything on PostgreSQL; Chinese has no case.
    title = " AND ".join(["LOWER(title) LIKE %s ESCAPE '\\'"] * len(words))
    args: list[Any] = [_like(word) for word in words]
    item_ids = matching_item_ids(key)
    if not item_ids:
        return f"({title})", args
    marks = ", ".join(["%s"] * len(item_ids))
    return f"(item_id IN ({marks}) OR ({title}))", [*item_ids, *args]
