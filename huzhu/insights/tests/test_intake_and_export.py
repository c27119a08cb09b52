"""Organisers: intake for residents uses the intake quota, not the volunteer's own; the
same title for different residents is no duplicate; the CSV of posts leaks no place or
phone."""

import csv
import io
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, draft
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _posting_checks(settings: Any) -> None:
    settings.HUZHU_POSTING_CHECKS = True


def intake(name: str, title: str = "Fever medicine for an elderly neighbour") -> dict[str, Any]:
    return {
        "kind": "need",
        "title": title,
        "category": "medicine",
        "item": "ibuprofen",
        "quantity": 4,
        "lat": BEIJING[0],
        "lng": BEIJING[1],
        "on_behalf_of": {"name": name, "consent": "verbal"},
    }


@pytest.fixture
def organiser(charlie: User) -> User:
    User.objects.filter(pk=charlie.pk).update(is_staff=True)
    return User.objects.get(pk=charlie.pk)


def test_intake_is_not_throttled_by_personal_quotas(api: Api, organiser: User) -> None:
    # A brand-new organiser account: three posts on its first day, two open needs per
    # category, and 4 ibuprofen a week would all stop a volunteer desk at row four.
    me = api.as_user(organiser)
    for number in range(6):
        r = me.post("/api/v1/posts", intake(f"Resident {number}"))
        assert r.status_code == 201, r.json()
    assert Post.objects.filter(owner=organiser, on_behalf=True).count() == 6


def test_the_same_title_for_the_same_resident_is_a_duplicate(api: Api, organiser: User) -> None:
    me = api.as_user(organiser)
    assert me.post("/api/v1/posts", intake("Li Ming")).status_code == 201
    r = me.post("/api/v1/posts", intake("li ming"))
    assert r.status_code == 409 and r.json()["code"] == "duplicate"


def test_intake_has_its_own_hourly_quota(api: Api, organiser: User, settings: Any) -> None:
    settings.HUZHU_INTAKE_PER_HOUR = 2
    me = api.as_user(organiser)
    assert me.post("/api/v1/posts", intake("Zhao Yun")).status_code == 201
    assert me.post("/api/v1/posts", intake("Qian Li")).status_code == 201
    r = me.post("/api/v1/posts", intake("Sun Wei"))
    assert r.status_code == 429 and r.json()["code"] == "intake_rate"
    assert "Retry-After" in r.headers


def test_intake_does_not_use_up_the_volunteers_own_quota(api: Api, alice: User) -> None:
    set_level(alice, Level.TRUSTED)
    me = api.as_user(alice)
    for name in ("Zhao Yun", "Qian Li", "Sun Wei"):
        assert me.post("/api/v1/posts", intake(name)).status_code == 201
    # Her own need in the same category is not refused as the third open one.
    own = {**intake("x"), "title": "Antipyretic for me", "item": "paracetamol"}
    del own["on_behalf_of"]
    assert me.post("/api/v1/posts", own).status_code == 201


def test_the_posts_csv_is_for_organisers_and_has_no_exact_place_or_phone(
    client: Client, organiser: User, alice: User, bob: User
) -> None:
    post = create_post(
        owner=alice,
        draft=draft(
            title="=HYPERLINK(1) call 13812345678", quantity=1, lat=39.912345, lng=116.401234
        ),
    )
    client.force_login(bob)
    assert client.get("/organisers/posts.csv").status_code == 404
    client.force_login(organiser)
    r = client.get("/organisers/posts.csv", {"kind": "need", "days": "7"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    text = r.getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    [row] = rows
    assert row["id"] == str(post.pk)
    assert row["title"].startswith("'=")  # never a formula
    assert "13812345678" not in text
    assert "39.912345" not in text and "116.401234" not in text
    assert row["area_precision_m"] == "1000"
    assert client.get("/organisers/posts.csv", {"days": "5"}).status_code == 422
