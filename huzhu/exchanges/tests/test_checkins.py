""" "Still needed?": the sweeps' transitions, their idempotency, and the owner's answers."""

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.test import Client

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import Api, draft
from huzhu.exchanges.checkins import (
    answer_checkin,
    ask_due_checkins,
    lapse_due_checkins,
    run_checkins,
)
from huzhu.exchanges.models import CheckIn, Notification
from huzhu.exchanges.notifications import send_due_email
from huzhu.exchanges.relay import post_message
from huzhu.exchanges.services import respond_to_post
from huzhu.exchanges.tests.conftest import make_offer
from huzhu.posts.models import Post
from huzhu.posts.search import SearchParams, search_posts
from huzhu.posts.services import create_post

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ASK_AT = T0 + timedelta(days=3, minutes=1)  # HUZHU_CHECKIN_AFTER_DAYS = 3
LAPSE_AT = ASK_AT + timedelta(days=2, minutes=1)  # HUZHU_CHECKIN_WINDOW_DAYS = 2


def history(post: Post) -> list[tuple[str, str]]:
    return [(h.to_status, h.reason) for h in post.status_history.order_by("at", "id")]


def status(post: Post) -> str:
    return Post.objects.get(pk=post.pk).status


def quiet_need(owner: User, **overrides: object) -> Post:
    with time_machine.travel(T0, tick=False):
        return create_post(owner=owner, draft=draft(**overrides))


def test_a_quiet_need_is_asked_once(alice: User, bob: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        assert ask_due_checkins() == 0  # not quiet long enough yet
    with time_machine.travel(ASK_AT, tick=False):
        assert ask_due_checkins() == 1
        assert ask_due_checkins() == 0  # a second sweep asks nothing more
    [entry] = Notification.objects.filter(user=alice)
    assert (entry.kind, entry.post_id) == ("checkin", need.pk)
    assert CheckIn.objects.get().outcome == "pending"
    assert Notification.objects.filter(user=bob).count() == 0


def test_offers_and_needs_with_activity_are_not_asked(alice: User, bob: User) -> None:
    with time_machine.travel(T0, tick=False):
        make_offer(alice)
        busy = create_post(owner=alice, draft=draft())
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        exchange = respond_to_post(post=busy, responder=bob, quantity=1, message="")
    with time_machine.travel(ASK_AT, tick=False):
        assert ask_due_checkins() == 0
    with time_machine.travel(ASK_AT + timedelta(days=2), tick=False):
        post_message(exchange=exchange, author=bob, body="still there?")
        assert ask_due_checkins() == 0  # a message in its exchange is activity too


def test_an_unanswered_check_in_makes_the_need_unknown(alice: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    with time_machine.travel(LAPSE_AT - timedelta(hours=1), tick=False):
        assert lapse_due_checkins() == 0
    with time_machine.travel(LAPSE_AT, tick=False):
        assert lapse_due_checkins() == 1
        assert lapse_due_checkins() == 0  # idempotent
        assert run_checkins() == {"lapsed": 0, "asked": 0}  # unknown needs are not asked again
    assert status(need) == "unknown"
    assert history(need) == [("open", "created"), ("unknown", "checkin_unanswered")]
    assert CheckIn.objects.get().outcome == "lapsed"


def test_activity_during_the_window_keeps_the_need_open(alice: User, bob: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    with time_machine.travel(ASK_AT + timedelta(days=1), tick=False):
        respond_to_post(post=need, responder=bob, quantity=1, message="")
    with time_machine.travel(LAPSE_AT, tick=False):
        assert lapse_due_checkins() == 0
    assert status(need) == "open"
    assert CheckIn.objects.get().outcome == "moot"


def test_still_needed_restarts_the_clock(alice: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    with time_machine.travel(ASK_AT + timedelta(hours=5), tick=False):
        answer_checkin(post=need, actor=alice, still_needed=True)
    assert CheckIn.objects.get().outcome == "still_needed"
    assert Notification.objects.get(kind="checkin").read_at is not None
    with time_machine.travel(LAPSE_AT, tick=False):
        assert run_checkins() == {"lapsed": 0, "asked": 0}
    assert status(need) == "open"
    with time_machine.travel(ASK_AT + timedelta(days=3, hours=6), tick=False):
        assert ask_due_checkins() == 1  # quiet again for three days since the answer


def test_answering_late_reopens_an_unknown_need(alice: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    with time_machine.travel(LAPSE_AT, tick=False):
        lapse_due_checkins()
    with time_machine.travel(LAPSE_AT + timedelta(days=1), tick=False):
        answer_checkin(post=need, actor=alice, still_needed=True)
    assert status(need) == "open"
    assert history(need)[-2:] == [
        ("unknown", "checkin_unanswered"),
        ("open", "still_needed"),
    ]


def test_no_longer_needed_withdraws_it(alice: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
        answer_checkin(post=need, actor=alice, still_needed=False)
    assert status(need) == "withdrawn"
    assert history(need)[-1] == ("withdrawn", "not_needed")
    assert CheckIn.objects.get().outcome == "not_needed"


def test_search_ranks_unknown_needs_after_open_ones(alice: User, bob: User) -> None:
    stale = quiet_need(alice, title="Old need", tags=("elderly", "infant"))
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    with time_machine.travel(LAPSE_AT, tick=False):
        lapse_due_checkins()
        fresh = create_post(owner=bob, draft=draft(title="Fresh need", tags=()))
        hits = search_posts(SearchParams(lat=fresh.lat, lng=fresh.lng)).hits
    assert [post.pk for post, _ in hits] == [fresh.pk, stale.pk]


# --- The page -----------------------------------------------------------------------------


def test_the_owner_answers_on_the_post_page(client: Client, alice: User) -> None:
    need = quiet_need(alice)
    client.force_login(alice)
    assert "Do you still need this?" not in client.get(f"/posts/{need.pk}").content.decode()
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    html = client.get(f"/posts/{need.pk}").content.decode()
    assert "Do you still need this?" in html
    assert f'action="/posts/{need.pk}/still-needed"' in html
    inbox = client.get("/me/inbox").content.decode()
    assert f'href="/posts/{need.pk}"' in inbox
    r = client.post(f"/posts/{need.pk}/still-needed", {"answer": "still_needed"})
    assert r.status_code == 302
    assert CheckIn.objects.get().outcome == "still_needed"
    assert "Do you still need this?" not in client.get(f"/posts/{need.pk}").content.decode()


def test_others_cannot_answer_and_bad_answers_change_nothing(
    client: Client, api: Api, alice: User, bob: User
) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    client.force_login(bob)
    assert (
        client.post(f"/posts/{need.pk}/still-needed", {"answer": "not_needed"}).status_code == 404
    )
    assert "Do you still need this?" not in client.get(f"/posts/{need.pk}").content.decode()
    client.force_login(alice)
    r = client.post(f"/posts/{need.pk}/still-needed", {"answer": "maybe"})
    assert r.status_code == 302
    assert status(need) == "open"
    assert CheckIn.objects.get().outcome == "pending"


def test_a_closed_post_cannot_be_kept_open(client: Client, alice: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    client.force_login(alice)
    client.post(f"/posts/{need.pk}/status", {"status": "fulfilled"})
    assert "Do you still need this?" not in client.get(f"/posts/{need.pk}").content.decode()
    r = client.post(f"/posts/{need.pk}/still-needed", {"answer": "still_needed"}, follow=True)
    assert "there is nothing to keep open" in r.content.decode()
    assert status(need) == "fulfilled"


# --- The API ------------------------------------------------------------------------------


def test_the_owner_answers_through_the_api(api: Api, alice: User, bob: User) -> None:
    need = quiet_need(alice)
    with time_machine.travel(ASK_AT, tick=False):
        ask_due_checkins()
    with time_machine.travel(LAPSE_AT, tick=False):
        lapse_due_checkins()
    path = f"/api/v1/posts/{need.pk}/still-needed"
    assert api.as_user(bob).post(path, {"still_needed": False}).status_code == 404
    assert api.post(path, {"still_needed": True}).status_code == 401
    assert api.as_user(alice).post(path, {"still_needed": "perhaps"}).status_code == 422
    r = api.as_user(alice).post(path, {"still_needed": True})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "open"
    assert r.json()["status_history"][-1]["reason"] == "still_needed"
    r = api.as_user(alice).post(path, {"still_needed": False})
    assert (r.status_code, r.json()["status"]) == (200, "withdrawn")
    r = api.as_user(alice).post(path, {"still_needed": True})
    assert (r.status_code, r.json()["code"]) == (409, "illegal_transition")


def test_the_check_in_email_links_to_the_answer(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=alice.pk).update(email="alice@example.org", locale="en")
    need = quiet_need(alice, title="Fever <b>medicine</b>")
    with (
        time_machine.travel(ASK_AT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ask_due_checkins()
        assert send_due_email(user_id=alice.pk) is True
    body = OutboxMessage.objects.get(to="alice@example.org").body
    assert "Is “Fever &lt;b&gt;medicine&lt;/b&gt;” still needed?" in body
    assert f"/posts/{need.pk}#still-needed" in body
