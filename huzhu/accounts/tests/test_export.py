"""The data export: all of the caller's own data, and nobody else's personal data."""

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from huzhu.accounts.export import pseudonym
from huzhu.accounts.models import User
from huzhu.conftest import Api, draft, make_user
from huzhu.exchanges.relay import post_message
from huzhu.exchanges.services import accept_exchange, mark_handed_over, respond_to_post
from huzhu.exchanges.tests.conftest import reload
from huzhu.posts.models import Post
from huzhu.posts.services import create_post
from huzhu.safety.appeals import file_appeal
from huzhu.safety.reports import file_report
from huzhu.safety.sanctions import impose_sanction
from huzhu.trust.reviews import write_review
from huzhu.trust.tests.reviewing import completed


def world(alices_need: Post, alice: User, bob: User) -> None:
    bob.email = "bob.private@example.org"
    bob.display_name = "Bob Uniquename"
    bob.save()
    exchange = respond_to_post(
        post=alices_need, responder=bob, quantity=1, message="Bob's secret words"
    )
    post_message(exchange=exchange, author=alice, body="Alice says thanks at the gate")
    file_report(reporter=alice, target_type="user", target_id=bob.pk, reason="spam")


def test_the_export_holds_my_data_and_not_my_counterparts(
    api: Api, alices_need: Post, alice: User, bob: User
) -> None:
    world(alices_need, alice, bob)
    r = api.as_user(alice).get("/api/v1/me/export")
    assert r.status_code == 200, r.content
    data: dict[str, Any] = r.json()
    assert data["profile"]["username"] == "alice"
    [post] = data["posts"]
    assert (post["id"], post["lat"], post["lng"]) == (
        alices_need.pk,
        alices_need.lat,
        alices_need.lng,
    )
    assert [h["to"] for h in post["history"]] == ["open"]
    [exchange] = data["exchanges"]
    assert exchange["role"] == "receiver"
    assert exchange["counterpart"].startswith("person-")
    assert [m["body"] for m in data["messages"]] == ["Alice says thanks at the gate"]
    assert data["reports_filed"][0]["reason"] == "spam"
    text = r.content.decode()
    for bobs in ("bob.private@example.org", "Bob Uniquename", "Bob's secret words", '"bob"'):
        assert bobs not in text, bobs


def test_a_counterparts_pseudonym_differs_between_two_peoples_exports(
    api: Api, alices_need: Post, alice: User, bob: User
) -> None:
    world(alices_need, alice, bob)
    alices = api.as_user(alice).get("/api/v1/me/export").json()
    bobs = api.as_user(bob).get("/api/v1/me/export").json()
    assert alices["exchanges"][0]["counterpart"] != bobs["exchanges"][0]["counterpart"]
    assert bobs["exchanges"][0]["role"] == "giver"
    assert [m["body"] for m in bobs["messages"]] == ["Bob's secret words"]


def test_reviews_given_are_exported_and_received_ones_once_revealed(
    api: Api, alice: User, bob: User
) -> None:
    exchange = completed(bob, alice)
    write_review(exchange=exchange, reviewer=bob, score=4, comment="Bob's private view")
    alices = api.as_user(alice).get("/api/v1/me/export").json()
    assert alices["reviews_received"] == []  # double-blind: alice has not reviewed yet
    assert "Bob's private view" not in str(alices)
    write_review(exchange=exchange, reviewer=alice, score=5, thanks="Thank you")
    alices = api.as_user(alice).get("/api/v1/me/export").json()
    [given] = alices["reviews_given"]
    assert (given["score"], given["thanks"], given["exchange_id"]) == (5, "Thank you", exchange.pk)
    assert given["reviewed"].startswith("person-")
    [received] = alices["reviews_received"]
    assert (received["score"], received["comment"]) == (4, "Bob's private view")
    assert received["reviewer"] == alices["exchanges"][0]["counterpart"]


def test_visitors_get_nothing(api: Api, client: Client) -> None:
    assert api.get("/api/v1/me/export").status_code == 401
    page = client.get(reverse("export_download"))
    assert page.status_code == 302


def test_the_web_download_is_a_json_file(client: Client, alice: User, alices_need: Post) -> None:
    client.force_login(alice)
    page = client.get(reverse("export_download"))
    assert page.status_code == 200
    assert page["Content-Disposition"].startswith('attachment; filename="huzhu-')
    assert json.loads(page.content)["posts"][0]["id"] == alices_need.pk


def test_the_export_holds_my_sanctions_and_appeals_without_the_moderator(
    api: Api, alice: User
) -> None:
    mo = make_user("modesto")
    User.objects.filter(pk=mo.pk).update(is_staff=True, display_name="Modesto Uniquename")
    warning = impose_sanction(moderator=mo, user=alice, kind="warn", rule="spam", reason="ads")
    file_appeal(user=alice, sanction=warning, message="It was a charity link")
    r = api.as_user(alice).get("/api/v1/me/export")
    assert r.status_code == 200, r.content
    [sanction] = r.json()["sanctions"]
    assert (sanction["kind"], sanction["rule"], sanction["reason"]) == ("warn", "spam", "ads")
    assert sanction["appeal"]["messages"][0]["body"] == "It was a charity link"
    assert "Modesto" not in r.content.decode() and "modesto" not in r.content.decode()


def test_what_others_wrote_is_masked_and_no_shows_about_me_are_listed(
    api: Api, alice: User, bob: User
) -> None:
    exchange = completed(bob, alice)
    write_review(
        exchange=exchange,
        reviewer=bob,
        score=5,
        comment="Call me on 13812345678",
        thanks="Write to bob.private@example.org",
    )
    write_review(exchange=exchange, reviewer=alice, score=5)
    need = create_post(owner=alice, draft=draft(quantity=1))
    missed = respond_to_post(post=need, responder=bob, quantity=1, message="")
    accept_exchange(exchange=missed, actor=alice)
    mark_handed_over(exchange=reload(missed), actor=bob, handover_happened=False)
    alices = api.as_user(alice).get("/api/v1/me/export")
    assert "13812345678" not in alices.content.decode()
    assert "bob.private@example.org" not in alices.content.decode()
    [received] = alices.json()["reviews_received"]
    assert received["comment"].startswith("Call me on ") and received["comment"] != (
        "Call me on 13812345678"
    )
    [no_show] = alices.json()["no_shows_about_me"]
    assert no_show["exchange_id"] == missed.pk
    assert no_show["reported_by"] == pseudonym(alice, bob.pk)
    bobs = api.as_user(bob).get("/api/v1/me/export").json()
    assert bobs["no_shows_about_me"] == []
    assert [n["exchange_id"] for n in bobs["no_shows_i_reported"]] == [missed.pk]
    # What alice wrote herself stays as she wrote it.
    assert bobs["reviews_given"][0]["comment"] == "Call me on 13812345678"
