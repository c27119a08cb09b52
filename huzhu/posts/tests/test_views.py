"""The post pages: the form, the post with its history, owner status buttons, my posts."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, draft
from huzhu.posts.models import Post
from huzhu.posts.services import create_post, set_status_by_owner
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level
from huzhu.web.tests.helpers import inline_code

XSS = "<script>alert(1)</script>"
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"

NEED: dict[str, str] = {
    "kind": "need",
    "item": "ibuprofen",
    "item_name": "",
    "category": "",
    "title": "Fever medicine for grandma",
    "quantity": "4",
    "unit": "",
    "tags": "elderly",
    "expires_on": "",
    "body": "She is 82.",
    "place": "chaoyang",
    "lat": "",
    "lng": "",
    "precision": "1000",
}


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def submit(client: Client, **changes: str) -> Any:
    return client.post("/posts/new", {**NEED, **changes})


# --- The form ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/posts/new?kind=need", "/me/posts"])
def test_it_sends_visitors_to_log_in_first(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 302
    assert r["Location"].startswith("/login?next=")
    assert client.post("/posts/new", NEED).status_code == 302
    assert Post.objects.count() == 0


def test_it_preselects_the_kind_from_the_big_buttons(client: Client, alice: User) -> None:
    page = as_user(client, alice).get("/posts/new?kind=offer").content.decode()
    assert 'value="offer" required id="id_kind_1" checked' in page
    assert "I can give" in page
    assert inline_code(page) == []


def test_it_shows_the_form_in_three_steps(client: Client, alice: User) -> None:
    page = as_user(client, alice).get("/posts/new").content.decode()
    assert page.count('class="step-number"') == 3
    assert 'name="place"' in page  # the manual location that needs no map service
    assert 'name="lat"' in page
    assert "data-geolocate" in page


def test_it_posts_a_need_from_a_chosen_district(client: Client, alice: User) -> None:
    r = submit(as_user(client, alice))
    post = Post.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/posts/{post.pk}"
    assert post.owner == alice
    assert (post.kind, post.category.code, post.item.code if post.item else None) == (
        "need",
        "medicine",  # taken from the item
        "ibuprofen",
    )
    assert (post.lat, post.lng) == (39.9215, 116.4435)
    assert post.unit == "tablet"
    assert post.tag_bits == 1


def test_it_posts_with_typed_coordinates_and_an_alias(client: Client, alice: User) -> None:
    submit(as_user(client, alice), item="", item_name="芬必得", place="", lat="39.95", lng="116.3")
    post = Post.objects.get()
    assert post.item is not None
    assert post.item.code == "ibuprofen"
    assert (post.lat, post.lng) == (39.95, 116.3)


def test_it_posts_a_medicine_offer_with_its_expiry_date(client: Client, alice: User) -> None:
    expiry = date.today() + timedelta(days=200)  # noqa: DTZ011 - a calendar date, as typed
    submit(as_user(client, alice), kind="offer", expires_on=expiry.isoformat(), precision="5000")
    post = Post.objects.get()
    assert post.expires_at is not None
    assert post.expires_at.date() == expiry
    assert post.area_precision_m == 5000


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "", "item": "", "category": ""}, "title", "Give your post a short title."),
        ({"quantity": "0"}, "quantity", "greater than or equal to 1"),
        ({"place": ""}, "place", "Tell us roughly where you are"),
        ({"place": "", "lat": "39.9"}, "lng", "Give both latitude and longitude."),
        ({"place": "", "lat": "91", "lng": "116"}, "lat", "less than or equal to 90"),
        ({"item": "", "category": ""}, "category", "Choose a category"),
        ({"tags": "vip"}, "tags", "Select a valid choice"),
        # The rules below are the service's; the form shows them beside the right field.
        ({"kind": "offer"}, "expires_on", "Medicine offers need the expiry date"),
        # The picker never lists prescription medicines; typed in, the service refuses them.
        ({"item": "amoxicillin"}, "item", "Select a valid choice"),
        ({"item": "", "item_name": "amoxicillin"}, "item_name", "prescription medicine"),
        (
            {"item": "", "item_name": "unobtainium", "category": "food"},
            "item_name",
            "We do not know the item unobtainium",
        ),
        ({"item": "rice", "category": "medicine"}, "category", "belongs to the category"),
    ],
)
def test_it_shows_errors_beside_the_field_and_keeps_the_values(
    client: Client, alice: User, changes: dict[str, str], field: str, message: str
) -> None:
    r = submit(as_user(client, alice), **changes)
    page = r.content.decode()
    assert r.status_code == 200
    assert Post.objects.count() == 0
    error = page.split(f'id="id_{field}_error"')[1].split("</p>")[0]
    assert message in error
    assert 'aria-invalid="true"' in page
    if field != "title":
        assert 'value="Fever medicine for grandma"' in page
    assert "She is 82." in page


# --- The post page -------------------------------------------------------------------


def test_it_shows_the_post_without_its_exact_place_or_owner(
    client: Client, alices_need: Post
) -> None:
    r = client.get(f"/posts/{alices_need.pk}")
    page = r.content.decode()
    assert r.status_code == 200
    assert "Need ibuprofen for my father" in page
    assert "He has a fever since yesterday." in page
    assert "4 tablets" in page
    assert "Elderly" in page
    assert "Within about 1 km of" in page
    assert str(BEIJING[0]) not in page
    assert str(BEIJING[1]) not in page
    assert "alice" not in page.lower()
    assert "Mark fulfilled" not in page  # not the owner
    assert inline_code(page) == []


def test_it_shows_the_status_history(client: Client, alice: User, alices_need: Post) -> None:
    set_status_by_owner(post=alices_need, actor=alice, to_status="fulfilled")
    page = client.get(f"/posts/{alices_need.pk}").content.decode()
    history = page.split('class="timeline"')[1]
    assert history.index("Open") < history.index("Fulfilled")
    assert "posted" in history
    assert "by the owner" in history
    assert "UTC" in history


def test_it_shows_the_history_in_chinese(client: Client, alices_need: Post) -> None:
    page = client.get(
        f"/posts/{alices_need.pk}", headers={"Accept-Language": "zh-Hans"}
    ).content.decode()
    assert "布洛芬" in page
    assert "4 片" in page


@pytest.mark.django_db
def test_it_answers_404_for_a_missing_post(client: Client) -> None:
    assert client.get("/posts/999999").status_code == 404


def test_it_hides_a_withdrawn_post_from_others_but_not_its_owner(
    client: Client, alice: User, charlie: User, alices_need: Post
) -> None:
    set_status_by_owner(post=alices_need, actor=alice, to_status="withdrawn")
    assert client.get(f"/posts/{alices_need.pk}").status_code == 404
    assert as_user(client, charlie).get(f"/posts/{alices_need.pk}").status_code == 404
    r = as_user(client, alice).get(f"/posts/{alices_need.pk}")
    assert r.status_code == 200
    assert "Withdrawn" in r.content.decode()


def test_it_offers_the_owner_the_status_buttons(
    client: Client, alice: User, alices_need: Post
) -> None:
    page = as_user(client, alice).get(f"/posts/{alices_need.pk}").content.decode()
    assert f'action="/posts/{alices_need.pk}/status"' in page
    assert 'name="status" value="fulfilled"' in page
    assert 'name="status" value="withdrawn"' in page
    assert "csrfmiddlewaretoken" in page


def test_the_owner_marks_a_post_fulfilled(client: Client, alice: User, alices_need: Post) -> None:
    r = as_user(client, alice).post(f"/posts/{alices_need.pk}/status", {"status": "fulfilled"})
    assert r.status_code == 302
    alices_need.refresh_from_db()
    assert alices_need.status == "fulfilled"
    page = client.get(r["Location"]).content.decode()
    assert "Marked as fulfilled" in page
    assert "This post is closed." in page


def test_the_owner_withdraws_a_post(client: Client, alice: User, alices_need: Post) -> None:
    as_user(client, alice).post(f"/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    alices_need.refresh_from_db()
    assert alices_need.status == "withdrawn"


def test_it_explains_an_illegal_transition(client: Client, alice: User, alices_need: Post) -> None:
    set_status_by_owner(post=alices_need, actor=alice, to_status="fulfilled")
    r = as_user(client, alice).post(f"/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    assert r.status_code == 409
    assert "cannot become Withdrawn" in r.content.decode()


def test_it_refuses_a_status_the_owner_may_not_set(
    client: Client, alice: User, alices_need: Post
) -> None:
    r = as_user(client, alice).post(f"/posts/{alices_need.pk}/status", {"status": "pledged"})
    assert r.status_code == 422
    assert "You can mark a post fulfilled or withdrawn." in r.content.decode()


def test_an_outsider_cannot_change_the_status(
    client: Client, charlie: User, alices_need: Post
) -> None:
    r = as_user(client, charlie).post(f"/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    assert r.status_code == 404
    alices_need.refresh_from_db()
    assert alices_need.status == "open"


def test_a_visitor_cannot_change_the_status(client: Client, alices_need: Post) -> None:
    r = client.post(f"/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    assert r.status_code == 302
    assert r["Location"].startswith("/login")
    alices_need.refresh_from_db()
    assert alices_need.status == "open"


def test_status_changes_need_post(client: Client, alice: User, alices_need: Post) -> None:
    r = as_user(client, alice).get(f"/posts/{alices_need.pk}/status?status=withdrawn")
    assert r.status_code == 405


def test_status_changes_need_a_csrf_token(alice: User, alices_need: Post) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    r = client.post(f"/posts/{alices_need.pk}/status", {"status": "withdrawn"})
    assert r.status_code == 403
    alices_need.refresh_from_db()
    assert alices_need.status == "open"


# --- My posts ------------------------------------------------------------------------


def test_my_posts_lists_only_mine_in_every_status(
    client: Client, alice: User, bob: User, alices_need: Post
) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    create_post(owner=bob, draft=draft(title="Bob's spare masks"))
    gone = create_post(owner=alice, draft=draft(title="Withdrawn one"))
    set_status_by_owner(post=gone, actor=alice, to_status="withdrawn")
    page = as_user(client, alice).get("/me/posts").content.decode()
    assert "Need ibuprofen for my father" in page
    assert "Withdrawn one" in page
    assert "Bob&#x27;s spare masks" not in page


def test_my_posts_invites_a_first_post(client: Client, bob: User) -> None:
    page = as_user(client, bob).get("/me/posts").content.decode()
    assert "You have not posted anything yet." in page


@pytest.mark.parametrize("path", ["/", "/posts/{id}", "/me/posts"])
def test_it_escapes_a_script_in_a_title(client: Client, alice: User, path: str) -> None:
    post = create_post(owner=alice, draft=draft(title=XSS, body=XSS))
    page = as_user(client, alice).get(path.format(id=post.pk)).content.decode()
    assert XSS not in page
    assert ESCAPED_XSS in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Need Ibuprofen, 4 tablets (Elderly)"), ("zh-hans", "求布洛芬，4 片（老人）")],
)
def test_a_title_is_written_from_the_item_unless_one_is_typed(
    client: Client, alice: User, language: str, expected: str
) -> None:
    as_user(client, alice)
    r = client.post(
        "/posts/new", {**NEED, "title": "", "body": ""}, headers={"accept-language": language}
    )
    assert r.status_code == 302
    assert Post.objects.get().title == expected
