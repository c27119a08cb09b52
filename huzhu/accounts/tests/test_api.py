"""The accounts contract: sign-up, bearer tokens, who am I — and every "no"."""

import secrets
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import ApiToken, User
from huzhu.conftest import BEIJING, PASSWORD, Api

STRONG = "plum blossom under snow 42"
# The smallest valid post: the session/CSRF tests need one unsafe endpoint that takes both.
POST: dict[str, Any] = {
    "kind": "need",
    "title": "Need drinking water",
    "category": "supplies",
    "quantity": 2,
    "lat": BEIJING[0],
    "lng": BEIJING[1],
}


def signup(api: Api, **fields: Any) -> Any:
    return api.post("/api/v1/auth/signup", {"username": "dora", "password": STRONG, **fields})


def field_errors(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


# --- sign-up ------------------------------------------------------------------------------


def test_it_signs_up(api: Api) -> None:
    r = signup(api)
    assert r.status_code == 201, r.content
    user = User.objects.get(username="dora")
    assert r.json() == {"id": user.pk, "username": "dora"}
    assert user.check_password(STRONG)


def test_it_hashes_passwords_with_argon2(api: Api) -> None:
    signup(api)
    assert User.objects.get(username="dora").password.startswith("argon2")


def test_it_gives_a_pseudonym_when_no_display_name_is_chosen(api: Api) -> None:
    signup(api)
    user = User.objects.get(username="dora")
    assert user.display_name
    assert "dora" not in user.display_name.casefold()


def test_it_keeps_a_chosen_display_name(api: Api) -> None:
    signup(api, display_name="Auntie Wang")
    assert User.objects.get(username="dora").display_name == "Auntie Wang"


@pytest.mark.parametrize("display_name", ["dora", "DORA", " Dora "])
def test_it_refuses_a_display_name_that_reveals_the_username(api: Api, display_name: str) -> None:
    r = signup(api, display_name=display_name)
    assert r.status_code == 422
    assert field_errors(r) == ["display_name"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "display_name",
    [
        "Huzhu Staff",
        "huzhu_staff",
        "HuzhuStaff",
        "H u z h u",
        "互助管理员 (official)",
        "官方",
        "社区客服小李",
        "版主",
        "admin",
        "ＡＤＭＩＮ",
        "Moderator Mei",
        "m0derator",
        "Support Team",
        "Kind\u202eHeron",  # right-to-left override
        "Kind\u2066Heron\u2069",  # isolate
        "Kind\u200bHeron",  # zero-width space
        "Kind\u200dHeron",  # zero-width joiner
        "\ufeffKind Heron",
        "Kind\u3164Heron",  # Hangul filler: a letter that shows as nothing
    ],
)
def test_it_refuses_a_display_name_that_passes_for_staff_or_hides_characters(
    api: Api, display_name: str
) -> None:
    r = signup(api, display_name=display_name)
    assert r.status_code == 422, display_name
    assert field_errors(r) == ["display_name"]
    assert not User.objects.exists()


@pytest.mark.parametrize("display_name", ["Badminton Bob", "王阿姨", "Auntie Modesty", "李 明"])
def test_ordinary_names_that_contain_a_reserved_word_stay_allowed(
    api: Api, display_name: str
) -> None:
    assert signup(api, display_name=display_name).status_code == 201


def test_the_refusal_is_translated(api: Api) -> None:
    r = api.post(
        "/api/v1/auth/signup",
        {"username": "dora", "password": STRONG, "display_name": "官方"},
        headers={"Accept-Language": "zh-Hans"},
    )
    assert r.status_code == 422
    assert "代表互助" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize("username", ["alice", "ALICE", "Alice"])
def test_it_refuses_a_taken_username(api: Api, alice: User, username: str) -> None:
    r = signup(api, username=username)
    assert r.status_code == 409
    assert r.json()["code"] == "username_taken"
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("dora", "short1"),
        ("dora", "password123"),
        ("dora", "12345678901234"),
        ("dorothea", "dorothea1"),
    ],
    ids=["too-short", "common", "numeric", "like-the-username"],
)
def test_it_refuses_a_weak_password(api: Api, username: str, password: str) -> None:
    r = signup(api, username=username, password=password)
    assert r.status_code == 422, r.content
    assert r.json()["code"] == "invalid"
    assert field_errors(r) == ["password"]
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["dora smith", "dora!", "<b>dora</b>", "do", "d" * 41])
def test_it_refuses_a_bad_username(api: Api, username: str) -> None:
    r = signup(api, username=username)
    assert r.status_code == 422
    assert field_errors(r) == ["username"]


def test_it_refuses_an_unknown_locale(api: Api) -> None:
    r = signup(api, locale="fr")
    assert r.status_code == 422
    assert field_errors(r) == ["locale"]


def test_it_names_a_missing_field(api: Api) -> None:
    r = api.post("/api/v1/auth/signup", {"username": "dora"})
    assert r.status_code == 422
    assert field_errors(r) == ["password"]


def test_it_answers_malformed_json_with_422(api: Api) -> None:
    r = api.post("/api/v1/auth/signup", '{"username": "dora",')
    assert r.status_code == 422
    assert set(r.json()) >= {"detail", "code"}


# --- tokens -------------------------------------------------------------------------------


def test_it_issues_a_token_for_the_right_password(api: Api, alice: User) -> None:
    r = api.post("/api/v1/auth/token", {"username": "Alice", "password": PASSWORD})
    assert r.status_code == 200
    token = r.json()["token"]
    assert list(r.json()) == ["token"]
    me = Api(token).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["id"] == alice.pk


def test_it_stores_only_a_hash_of_the_token(api: Api, alice: User) -> None:
    token = api.post("/api/v1/auth/token", {"username": "alice", "password": PASSWORD}).json()
    stored = ApiToken.objects.get(user=alice)
    assert token["token"] not in (stored.key_hash, stored.prefix)


def test_it_answers_a_wrong_password_and_an_unknown_user_alike(api: Api, alice: User) -> None:
    wrong = api.post("/api/v1/auth/token", {"username": "alice", "password": "not it at all"})
    unknown = api.post("/api/v1/auth/token", {"username": "nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "unauthenticated"
    assert not ApiToken.objects.exists()


def test_it_refuses_a_token_to_an_inactive_user(api: Api, alice: User) -> None:
    alice.is_active = False
    alice.save()
    r = api.post("/api/v1/auth/token", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 401


def test_it_revokes_the_token_a_request_carries(api: Api, alice: User) -> None:
    first, second = api.as_user(alice), api.as_user(alice)
    assert first.delete("/api/v1/auth/token").status_code == 204
    r = first.get("/api/v1/me")
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Bearer"
    assert second.get("/api/v1/me").status_code == 200  # revocation is per token


def test_it_refuses_to_revoke_without_a_token(api: Api) -> None:
    assert api.delete("/api/v1/auth/token").status_code == 401


# --- me -----------------------------------------------------------------------------------


def test_it_tells_a_bearer_who_they_are(api: Api, alice: User) -> None:
    r = api.as_user(alice).get("/api/v1/me")
    assert r.status_code == 200
    body = r.json()
    assert (body["id"], body["username"], body["display_name"]) == (alice.pk, "alice", "Alice")
    assert "password" not in body


@pytest.mark.parametrize("header", [None, "Bearer hz_not-a-real-token", "Basic YWxpY2U6eA=="])
def test_it_refuses_me_without_a_valid_token(api: Api, alice: User, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = api.get("/api/v1/me", headers=headers)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Bearer"
    assert r.json()["code"] == "unauthenticated"


def test_it_refuses_a_token_of_a_deactivated_user(api: Api, alice: User) -> None:
    client = api.as_user(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get("/api/v1/me").status_code == 401


# --- the web session and CSRF ---------------------------------------------------------------


def csrf_client(user: User | None = None) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    token = secrets.token_hex(16)  # a valid unmasked CSRF secret
    client.cookies["csrftoken"] = token
    return client, token


def test_it_accepts_a_session_for_reads(alice: User) -> None:
    client, _ = csrf_client(alice)
    assert client.get("/api/v1/me").json()["id"] == alice.pk


def test_it_refuses_an_unsafe_session_request_without_a_csrf_token(alice: User) -> None:
    client, _ = csrf_client(alice)
    r = client.post("/api/v1/posts", POST, content_type="application/json")
    assert r.status_code == 403
    assert "code" in r.json()


def test_it_allows_an_unsafe_session_request_with_the_csrf_token(alice: User) -> None:
    client, token = csrf_client(alice)
    r = client.post(
        "/api/v1/posts", POST, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert r.status_code == 201, r.content


def test_it_needs_no_csrf_token_with_a_bearer(alice: User) -> None:
    client, _ = csrf_client(alice)
    bearer = Api().as_user(alice).token
    r = client.post(
        "/api/v1/posts",
        POST,
        content_type="application/json",
        headers={"Authorization": f"Bearer {bearer}"},
    )
    assert r.status_code == 201, r.content


@pytest.mark.parametrize("header", [None, "Bearer hz_not-a-real-token"])
@pytest.mark.django_db
def test_it_answers_an_anonymous_unsafe_request_with_401(header: str | None) -> None:
    # Without a logged-in session there is nothing for CSRF to protect: the answer is
    # "authenticate", not "forbidden".
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": header} if header else {}
    r = client.post("/api/v1/posts", POST, content_type="application/json", headers=headers)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Bearer"
