"""Issue 5's "done when": a new person verifies by phone through the outbox and sees TL1,
with what is still missing for TL2, on the API and on their trust page."""

from django.test import Client
from django.urls import reverse

from huzhu.conftest import PASSWORD, Api
from huzhu.trust.tests.helpers import confirm, last_code, start


def test_a_newcomer_verifies_by_phone_and_sees_tl1_with_tl2s_missing_criteria(api: Api) -> None:
    signed_up = api.post("/api/v1/auth/signup", {"username": "newcomer", "password": PASSWORD})
    assert signed_up.status_code == 201
    token = api.post("/api/v1/auth/token", {"username": "newcomer", "password": PASSWORD})
    me = Api(token.json()["token"])
    assert me.get("/api/v1/me/trust").json()["level"] == 0

    started = start(me, "phone", "139 0000 1111")
    assert started.status_code == 201
    code = last_code("+8613900001111")  # read as a person would: `huzhu outbox --to ...`
    assert confirm(me, started.json()["id"], code).status_code == 200

    trust = me.get("/api/v1/me/trust").json()
    assert (trust["level"], trust["name"], trust["verified_methods"]) == (1, "Verified", ["phone"])
    assert trust["next_level"]["level"] == 2
    missing = {c["code"]: c["text"] for c in trust["next_level"]["missing"]}
    assert missing == {
        "completed_exchanges": "completed exchanges 0 / 3",
        "account_days": "days since you joined 0 / 7",
        "good_reviews": "good reviews from members in good standing 0 / 1",
    }

    client = Client()
    assert (
        client.post(reverse("login"), {"username": "newcomer", "password": PASSWORD}).status_code
        == 302
    )
    page = client.get(reverse("trust")).content.decode()
    assert "You are TL1: Verified" in page
    assert "Still missing for TL2 (Member)" in page
    for text in missing.values():
        assert text in page
