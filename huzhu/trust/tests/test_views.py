"""The verification and trust pages, without JavaScript."""

from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.trust.models import Verification
from huzhu.trust.tests.helpers import PHONE, last_code, mark_email_verified, sent_on_commit


def test_a_person_verifies_their_phone_on_the_web(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert "TL0" in client.get("/me/trust").content.decode()
    with sent_on_commit():
        r = client.post("/me/verify", {"method": "phone", "address": "13812345678"})
    verification = Verification.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/me/verify/{verification.pk}"
    assert client.get(r["Location"]).status_code == 200
    wrong = client.post(r["Location"], {"code": "abc"})
    assert wrong.status_code == 422
    assert "4 tries left" in wrong.content.decode()
    r = client.post(r["Location"], {"code": last_code(PHONE)})
    assert r.status_code == 302
    page = client.get("/me/trust").content.decode()
    assert "TL1" in page
    assert "completed exchanges 0 / 3" in page


def test_the_verify_form_shows_what_is_wrong(client: Client, alice: User) -> None:
    client.force_login(alice)
    r = client.post("/me/verify", {"method": "phone", "address": "123"})
    assert r.status_code == 422
    assert "does not look like a phone number" in r.content.decode()
    assert client.post("/me/verify", {"method": "fax"}).status_code == 422
    client.post("/me/verify", {"method": "email", "address": "alice@example.org"})
    r = client.post("/me/verify", {"method": "email", "address": "alice@example.org"})
    assert r.status_code == 429
    assert "seconds" in r.content.decode()


def test_someone_elses_verification_page_is_not_found(
    client: Client, alice: User, bob: User
) -> None:
    client.force_login(alice)
    client.post("/me/verify", {"method": "email", "address": "alice@example.org"})
    verification = Verification.objects.get()
    client.force_login(bob)
    assert client.get(f"/me/verify/{verification.pk}").status_code == 404
    assert client.post(f"/me/verify/{verification.pk}", {"code": "1"}).status_code == 404


def test_the_pages_need_a_login(client: Client) -> None:
    for path in ("/me/trust", "/me/verify", "/me/verify/1"):
        assert client.get(path).status_code == 302


def test_posts_and_exchanges_show_the_owners_badge(client: Client, alice: User, bob: User) -> None:
    mark_email_verified(alice, "alice@example.org")
    need = create_post(owner=alice, draft=draft())
    page = client.get(f"/posts/{need.pk}").content.decode()
    # Plain words, the level number only in a tooltip (issue 14).
    assert '<span title="TL1">Verified</span> · 0 exchanges completed' in page
    assert "TL1 Verified" not in page and "Verified · Verified" not in page
    assert '<span title="TL1">Verified</span>' in client.get("/").content.decode()  # cards
    exchange = respond_to_post(post=need, responder=bob, quantity=1, message="")
    client.force_login(bob)
    page = client.get(f"/exchanges/{exchange.pk}").content.decode()
    assert '<span title="TL1">Verified</span>' in page
    assert isinstance(exchange, Exchange)
