import pytest

from huzhu.conftest import Api
from huzhu.posts.catalogue import find_item
from huzhu.posts.models import Category, Item


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("布洛芬", "ibuprofen"),
        ("ibuprofen", "ibuprofen"),
        ("Advil", "ibuprofen"),
        ("芬必得", "ibuprofen"),
        ("  ADVIL ", "ibuprofen"),
        ("Tylenol", "paracetamol"),
        ("对乙酰氨基酚", "paracetamol"),
        ("抗原", "antigen-test"),
        ("antigen-test", "antigen-test"),
    ],
)
def test_it_finds_items_by_any_name(name: str, code: str) -> None:
    item = find_item(name)
    assert item is not None
    assert item.code == code


@pytest.mark.django_db
def test_unknown_names_find_nothing() -> None:
    assert find_item("unobtainium") is None


@pytest.mark.django_db
def test_the_shipped_categories_exist() -> None:
    codes = set(Category.objects.values_list("code", flat=True))
    assert {"medicine", "test_kits", "supplies", "food", "other"} <= codes


@pytest.mark.django_db
def test_the_api_lists_postable_items_with_aliases_caps_and_units() -> None:
    response = Api().get("/api/v1/catalogue")
    assert response.status_code == 200
    categories = response.json()["categories"]
    assert [c["code"] for c in categories] == list(
        Category.objects.order_by("position", "code").values_list("code", flat=True)
    )
    items = {item["code"]: item for c in categories for item in c["items"]}
    ibuprofen = items["ibuprofen"]
    assert ibuprofen["name"] == "Ibuprofen" and ibuprofen["name_zh"] == "布洛芬"
    assert "芬必得" in ibuprofen["aliases"] and "advil" in ibuprofen["aliases"]
    assert ibuprofen["max_per_need"] == 4 and ibuprofen["unit_sizes"] == {"box": 20, "pack": 10}
    # What nobody may post is never offered, under any name.
    assert "fentanyl" not in items
    assert set(items) == set(Item.objects.filter(otc=True).values_list("code", flat=True))


@pytest.mark.django_db
def test_the_api_names_things_in_the_readers_language() -> None:
    response = Api().get("/api/v1/catalogue", headers={"Accept-Language": "zh-Hans"})
    items = {item["code"]: item for c in response.json()["categories"] for item in c["items"]}
    assert items["ibuprofen"]["name"] == "布洛芬"
