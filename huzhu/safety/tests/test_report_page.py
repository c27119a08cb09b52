"""Reporting from the web (/report/<type>/<id>): the same rules as POST /api/v1/reports."""

from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import draft, make_user
from huzhu.exchanges.models import Exchange, Message
from huzhu.exchanges.relay import post_message
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.safety.models import Report


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def exchange(alices_need: Post, bob: User) -> Exchange:
    return respond_to_post(post=alices_need, responder=bob, quantity=1, message="I have one.")


def test_a_neighbour_reports_a_post_and_is_thanked(alices_need: Post, bob: User) -> None:
    client = client_of(bob)
    page = client.get(f"/report/post/{alices_need.pk}")
    assert page.status_code == 200
    assert "Report a post" in page.content.decode()
    answer = client.post(
        f"/report/post/{alices_need.pk}", {"reason": "selling", "details": "asks for money"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/posts/{alices_need.pk}"
    report = Report.objects.get()
    assert (report.reporter_id, report.target_type, report.target_id, report.reason) == (
        bob.pk,
        "post",
        alices_need.pk,
        "selling",
    )
    followed = client.get(answer["Location"])
    assert "The moderators will look at it" in followed.content.decode()


def test_the_post_page_offers_reporting_to_others_only(alices_need: Post, alice: User) -> None:
    link = f'href="/report/post/{alices_need.pk}"'
    assert link in client_of(make_user("dora")).get(f"/posts/{alices_need.pk}").content.decode()
    assert link not in client_of(alice).get(f"/posts/{alices_need.pk}").content.decode()
    assert link not in Client().get(f"/posts/{alices_need.pk}").content.decode()


def test_the_owner_is_told_they_cannot_report_their_own_post(
    alices_need: Post, alice: User
) -> None:
    answer = client_of(alice).post(f"/report/post/{alices_need.pk}", {"reason": "spam"})
    assert answer.status_code == 422
    assert "You cannot report yourself" in answer.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("form", "field_error"),
    [
        ({}, "This field is required."),
        ({"reason": "gossip"}, "Select a valid choice."),
        ({"reason": "other"}, "Tell the moderators what is wrong."),
        ({"reason": "spam", "details": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_a_bad_form_names_its_problem_and_files_nothing(
    alices_need: Post, bob: User, form: dict[str, Any], field_error: str
) -> None:
    answer = client_of(bob).post(f"/report/post/{alices_need.pk}", form)
    assert answer.status_code == 422
    assert field_error in answer.content.decode()
    assert not Report.objects.exists()


def test_a_second_report_of_the_same_post_is_refused(alices_need: Post, bob: User) -> None:
    client = client_of(bob)
    client.post(f"/report/post/{alices_need.pk}", {"reason": "spam"})
    again = client.post(f"/report/post/{alices_need.pk}", {"reason": "fraud"})
    assert again.status_code == 409
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1


def test_a_message_is_reported_by_the_other_person_in_the_exchange(
    exchange: Exchange, alice: User, bob: User
) -> None:
    message = post_message(exchange=exchange, author=bob, body="You are an idiot")
    thread = client_of(alice).get(f"/exchanges/{exchange.pk}").content.decode()
    assert f'href="/report/message/{message.pk}"' in thread
    answer = client_of(alice).post(f"/report/message/{message.pk}", {"reason": "fraud"})
    assert answer.status_code == 302
    assert answer["Location"] == f"/exchanges/{exchange.pk}"
    assert Report.objects.get().target_type == "message"


def test_outsiders_and_unknown_targets_get_not_found(
    exchange: Exchange, bob: User, charlie: User
) -> None:
    message = Message.objects.get(exchange=exchange)  # bob's response message
    outsider = client_of(charlie)
    assert outsider.get(f"/report/message/{message.pk}").status_code == 404
    assert outsider.post(f"/report/message/{message.pk}", {"reason": "spam"}).status_code == 404
    assert outsider.get("/report/post/999999").status_code == 404
    assert outsider.get(f"/report/user/{bob.pk}").status_code == 404  # people: by the API
    assert not Report.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in(alices_need: Post) -> None:
    answer = Client().get(f"/report/post/{alices_need.pk}")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/login")


def test_reporting_is_rate_limited_per_account(
    alices_need: Post, charlie: User, bob: User, settings: Any
) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 0.05  # 20 an hour becomes 1
    charlies_need = create_post(owner=charlie, draft=draft(title="Need a thermometer"))
    client = client_of(bob)
    assert client.post(f"/report/post/{alices_need.pk}", {"reason": "spam"}).status_code == 302
    slowed = client.post(f"/report/post/{charlies_need.pk}", {"reason": "spam"})
    assert slowed.status_code == 429
    assert int(slowed["Retry-After"]) > 0
    assert Report.objects.count() == 1
