"""The exchange pages: respond from the post page, act, talk, the inbox — without JavaScript."""

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.exchanges.models import Exchange, NoShow, Notification
from huzhu.exchanges.relay import post_message
from huzhu.exchanges.services import accept_exchange, cancel_exchange
from huzhu.exchanges.tests.conftest import post_of, reload
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.trust.tests.helpers import mark_email_verified
from huzhu.web.tests.helpers import inline_code

XSS = "<script>alert(1)</script>"
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"
PHONE = "13812345678"


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def page(client: Client, exchange: Exchange) -> str:
    r = client.get(f"/exchanges/{exchange.pk}")
    assert r.status_code == 200
    html: str = r.content.decode()
    assert inline_code(html) == []
    return html


# --- Responding from the post page -------------------------------------------------------


def test_the_post_page_offers_a_respond_form(client: Client, alices_need: Post, bob: User) -> None:
    html = as_user(client, bob).get(f"/posts/{alices_need.pk}").content.decode()
    assert f'action="/posts/{alices_need.pk}/respond"' in html
    assert "I can give this" in html
    r = client.post(f"/posts/{alices_need.pk}/respond", {"quantity": "2", "message": "Tonight?"})
    exchange = Exchange.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/exchanges/{exchange.pk}"
    assert (exchange.giver, exchange.quantity) == (bob, 2)
    html = client.get(f"/posts/{alices_need.pk}").content.decode()
    assert f'href="/exchanges/{exchange.pk}"' in html
    assert f'action="/posts/{alices_need.pk}/respond"' not in html  # one live exchange


def test_visitors_are_asked_to_log_in(client: Client, alices_need: Post) -> None:
    html = client.get(f"/posts/{alices_need.pk}").content.decode()
    assert "Log in to respond" in html
    assert "/respond" not in html
    r = client.post(f"/posts/{alices_need.pk}/respond", {"quantity": "1"})
    assert r.status_code == 302
    assert r["Location"].startswith("/login?next=")
    assert Exchange.objects.count() == 0


def test_the_owner_sees_the_responses_instead(
    client: Client, bobs_pledge: Exchange, alice: User
) -> None:
    html = as_user(client, alice).get(f"/posts/{bobs_pledge.post_id}").content.decode()
    assert "Responses" in html
    assert f'href="/exchanges/{bobs_pledge.pk}"' in html
    assert "/respond" not in html


def test_a_refused_response_says_why(client: Client, alices_need: Post, alice: User) -> None:
    r = as_user(client, alice).post(f"/posts/{alices_need.pk}/respond", {"quantity": "1"})
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "your own post" in html
    assert Exchange.objects.count() == 0


def test_a_response_to_a_withdrawn_post_is_not_found(
    client: Client, alices_need: Post, bob: User
) -> None:
    Post.objects.filter(pk=alices_need.pk).update(status="withdrawn", rank=None)
    r = as_user(client, bob).post(f"/posts/{alices_need.pk}/respond", {"quantity": "1"})
    assert r.status_code == 404


# --- The exchange page ---------------------------------------------------------------


def test_only_the_two_people_see_the_exchange_page(
    client: Client, bobs_pledge: Exchange, alice: User, bob: User, charlie: User
) -> None:
    r = client.get(f"/exchanges/{bobs_pledge.pk}")
    assert r.status_code == 302
    assert r["Location"].startswith("/login?next=")
    assert as_user(Client(), charlie).get(f"/exchanges/{bobs_pledge.pk}").status_code == 404
    html = page(as_user(Client(), bob), bobs_pledge)
    assert "You give 2 tablets to Alice" in html
    assert "I have some." in html
    assert "/accept" not in html  # bob responded; only alice accepts
    html = page(as_user(Client(), alice), bobs_pledge)
    assert "Bob gives you 2 tablets" in html
    assert f'action="/exchanges/{bobs_pledge.pk}/accept"' in html
    assert f'action="/exchanges/{bobs_pledge.pk}/decline"' in html


def test_the_owner_accepts_with_a_form(client: Client, bobs_pledge: Exchange, alice: User) -> None:
    r = as_user(client, alice).post(f"/exchanges/{bobs_pledge.pk}/accept")
    assert r.status_code == 302
    assert reload(bobs_pledge).status == "accepted"
    assert post_of(bobs_pledge).status == "pledged"
    html = client.get(r["Location"]).content.decode()
    assert "Accepted. The quantity is set aside" in html
    assert "Did the hand-over happen?" in html  # alice receives


def test_the_wrong_side_and_the_wrong_state_are_refused(
    client: Client, bobs_pledge: Exchange, alice: User, bob: User, charlie: User
) -> None:
    r = as_user(client, bob).post(f"/exchanges/{bobs_pledge.pk}/accept")
    assert r.status_code == 403
    assert "Only the post&#x27;s owner" in r.content.decode()
    r = as_user(Client(), alice).post(
        f"/exchanges/{bobs_pledge.pk}/complete", {"handover_happened": "yes"}
    )
    assert r.status_code == 409
    r = as_user(Client(), alice).post(f"/exchanges/{bobs_pledge.pk}/complete", {})
    assert r.status_code == 422
    assert as_user(Client(), charlie).post(f"/exchanges/{bobs_pledge.pk}/accept").status_code == 404
    assert as_user(Client(), alice).post(f"/exchanges/{bobs_pledge.pk}/explode").status_code == 404
    assert as_user(Client(), alice).get(f"/exchanges/{bobs_pledge.pk}/accept").status_code == 405
    assert reload(bobs_pledge).status == "proposed"


def test_cancelling_needs_a_reason(client: Client, bobs_pledge: Exchange, bob: User) -> None:
    as_user(client, bob)
    r = client.post(f"/exchanges/{bobs_pledge.pk}/cancel", {"reason": ""})
    assert r.status_code == 422
    assert reload(bobs_pledge).status == "proposed"
    r = client.post(f"/exchanges/{bobs_pledge.pk}/cancel", {"reason": "My car broke down"})
    assert r.status_code == 302
    assert reload(bobs_pledge).status == "cancelled"
    html = page(client, bobs_pledge)
    assert "My car broke down" in html
    assert "read-only" in html
    assert 'hx-trigger="every' not in html  # an ended thread is not polled


NOT_HAPPENED = {"handover_happened": "no", "reason": "Nobody came.", "confirm": "on"}


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ({"handover_happened": "yes"}, "completed"),
        ({"handover_happened": "not-yet"}, "accepted"),
        (NOT_HAPPENED, "cancelled"),
    ],
)
def test_the_receiver_answers_whether_the_hand_over_happened(
    client: Client, bobs_pledge: Exchange, alice: User, answer: dict[str, str], status: str
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    r = as_user(client, alice).post(f"/exchanges/{bobs_pledge.pk}/complete", answer)
    assert r.status_code == 302
    assert reload(bobs_pledge).status == status
    assert NoShow.objects.exists() is (status == "cancelled")


@pytest.mark.parametrize(
    "missing",
    [{"reason": ""}, {"confirm": ""}],
)
def test_it_did_not_happen_asks_for_a_reason_and_a_confirmation(
    client: Client, bobs_pledge: Exchange, alice: User, missing: dict[str, str]
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    answer = {k: v for k, v in {**NOT_HAPPENED, **missing}.items() if v}
    r = as_user(client, alice).post(
        f"/exchanges/{bobs_pledge.pk}/complete", answer, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422
    assert "tick the box to confirm" in r.content.decode()
    assert reload(bobs_pledge).status == "accepted"
    assert not NoShow.objects.exists()


def test_the_giver_says_it_was_handed_over(
    client: Client, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    accept_exchange(exchange=bobs_pledge, actor=alice)
    html = page(as_user(client, bob), bobs_pledge)
    assert f'action="/exchanges/{bobs_pledge.pk}/handed-over"' in html
    client.post(f"/exchanges/{bobs_pledge.pk}/handed-over", {"handover_happened": "yes"})
    assert reload(bobs_pledge).handed_over_at is not None


# --- The relay on the page -------------------------------------------------------------


def test_messages_are_written_masked_and_escaped(
    client: Client, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    as_user(client, bob)
    r = client.post(f"/exchanges/{bobs_pledge.pk}/messages", {"body": f"{XSS} call {PHONE}"})
    assert r.status_code == 302
    assert r["Location"] == f"/exchanges/{bobs_pledge.pk}#thread"
    html = page(as_user(Client(), alice), bobs_pledge)
    assert ESCAPED_XSS in html
    assert XSS not in html
    assert PHONE not in html
    assert "[contact hidden]" in html


def test_an_empty_message_is_refused(client: Client, bobs_pledge: Exchange, bob: User) -> None:
    r = as_user(client, bob).post(f"/exchanges/{bobs_pledge.pk}/messages", {"body": ""})
    assert r.status_code == 422
    assert bobs_pledge.messages.count() == 1


def test_htmx_polls_the_thread(client: Client, bobs_pledge: Exchange, alice: User) -> None:
    as_user(client, alice)
    html = page(client, bobs_pledge)
    assert f'hx-get="/exchanges/{bobs_pledge.pk}/messages"' in html
    assert 'hx-trigger="every 5s"' in html
    fragment = client.get(f"/exchanges/{bobs_pledge.pk}/messages", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.content.decode().startswith('<div id="thread-messages"')
    assert "I have some." in fragment.content.decode()
    plain = client.get(f"/exchanges/{bobs_pledge.pk}/messages")
    assert plain.status_code == 302  # without htmx: the page itself


def test_outsiders_cannot_read_or_write_the_thread(
    client: Client, bobs_pledge: Exchange, charlie: User
) -> None:
    as_user(client, charlie)
    path = f"/exchanges/{bobs_pledge.pk}/messages"
    assert client.get(path, headers={"HX-Request": "true"}).status_code == 404
    assert client.post(path, {"body": "hi"}).status_code == 404
    assert bobs_pledge.messages.count() == 1


def test_revealing_takes_both(
    client: Client, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    mark_email_verified(alice, "alice@example.org")
    post_message(exchange=bobs_pledge, author=bob, body=f"Call {PHONE}")
    bob_client, alice_client = as_user(Client(), bob), as_user(Client(), alice)
    bob_client.post(f"/exchanges/{bobs_pledge.pk}/reveal-contact")
    assert "alice@example.org" not in page(bob_client, bobs_pledge)
    assert PHONE not in page(alice_client, bobs_pledge)
    assert "Bob would like to share contact details" in page(alice_client, bobs_pledge)
    assert "until you both agree to share contact details" in page(alice_client, bobs_pledge)
    alice_client.post(f"/exchanges/{bobs_pledge.pk}/reveal-contact")
    assert "alice@example.org" in page(bob_client, bobs_pledge)
    assert PHONE in page(alice_client, bobs_pledge)
    # No "once you both agree" after both agreed (issue 14).
    assert "until you both agree" not in page(alice_client, bobs_pledge)


# --- Inbox and public pages ----------------------------------------------------------


def test_the_inbox_lists_notifications_escaped_and_marks_them_read(
    client: Client, alice: User, bob: User
) -> None:
    User.objects.filter(pk=bob.pk).update(display_name=XSS)
    need = create_post(owner=alice, draft=draft(title=f"Need {XSS} wx abc_123"))
    exchange = Exchange.objects.get(
        pk=as_user(Client(), bob)
        .post(f"/posts/{need.pk}/respond", {"quantity": "1"})["Location"]
        .rsplit("/", 1)[1]
    )
    html = as_user(client, alice).get("/me/inbox").content.decode()
    assert inline_code(html) == []
    assert ESCAPED_XSS in html
    assert XSS not in html
    assert "abc_123" not in html
    assert f'href="/exchanges/{exchange.pk}"' in html
    assert "1 unread" in html
    assert client.post("/me/inbox/read").status_code == 302
    assert Notification.objects.filter(user=alice, read_at__isnull=True).count() == 0
    assert "0 unread" in client.get("/me/inbox").content.decode()


def test_opening_the_exchange_marks_its_notifications_read(
    client: Client, bobs_pledge: Exchange, alice: User
) -> None:
    assert Notification.objects.filter(user=alice, read_at__isnull=True).count() == 1
    page(as_user(client, alice), bobs_pledge)
    assert Notification.objects.filter(user=alice, read_at__isnull=True).count() == 0


def test_the_inbox_needs_a_login(client: Client) -> None:
    assert client.get("/me/inbox")["Location"].startswith("/login?next=")
    assert client.post("/me/inbox/read")["Location"].startswith("/login?next=")


def test_public_post_pages_mask_contact_details(client: Client, alice: User) -> None:
    post = create_post(owner=alice, draft=draft(title="Ibuprofen", body=f"Call me on {PHONE}"))
    html = client.get(f"/posts/{post.pk}").content.decode()
    assert PHONE not in html
    assert "Call me on [contact hidden]" in html


def test_the_exchange_page_speaks_chinese(
    client: Client, bobs_pledge: Exchange, alice: User
) -> None:
    as_user(client, alice)
    r = client.get(f"/exchanges/{bobs_pledge.pk}", headers={"Accept-Language": "zh-Hans"})
    assert r.status_code == 200
    assert '<html lang="zh-Hans">' in r.content.decode()


def test_a_cancelled_exchange_shows_no_actions(
    client: Client, bobs_pledge: Exchange, alice: User, bob: User
) -> None:
    cancel_exchange(exchange=bobs_pledge, actor=bob, reason="sorry")
    html = page(as_user(client, alice), bobs_pledge)
    assert "/accept" not in html
    assert "/reveal-contact" not in html
    assert 'action="/exchanges/' not in html
