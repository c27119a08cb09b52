"""`GET /api/v1/catalogue`: what may be posted, for clients' pickers.

Categories in their order, each with the items people may post (prescription-only and
controlled medicines are never listed: the rules refuse them, and `POST /posts` explains
why), with every alias a search or a post accepts, the default unit, the per-need cap and
what other units hold. Names come in both languages and in the request's (`name`).
"""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from huzhu.labels import localised
from huzhu.posts.models import Category, Item
from huzhu.schema_base import Out

router = Router(tags=["posts"])


class CatalogueItemOut(Out):
    code: str
    name: str
    name_en: str
    name_zh: str
    default_unit: str
    max_per_need: int | None
    unit_sizes: dict[str, int]
    aliases: list[str]


class CatalogueCategoryOut(Out):
    code: str
    name: str
    name_en: str
    name_zh: str
    items: list[CatalogueItemOut]


class CatalogueOut(Out):
    categories: list[CatalogueCategoryOut]


@router.get(
    "/catalogue",
    response={200: CatalogueOut},
    summary="What may be posted: categories, postable items and their aliases",
    description="Public. Items that can never be posted (prescription-only or controlled "
    "medicines) are not listed. `name` is in the request's language (`Accept-Language`).",
)
def catalogue(request: HttpRequest) -> dict[str, object]:
    postable = Item.objects.filter(otc=True).prefetch_related("aliases").order_by("code")
    found = Category.objects.order_by("position", "code").prefetch_related(
        Prefetch("items", queryset=postable)
    )
    return {"categories": [_category(category) for category in found]}


def _category(category: Category) -> dict[str, object]:
    return {
        "code": category.code,
        "name": localised(category.name_en, category.name_zh),
        "name_en": category.name_en,
        "name_zh": category.name_zh,
        "items": [_item(item) for item in category.items.all()],
    }


def _item(item: Item) -> dict[str, object]:
    return {
        "code": item.code,
        "name": localised(item.name_en, item.name_zh),
        "name_en": item.name_en,
        "name_zh": item.name_zh,
        "default_unit": item.default_unit,
        "max_per_need": item.max_per_need,
        "unit_sizes": dict(item.unit_sizes or {}),
        "aliases": sorted(alias.alias for alias in item.aliases.all()),
    }
