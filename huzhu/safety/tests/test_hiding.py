"""Report weights, and enough of them hiding a post pending review."""

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, make_user
from huzhu.posts.models import Post
from huzhu.safety.fraud import record_signup_address
from huzhu.safety.models import AuditEntry, Report
from huzhu.safety.queries import report_queue
from huzhu.safety.reports import report_weight
from huzhu.safety.tests.helpers import at_level, established, moderator, report_post
from huzhu.trust.levels import Level


def _search(api: Api) -> list[int]:
    answer = api.get("/api/v1/posts", {"lat": BEIJING[0], "lng": BEIJING[1], "radius_km": 5})
    assert answer.status_code == 200
    return [item["id"] for item in answer.json()["items"]]


def _decided(reporter: User, status: str, n: int) -> None:
    for _ in range(n):
        Report.objects.create(
            reporter=reporter,
            target_type="user",
            target_id=reporter.pk,
            reason="spam",
            weight=1,
            status=status,
            created_at=reporter.date_joined,
        )


@pytest.mark.parametrize(
    ("level", "upheld", "dismissed", "weight"),
    [
        (Level.NEW, 0, 0, 1.0),
        (Level.VERIFIED, 0, 0, 2.0),
        (Level.MEMBER, 1, 0, 3.5),
        (Level.MEMBER, 9, 0, 5.0),  # accuracy capped at +2
        (Level.NEW, 0, 5, 0.0),  # …and at -1
        (Level.VERIFIED, 3, 2, 2.5),
    ],
)
def test_a_reports_weight_is_one_plus_level_plus_accuracy(
    charlie: User, level: int, upheld: int, dismissed: int, weight: float
) -> None:
    at_level(charlie, level)
    _decided(charlie, "upheld", upheld)
    _decided(charlie, "dismissed", dismissed)
    assert report_weight(charlie) == weight


def test_a_post_is_hidden_when_open_weight_reaches_the_threshold(
    api: Api, alices_need: Post, settings: Any
) -> None:
    settings.HUZHU_REPORT_HIDE_WEIGHT = 5
    at_level(alices_need.owner, Level.VERIFIED)  # not TL0: only the weight counts
    neighbours = [established(make_user(f"n{i}"), Level.VERIFIED) for i in range(3)]
    report_post(neighbours[0], alices_need.pk)
    report_post(neighbours[1], alices_need.pk)  # 2 + 2 = 4 < 5
    alices_need.refresh_from_db()
    assert alices_need.hidden_at is None
    assert alices_need.pk in _search(api)
    report_post(neighbours[2], alices_need.pk)  # 6 >= 5
    alices_need.refresh_from_db()
    assert alices_need.hidden_at is not None and alices_need.rank is None
    assert alices_need.pk not in _search(api)
    hide = AuditEntry.objects.get(action="hide")
    assert (hide.target_id, hide.automated, hide.actor_id, hide.rule) == (
        alices_need.pk,
        True,
        None,
        "report_weight",
    )


def test_decided_reports_do_not_count_towards_hiding(alices_need: Post, settings: Any) -> None:
    settings.HUZHU_REPORT_HIDE_WEIGHT = 3
    at_level(alices_need.owner, Level.VERIFIED)
    first, second = make_user("n1"), make_user("n2")
    report_post(first, alices_need.pk)
    Report.objects.update(status="dismissed")
    report_post(second, alices_need.pk)
    alices_need.refresh_from_db()
    assert alices_need.hidden_at is None


@pytest.mark.parametrize(
    ("reporter_level", "owner_level", "hidden"),
    [
        (Level.TRUSTED, Level.NEW, True),
        (Level.MODERATOR, Level.NEW, True),
        (Level.MEMBER, Level.NEW, False),
        (Level.TRUSTED, Level.VERIFIED, False),
    ],
)
def test_a_trusted_helper_hides_a_new_members_post_at_once(
    alices_need: Post, charlie: User, reporter_level: int, owner_level: int, hidden: bool
) -> None:
    at_level(charlie, reporter_level)
    at_level(alices_need.owner, owner_level)
    report_post(charlie, alices_need.pk)
    alices_need.refresh_from_db()
    assert (alices_need.hidden_at is not None) is hidden
    assert AuditEntry.objects.filter(action="hide", rule="trusted_reporter").exists() is hidden


def test_a_hidden_post_is_seen_only_by_its_author_and_moderators(
    api: Api, alices_need: Post, alice: User, bob: User, charlie: User
) -> None:
    at_level(charlie, Level.TRUSTED)
    report_post(charlie, alices_need.pk)
    path = f"/api/v1/posts/{alices_need.pk}"
    assert api.get(path).status_code == 404
    assert api.as_user(bob).get(path).status_code == 404
    mine = api.as_user(alice).get(path)
    assert mine.status_code == 200 and mine.json()["under_review"] is True
    assert api.as_user(moderator()).get(path).status_code == 200
    # Nor can others respond to it or find it.
    respond = api.as_user(bob).post(f"{path}/exchanges", {"quantity": 1})
    assert respond.status_code == 404
    assert alices_need.pk not in _search(api.as_user(bob))


def test_the_author_is_told_their_post_is_under_review(
    alices_need: Post, alice: User, charlie: User
) -> None:
    at_level(charlie, Level.TRUSTED)
    report_post(charlie, alices_need.pk)
    page = Client()
    page.force_login(alice)
    answer = page.get(f"/posts/{alices_need.pk}", headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    assert b"hidden while the moderators look at reports" in answer.content
    other = Client()
    other.force_login(charlie)
    assert other.get(f"/posts/{alices_need.pk}").status_code == 404


def _throwaways(level: int, *, aged: bool, address: str) -> list[User]:
    people = []
    for i in range(5):
        person = make_user(f"throwaway{i}")
        record_signup_address(user=person, address=address or f"10.0.0.{i}", now=timezone.now())
        people.append(established(person, level) if aged else at_level(person, level))
    return people


@pytest.mark.parametrize(
    "throwaways",
    [
        (Level.NEW, True, ""),  # unverified
        (Level.VERIFIED, False, ""),  # verified, but signed up this week
        (Level.NEW, False, "203.0.113.9"),  # the five throwaways from one address
        (Level.MEMBER, True, "203.0.113.9"),  # established, but one address is one voice
    ],
)
def test_throwaway_reports_cannot_hide_a_post_on_their_own(
    api: Api, alices_need: Post, settings: Any, throwaways: tuple[int, bool, str]
) -> None:
    level, aged, address = throwaways
    settings.HUZHU_REPORT_HIDE_WEIGHT = 5
    at_level(alices_need.owner, Level.VERIFIED)
    for person in _throwaways(level, aged=aged, address=address):
        report_post(person, alices_need.pk)
    alices_need.refresh_from_db()
    assert alices_need.hidden_at is None
    assert alices_need.pk in _search(api)
    queued = [row for row in report_queue() if row.target_id == alices_need.pk]
    assert len(queued) == 1 and queued[0].reports == 5
    assert not AuditEntry.objects.filter(action="hide").exists()
