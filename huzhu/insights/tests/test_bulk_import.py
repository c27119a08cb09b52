"""Bulk import (`huzhu import FILE --bulk`): every row or none, stored as create_post would."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.conftest import make_user
from huzhu.insights.csv_import import MAX_ROWS
from huzhu.posts import bulk
from huzhu.posts.models import Post, PostStatusChange
from huzhu.posts.public_point import location_fields
from huzhu.posts.search import SearchParams, search_posts
from huzhu.posts.services import PostDraft, create_post

HEADER = "kind,title,body,item,category,quantity,tags,lat,lng,expires_on,precision_m\n"
NEED = "need,Fever medicine for grandpa,,ibuprofen,,4,elderly,39.9288,116.4160,,1000\n"
OFFER = "offer,Spare antigen tests,two boxes,antigen test,,2,,39.9215,116.4435,2099-06-30,5000\n"
SUPPLIES = "need,A warm blanket,,,supplies,1,老人,39.9593,116.2981,,1000\n"


@pytest.fixture
def operator(db: None) -> User:
    return make_user("ops")


def run(path: Path, *args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command(
            "import", str(path), "--as", "ops", "--bulk", *args, stdout=out, stderr=StringIO()
        )
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "posts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_stored_as_create_post_stores_a_post(operator: User, tmp_path: Path) -> None:
    out, failed = run(write(tmp_path, HEADER + NEED + OFFER + SUPPLIES))
    assert failed is None and "Imported 3 posts" in out
    need, offer, supplies = Post.objects.order_by("id")
    twin = create_post(
        owner=make_user("twin"),
        draft=PostDraft(
            kind="need",
            title="Fever medicine for grandpa",
            body="",
            category="medicine",
            item="ibuprofen",
            quantity=4,
            lat=39.9288,
            lng=116.4160,
            tags=("elderly",),
        ),
    )
    for name in ("kind", "title", "category_id", "item_id", "unit", "tag_bits", "status"):
        assert getattr(need, name) == getattr(twin, name), name
    # The same place: the same precision cell; the public point is the operator's own.
    assert need.area_cell == twin.area_cell
    stored = location_fields(operator.pk, need.lat, need.lng, need.area_precision_m)
    assert {name: getattr(need, name) for name in stored} == stored
    assert need.rank is not None and abs(need.rank - (twin.rank or 0)) < 60
    assert need.owner_id == operator.pk and need.status == Post.Status.OPEN
    assert offer.expires_at is not None and offer.expires_at.year == 2099
    assert offer.closes_at < offer.expires_at  # the listing's own lifetime ends first
    assert offer.area_cell == geo.area_cell_for(39.9215, 116.4435, 5000)
    assert supplies.tag_bits == need.tag_bits  # 老人 is elderly
    history = PostStatusChange.objects.filter(post__in=[need, offer, supplies])
    assert sorted(history.values_list("reason", flat=True)) == ["created"] * 3
    found = search_posts(SearchParams(39.9288, 116.4160, radius_km=20, sort="distance"))
    assert {need.pk, offer.pk, supplies.pk} <= {post.pk for post, _ in found.hits}


def test_one_bad_row_writes_nothing_and_names_every_bad_row(operator: User, tmp_path: Path) -> None:
    bad = [
        "need,Rice,,rice,,many,,39.95,116.29,,1000\n",  # not a number
        # prescription only: the title names a class of them (the data file), before the item
        "need,Antibiotics please,,amoxicillin,,1,,39.95,116.29,,1000\n",
        "offer,出售布洛芬 50元,,ibuprofen,,4,,39.92,116.44,2099-01-01,1000\n",  # price
        "need," + "x" * 121 + ",,,supplies,1,,39.95,116.29,,1000\n",  # title too long
        "need,Water,,,supplies,1,,95.5,116.29,,1000\n",  # not a latitude
    ]
    out, failed = run(write(tmp_path, HEADER + NEED + "".join(bad) + OFFER))
    assert failed is not None and "5 of 7 rows have errors" in str(failed)
    assert "Nothing was imported" in str(failed)
    for row, field in zip(range(3, 8), ("quantity", "title", "title", "title", "lat"), strict=True):
        assert f"row {row} · {field}" in out
    assert not Post.objects.exists() and not PostStatusChange.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(operator: User, tmp_path: Path) -> None:
    out, failed = run(write(tmp_path, HEADER + NEED + OFFER), "--dry-run")
    assert failed is None and "all 2 rows are fine" in out
    assert not Post.objects.exists()


def test_rows_for_other_people_belong_to_the_organiser_import(
    operator: User, tmp_path: Path
) -> None:
    text = (
        "kind,title,item,quantity,lat,lng,name,consent\n"
        "need,Medicine,ibuprofen,1,39.9,116.4,Neighbour A,verbal\n"
    )
    _, failed = run(write(tmp_path, text))
    assert failed is not None and "organiser import" in str(failed)
    assert not Post.objects.exists()


def test_only_the_bulk_import_takes_more_than_the_row_limit(operator: User, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + SUPPLIES * (MAX_ROWS + 1))
    with pytest.raises(CommandError, match="At most"):
        call_command("import", str(path), "--as", "ops", stdout=StringIO(), stderr=StringIO())
    _, failed = run(path)
    assert failed is None and Post.objects.count() == MAX_ROWS + 1


@pytest.mark.parametrize("good", [True, False])
def test_a_large_load_builds_the_indexes_again_whatever_happens(
    operator: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, good: bool
) -> None:
    """Loads much bigger than the table drop the indexes and build them after: after a
    failed file they must be back too (the transaction's rollback restores them)."""
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 2)
    wanted = {index.name for index in Post._meta.indexes}
    rows = NEED + SUPPLIES + ("" if good else "need,Water,,,supplies,1,,95.5,116.29,,1000\n")
    _, failed = run(write(tmp_path, HEADER + rows))
    assert (failed is None) == good
    with connection.cursor() as cursor:
        present = connection.introspection.get_constraints(cursor, Post._meta.db_table)
    assert wanted <= set(present)
    assert Post.objects.count() == (2 if good else 0)
