"""Sign-up, log-in and log-out pages."""

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "dora",
    "display_name": "",
    "password": PASSWORD,
    "password_again": PASSWORD,
}


def logged_in_as(client: Client) -> str:
    page = client.get("/").content.decode()
    return "logged in" if 'action="/logout"' in page else "visitor"


def test_it_signs_up_and_logs_in_with_a_pseudonym(client: Client) -> None:
    r = client.post("/signup", GOOD)
    assert r.status_code == 302
    assert r["Location"] == "/"
    user = User.objects.get(username="dora")
    assert user.display_name
    assert user.display_name != "dora"
    assert user.locale == "en"
    assert logged_in_as(client) == "logged in"


def test_it_keeps_the_language_of_the_sign_up_page(client: Client) -> None:
    client.post("/signup", GOOD, headers={"Accept-Language": "zh-Hans"})
    assert User.objects.get().locale == "zh-hans"
    # …and the pseudonym is one a Chinese reader can read (issue 14).
    assert not User.objects.get().display_name.split(" ")[0].isascii()


def test_it_returns_to_the_page_that_asked_for_an_account(client: Client) -> None:
    r = client.post("/signup", {**GOOD, "next": "/posts/new?kind=need"})
    assert r["Location"] == "/posts/new?kind=need"


def test_it_refuses_to_send_people_to_another_site(client: Client) -> None:
    r = client.post("/signup", {**GOOD, "next": "https://evil.example/"})
    assert r["Location"] == "/"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "alice"}, "username", "That username is taken."),
        ({"password": "123", "password_again": "123"}, "password", "too short"),
        ({"password_again": "something else"}, "password_again", "The two passwords differ."),
        ({"username": ""}, "username", "This field is required."),
    ],
)
def test_it_shows_sign_up_errors_beside_the_field(
    client: Client, alice: User, changes: dict[str, str], field: str, message: str
) -> None:
    r = client.post("/signup", {**GOOD, "display_name": "Dora D", **changes})
    page = r.content.decode()
    assert r.status_code == (409 if field == "username" and changes["username"] else 422)
    assert message in page.split(f'id="id_{field}_error"')[1].split("</p>")[0]
    assert 'value="Dora D"' in page
    assert PASSWORD not in page  # passwords are never echoed back
    assert User.objects.count() == 1


def test_it_logs_in_and_follows_next(client: Client, alice: User) -> None:
    r = client.post("/login", {"username": "Alice", "password": PASSWORD, "next": "/me/posts"})
    assert r.status_code == 302
    assert r["Location"] == "/me/posts"
    assert logged_in_as(client) == "logged in"


def test_the_login_page_carries_next_through(client: Client) -> None:
    page = client.get("/login?next=/posts/new%3Fkind%3Dneed").content.decode()
    assert 'name="next" value="/posts/new?kind=need"' in page


def test_it_refuses_a_wrong_password(client: Client, alice: User) -> None:
    r = client.post("/login", {"username": "alice", "password": "wrong"})
    assert r.status_code == 200
    assert "Wrong username or password." in r.content.decode()
    assert logged_in_as(client) == "visitor"


def test_it_logs_out_on_post_only(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/logout").status_code == 405
    assert logged_in_as(client) == "logged in"
    r = client.post("/logout")
    assert r.status_code == 302
    assert logged_in_as(client) == "visitor"


def test_log_out_needs_a_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/logout").status_code == 403
    assert logged_in_as(client) == "logged in"


def test_it_escapes_a_script_in_the_display_name(client: Client) -> None:
    r = client.post("/signup", {**GOOD, "display_name": "<script>alert(1)</script>"}, follow=True)
    page = r.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Welcome, &lt;script&gt;alert(1)&lt;/script&gt;." in page


@pytest.mark.parametrize(
    ("name", "lang", "message"),
    [
        ("Huzhu Staff", "en", "speak for Huzhu"),
        ("互助管理员 (official)", "zh-Hans", "代表互助"),
        ("Kind\u202eHeron", "en", "invisible"),
        ("Kind\u200bHeron", "zh-Hans", "不可见"),
    ],
)
def test_the_sign_up_page_refuses_a_name_that_passes_for_staff_or_hides_characters(
    client: Client, name: str, lang: str, message: str
) -> None:
    r = client.post("/signup", {**GOOD, "display_name": name}, headers={"Accept-Language": lang})
    assert r.status_code == 422
    assert message in r.content.decode().split('id="id_display_name_error"')[1].split("</p>")[0]
    assert not User.objects.exists()
