import pytest

from huzhu.posts.catalogue import find_item
from huzhu.posts.models import Category


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
