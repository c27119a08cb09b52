"""Fraud signals: each a query with a threshold, shown in the console with its evidence, and
never the sign-up address itself."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD, Api, draft, make_user
from huzhu.exchanges.models import NoShow
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.safety.fraud import fraud_signals
from huzhu.safety.models import SignupAddress
from huzhu.safety.tests.helpers import moderator, report_post


@pytest.fixture(autouse=True)
def _many_posts(settings: Any) -> None:
    settings.HUZHU_TL0_OPEN_NEEDS = settings.HUZHU_TL0_OPEN_OFFERS = 100
    settings.HUZHU_TL0_RESPONSES_PER_DAY = 100


def fired(code: str) -> dict[int, str]:
    return {s.user_id: s.evidence for s in fraud_signals() if s.code == code}


def test_many_needs_for_scarce_items(alice: User, bob: User) -> None:
    for _ in range(3):
        create_post(owner=alice, draft=draft(quantity=4))
    for _ in range(2):
        create_post(owner=bob, draft=draft(quantity=4))
    create_post(owner=bob, draft=draft(item="rice", category="food", quantity=4))
    assert list(fired("scarce_needs")) == [alice.pk]
    assert "12" in fired("scarce_needs")[alice.pk]


def test_repeated_no_shows(alice: User, bob: User, charlie: User) -> None:
    for person, times in ((bob, 2), (charlie, 1)):
        for _ in range(times):
            need = create_post(owner=alice, draft=draft(quantity=1))
            exchange = respond_to_post(post=need, responder=person, quantity=1, message="")
            NoShow.objects.create(
                exchange=exchange,
                reported_by=alice,
                reported_user=person,
                created_at=timezone.now(),
            )
    assert list(fired("no_shows")) == [bob.pk]


def test_many_people_reporting_one_person(alice: User, bob: User, charlie: User) -> None:
    post = create_post(owner=alice, draft=draft())
    report_post(bob, post.pk)
    report_post(charlie, post.pk)
    assert fired("reports") == {}
    report_post(make_user("dora"), post.pk)
    assert list(fired("reports")) == [alice.pk]


def test_many_accounts_from_one_address_without_keeping_it(db: None) -> None:
    for n in range(3):
        answer = Api().post(
            "/api/v1/auth/signup",
            {"username": f"twin{n}", "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.9"},  # ignored: no trusted proxy
        )
        assert answer.status_code == 201
    rows = list(SignupAddress.objects.values_list("address_hash", flat=True))
    assert len(rows) == 3 and len(set(rows)) == 1
    assert all("127.0.0.1" not in value and "203.0.113" not in value for value in rows)
    twins = set(User.objects.filter(username__startswith="twin").values_list("pk", flat=True))
    assert set(fired("shared_address")) == twins


def test_two_accounts_from_one_address_are_not_a_signal(db: None) -> None:
    for n in range(2):
        Api().post("/api/v1/auth/signup", {"username": f"pair{n}", "password": PASSWORD})
    assert fired("shared_address") == {}


def test_a_new_account_asking_for_a_lot(alice: User, bob: User) -> None:
    for quantity in (15, 10):
        create_post(owner=alice, draft=draft(item="rice", category="food", quantity=quantity))
        create_post(owner=bob, draft=draft(item="rice", category="food", quantity=quantity))
    User.objects.filter(pk=bob.pk).update(date_joined=timezone.now() - timedelta(days=30))
    assert list(fired("new_account_asks")) == [alice.pk]


def test_the_console_shows_signals_with_evidence_and_a_way_to_act(alice: User) -> None:
    for _ in range(3):
        create_post(owner=alice, draft=draft(quantity=4))
    client = Client()
    client.force_login(moderator())
    page = client.get("/moderation", headers={"Accept-Language": "en"}).content.decode()
    assert "Many needs for scarce items" in page
    assert f'href="/moderation/user/{alice.pk}"' in page
    outsider = Client()
    outsider.force_login(alice)
    assert outsider.get("/moderation").status_code == 404
