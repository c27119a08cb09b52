"""Reports: what may be reported, by whom, and that nothing is filed twice or lost."""

from typing import Any

import pytest

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.models import Exchange, Message
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.models import Post
from huzhu.posts.services import set_status_by_owner
from huzhu.safety.models import Report


@pytest.fixture
def bobs_pledge(alices_need: Post, bob: User) -> Exchange:
    return respond_to_post(post=alices_need, responder=bob, quantity=1, message="I have some.")


def report(api: Api, user: User, target_type: str, target_id: int, **extra: Any) -> Any:
    body = {"target_type": target_type, "target_id": target_id, "reason": "selling", **extra}
    return api.as_user(user).post("/api/v1/reports", body)


def test_a_neighbour_reports_a_post_and_it_waits_for_the_moderators(
    api: Api, alices_need: Post, charlie: User
) -> None:
    r = report(api, charlie, "post", alices_need.pk, details="Asked me for money")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "open"
    saved = Report.objects.get()
    assert (saved.reporter, saved.target_id, saved.weight) == (charlie, alices_need.pk, 1.0)
    assert saved.details == "Asked me for money"


def test_the_same_report_twice_is_a_conflict(api: Api, alices_need: Post, charlie: User) -> None:
    assert report(api, charlie, "post", alices_need.pk).status_code == 201
    again = report(api, charlie, "post", alices_need.pk, reason="fraud")
    assert again.status_code == 409
    assert again.json()["code"] == "already_reported"
    assert Report.objects.count() == 1


def test_a_message_can_be_reported_only_by_the_other_person_in_its_exchange(
    api: Api, bobs_pledge: Exchange, alice: User, bob: User, charlie: User
) -> None:
    message = Message.objects.get(exchange=bobs_pledge)  # bob's "I have some."
    assert report(api, charlie, "message", message.pk).status_code == 404  # not charlie's
    assert report(api, bob, "message", message.pk).status_code == 422  # his own
    assert report(api, alice, "message", message.pk, reason="harassment").status_code == 201


def test_people_are_reported_by_id_but_not_oneself(api: Api, alice: User, bob: User) -> None:
    assert report(api, bob, "user", alice.pk, reason="fraud").status_code == 201
    assert report(api, alice, "user", alice.pk, reason="fraud").status_code == 422
    assert report(api, alice, "user", 10**9, reason="fraud").status_code == 404


def test_what_the_reporter_cannot_see_does_not_exist(
    api: Api, alices_need: Post, alice: User, charlie: User
) -> None:
    set_status_by_owner(post=alices_need, actor=alice, to_status="withdrawn")  # owner-only now
    assert report(api, charlie, "post", alices_need.pk).status_code == 404
    assert report(api, charlie, "post", 10**9).status_code == 404
    assert report(api, alice, "post", alices_need.pk).status_code == 422  # her own


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_type": "exchange"}, "target_type"),
        ({"reason": "rude"}, "reason"),
        ({"reason": "other"}, "details"),  # "something else" must say what
        ({"details": "x" * 2001}, "details"),
        ({"target_id": 0}, "target_id"),
    ],
)
def test_malformed_reports_name_the_field(
    api: Api, alices_need: Post, charlie: User, change: dict[str, Any], field: str
) -> None:
    body = {"target_type": "post", "target_id": alices_need.pk, "reason": "spam", **change}
    r = api.as_user(charlie).post("/api/v1/reports", body)
    assert r.status_code == 422
    assert field in {error["field"] for error in r.json()["errors"]}
    assert Report.objects.count() == 0


def test_visitors_must_sign_in(api: Api, alices_need: Post) -> None:
    body = {"target_type": "post", "target_id": alices_need.pk, "reason": "spam"}
    assert api.post("/api/v1/reports", body).status_code == 401


def test_a_reporters_record_sets_the_weight(
    api: Api, alices_need: Post, alice: User, charlie: User
) -> None:
    for status in ("upheld", "upheld", "upheld", "upheld", "upheld", "dismissed"):
        Report.objects.create(
            reporter=charlie,
            target_type="user",
            target_id=alice.pk,
            reason="spam",
            weight=1,
            status=status,
            created_at=alices_need.created_at,
        )
    assert report(api, charlie, "post", alices_need.pk).status_code == 201
    assert Report.objects.get(status="open").weight == 3.0  # 1 + TL0 + min(2, 0.5 * (5 - 1))


def test_reports_are_rate_limited(
    api: Api, alices_need: Post, alice: User, charlie: User, settings: Any
) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 0.05  # one report an hour
    assert report(api, charlie, "post", alices_need.pk).status_code == 201
    assert report(api, charlie, "user", alice.pk).status_code == 429
