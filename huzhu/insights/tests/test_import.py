"""CSV import: the command and the organisers' page, good rows and each kind of bad one."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import make_user
from huzhu.posts.models import Beneficiary, Post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "import-sample.csv"
HEADER = "kind,title,item,quantity,lat,lng,name,consent,note\n"
GOOD = (
    "need,Fever medicine for a neighbour,ibuprofen,4,39.9288,116.4160,Neighbour A,verbal,via desk\n"
)
ROWS = {
    3: "need,Antigen tests,antigen test,2,95.5,116.3660,,,\n",  # bad coordinates
    4: "need,Something odd,unobtainium,1,39.9123,116.3660,,,\n",  # unknown item
    5: "offer,出售布洛芬 50元,ibuprofen,4,39.9215,116.4435,,,\n",  # price language
    6: "need,Thermometer for a child,thermometer,1,39.9593,116.2981,Neighbour B,,\n",  # consent
    7: "need,Rice,rice,many,39.9593,116.2981,,,\n",  # not a number
}
EXPECTED = {3: "lat", 4: "item", 5: "title", 6: "consent", 7: "quantity"}
MIXED = HEADER + GOOD + "".join(ROWS.values()) + GOOD.replace("Neighbour A", "Neighbour C")


@pytest.fixture
def organiser(db: None) -> User:
    user = make_user("olga")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


def run(path: Path, *args: str) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_dry_run_reports_each_bad_row_and_creates_nothing(
    organiser: User, tmp_path: Path
) -> None:
    out, err, failed = run(write(tmp_path, MIXED), "--as", "olga", "--dry-run")
    assert failed is not None and "5 rows have errors" in str(failed)
    for row, field in EXPECTED.items():
        assert f"row {row} · {field}" in out, out
    assert "Latitude must be between -90 and 90." in out
    assert "We do not know the item unobtainium" in out
    assert "Record how the person agreed: verbal or written." in out
    assert "Write a whole number, not many." in out
    assert "Dry run: 7 rows checked, 2 would be imported, 5 have errors" in out
    assert "100%" in err  # the progress bar
    assert not Post.objects.exists() and not Beneficiary.objects.exists()


def test_the_import_creates_only_the_good_rows(organiser: User, tmp_path: Path) -> None:
    out, _, failed = run(write(tmp_path, MIXED), "--as", "olga")
    assert failed is not None
    assert "Imported 2 of 7 rows; 5 rows had errors" in out
    posts = list(Post.objects.order_by("pk"))
    assert [p.title for p in posts] == ["Fever medicine for a neighbour"] * 2
    assert all(p.owner_id == organiser.pk and p.on_behalf for p in posts)
    names = sorted(Beneficiary.objects.values_list("name", "consent", "volunteer_id"))
    assert names == [
        ("Neighbour A", "verbal", organiser.pk),
        ("Neighbour C", "verbal", organiser.pk),
    ]


def test_the_sample_file_imports_cleanly(organiser: User) -> None:
    out, _, failed = run(SAMPLE, "--as", "olga")
    assert failed is None, out
    assert "Imported 4 of 4 rows" in out
    assert "类型 → kind" in out and "纬度 → lat" in out
    assert Post.objects.filter(on_behalf=True).count() == 2
    assert Post.objects.filter(kind="offer", on_behalf=False).count() == 1
    tagged = Post.objects.get(title="独居老人需要退烧药")
    assert tagged.tag_bits and tagged.item is not None and tagged.item.code == "ibuprofen"


def test_a_mapping_names_columns_the_headers_do_not(organiser: User, tmp_path: Path) -> None:
    text = "what,headline,thing,how many,y,x\nneed,Rice for a family,rice,2,39.93,116.42\n"
    path = write(tmp_path, text)
    _, _, failed = run(path, "--as", "olga", "--dry-run")
    assert failed is not None  # nothing recognised: every row lacks its title and numbers
    mapping = "what=kind,headline=title,thing=item,how many=quantity,y=lat,x=lng"
    out, _, failed = run(path, "--as", "olga", "--mapping", mapping)
    assert failed is None, out
    assert Post.objects.get().title == "Rice for a family"


def test_bad_mappings_and_accounts_are_refused(organiser: User, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD)
    for args, message in [
        (("--as", "nobody"), "No active account 'nobody'."),
        (("--as", "olga", "--mapping", "colour=lat"), "There is no column colour in the file."),
        (("--as", "olga", "--mapping", "kind=flavour"), "Unknown field flavour."),
        (("--as", "olga", "--mapping", "kind"), "Write each mapping as column=field"),
    ]:
        _, _, failed = run(path, *args)
        assert failed is not None and message in str(failed)
    _, _, failed = run(tmp_path / "missing.csv", "--as", "olga")
    assert failed is not None and "Cannot read" in str(failed)
    assert not Post.objects.exists()


def test_below_tl3_rows_for_others_are_refused(alice: User, tmp_path: Path) -> None:
    set_level(alice, Level.MEMBER)
    out, _, failed = run(write(tmp_path, HEADER + GOOD), "--as", "alice")
    assert failed is not None
    assert "row 2 · row: Posting for someone else needs TL3" in out
    assert not Post.objects.exists()


def test_a_chinese_excel_file_is_read(organiser: User, tmp_path: Path) -> None:
    text = "类型,标题,物品,数量,纬度,经度\n需求,需要大米,大米,2,39.93,116.42\n"
    out, _, failed = run(write(tmp_path, text, "gb18030"), "--as", "olga")
    assert failed is None, out
    assert Post.objects.get().title == "需要大米"


def test_the_page_is_not_there_for_others(client: Client, alice: User) -> None:
    assert client.get("/organisers/import").status_code == 404
    client.force_login(alice)
    assert client.get("/organisers/import").status_code == 404
    upload = SimpleUploadedFile("rows.csv", (HEADER + GOOD).encode())
    assert (
        client.post("/organisers/import", {"file": upload, "action": "import"}).status_code == 404
    )
    assert not Post.objects.exists()


def test_the_page_checks_then_imports(client: Client, organiser: User) -> None:
    client.force_login(organiser)
    assert client.get("/organisers/import").status_code == 200
    upload = SimpleUploadedFile("rows.csv", MIXED.encode())
    checked = client.post("/organisers/import", {"file": upload, "action": "check"})
    assert checked.status_code == 200
    page = checked.content.decode()
    for row in EXPECTED:
        assert f'<th scope="row">{row}</th>' in page
    assert "7 rows checked: 2 can be imported, 5 have errors." in page
    assert not Post.objects.exists()
    carried = checked.context["csv_text"]
    imported = client.post("/organisers/import", {"csv_text": carried, "action": "import"})
    assert imported.status_code == 200
    assert "2 of 7 rows imported" in imported.content.decode()
    assert Post.objects.filter(owner=organiser, on_behalf=True).count() == 2


def test_the_page_takes_a_corrected_mapping(client: Client, organiser: User) -> None:
    client.force_login(organiser)
    text = "what,headline,thing,how many,y,x\nneed,Rice for a family,rice,2,39.93,116.42\n"
    columns = {
        f"column_{i}": f for i, f in enumerate(["kind", "title", "item", "quantity", "lat", "lng"])
    }
    response = client.post("/organisers/import", {"csv_text": text, "action": "import", **columns})
    assert response.status_code == 200
    assert Post.objects.get().title == "Rice for a family"


def test_the_page_needs_a_file(client: Client, organiser: User) -> None:
    client.force_login(organiser)
    response = client.post("/organisers/import", {"action": "check"})
    assert response.status_code == 422
    assert "Choose a CSV file." in response.content.decode()
    empty = SimpleUploadedFile("rows.csv", b"\n\n")
    response = client.post("/organisers/import", {"file": empty, "action": "check"})
    assert response.status_code == 422
    response = client.post("/organisers/import", {"csv_text": "a,b\n", "action": "launch"})
    assert response.status_code == 422
