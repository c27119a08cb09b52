"""The catalogue: categories and items, and finding an item by any of its names."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huzhu.posts.models import Category, Item, ItemAlias
from huzhu.text.prescriptions import all_names

CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.json"


def normalise_alias(text: str) -> str:
    return " ".join(text.casefold().split())


def find_item(name: str) -> Item | None:
    """The item called `name` in either language (its code, a name or an alias), or None."""
    key = normalise_alias(name)
    by_code = Item.objects.filter(code=key).select_related("category").first()
    if by_code is not None:
        return by_code
    alias = ItemAlias.objects.select_related("item__category").filter(alias=key).first()
    return alias.item if alias else None


def item_finder() -> Callable[[str], Item | None]:
    """`find_item` for many lookups: the whole catalogue read once (a few hundred names),
    looked up the same way — a code first, then an alias."""
    by_code = {item.code: item for item in Item.objects.select_related("category")}
    by_alias = {
        alias.alias: alias.item for alias in ItemAlias.objects.select_related("item__category")
    }

    def find(name: str) -> Item | None:
        key = normalise_alias(name)
        return by_code.get(key) or by_alias.get(key)

    return find


def load_catalogue(
    data: dict[str, Any],
    category_model: Any = Category,
    item_model: Any = Item,
    alias_model: Any = ItemAlias,
) -> None:
    """Insert or update categories and items from the data file's shape.

    Takes model classes as arguments so the data migration can pass its historical models.
    """
    # Older data migrations load into historical models from before the per-need cap.
    fields = {field.name for field in item_model._meta.get_fields()}
    has_cap, has_sizes = "max_per_need" in fields, "unit_sizes" in fields
    categories = {}
    for row in data["categories"]:
        category, _ = category_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
                "position": row["position"],
            },
        )
        categories[row["code"]] = category
    for row in data["items"]:
        defaults = {
            "category": categories[row["category"]],
            "name_en": row["name_en"],
            "name_zh": row["name_zh"],
            "otc": row["otc"],
            "default_unit": row["default_unit"],
        }
        if has_cap:
            defaults["max_per_need"] = row.get("max_per_need")
        if has_sizes:
            defaults["unit_sizes"] = row.get("unit_sizes", {})
        item, _ = item_model.objects.update_or_create(code=row["code"], defaults=defaults)
        names = {row["name_en"], row["name_zh"], *row["aliases"]}
        for name in names:
            alias_model.objects.update_or_create(
                alias=normalise_alias(name), defaults={"item": item}
            )


def read_catalogue_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return data


def migrate_catalogue(apps: Any, schema_editor: Any) -> None:
    """A data migration's step: load the data file into the migration's historical models."""
    load_catalogue(
        read_catalogue_file(),
        category_model=apps.get_model("posts", "Category"),
        item_model=apps.get_model("posts", "Item"),
        alias_model=apps.get_model("posts", "ItemAlias"),
    )


def prescription_names() -> list[str]:
    """Every alias of a catalogue item that is not over the counter, and every name of the
    prescription data files (text/prescriptions.py), longest first: what the rules refuse
    (text/rules.py)."""
    aliases = ItemAlias.objects.filter(item__otc=False).values_list("alias", flat=True)
    return all_names(aliases)
