"""Shared anonymous answers (huzhu/public_cache.py): fresh within their lifetime, never
served to a signed-in person, byte for byte what the view renders, with conditional GET."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone

from huzhu.accounts.erasure import erase_account
from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, make_user
from huzhu.posts.models import Post
from huzhu.posts.personal_data import ERASED_TITLE
from huzhu.posts.services import set_hidden
from huzhu.public_cache import ROUTES, key_for, route_of
from huzhu.tests.test_metrics import TOKEN, scrape

LIFETIME = 10
SEARCH = {"lat": str(BEIJING[0]), "lng": str(BEIJING[1]), "radius_km": "5"}
FEED = SEARCH
TOKEN_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')


@pytest.fixture(autouse=True)
def shared(settings: Any) -> Iterator[None]:
    settings.HUZHU_PUBLIC_CACHE_SECONDS = LIFETIME
    cache.clear()
    yield
    cache.clear()


def search_ids(api: Api) -> set[int]:
    response = api.get("/api/v1/posts", SEARCH)
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def feed_has(client: Client, post: Post) -> bool:
    return f'href="/posts/{post.pk}"'.encode() in client.get("/", FEED).content


def without_tokens(body: bytes) -> bytes:
    return TOKEN_VALUE.sub(b"TOKEN", body)


@pytest.mark.django_db
def test_a_withdrawn_post_leaves_shared_searches_and_feeds_within_the_lifetime(
    alices_need: Post, alice: User, api: Api, client: Client
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert alices_need.pk in search_ids(api)
        assert feed_has(client, alices_need)
        withdrawn = api.as_user(alice).post(
            f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"}
        )
        assert withdrawn.status_code == 200
        # Within the lifetime visitors may still be shown it (that is the stated bound) ...
        clock.move_to(start + timedelta(seconds=LIFETIME - 1))
        assert alices_need.pk in search_ids(api)
        # ... and never after it.
        clock.move_to(start + timedelta(seconds=LIFETIME + 0.5))
        assert alices_need.pk not in search_ids(api)
        assert not feed_has(client, alices_need)


@pytest.mark.django_db
def test_a_post_hidden_by_moderation_leaves_at_once(
    alices_need: Post, api: Api, django_capture_on_commit_callbacks: Any
) -> None:
    assert alices_need.pk in search_ids(api)
    with django_capture_on_commit_callbacks(execute=True):  # the bump waits for the commit
        assert set_hidden(post_id=alices_need.pk, hidden=True, now=timezone.now())
    assert alices_need.pk not in search_ids(api)


@pytest.mark.django_db
def test_an_owner_sees_their_new_post_at_once(alice: User, api: Api, client: Client) -> None:
    assert search_ids(api) == set()  # an empty answer is now shared with visitors
    client.force_login(alice)
    assert client.get("/", FEED).status_code == 200
    created = api.as_user(alice).post(
        "/api/v1/posts",
        {
            "kind": "need",
            "title": "Test kits for a family of four",
            "body": "Two children have a fever.",
            "category": "medicine",
            "item": "ibuprofen",
            "quantity": 2,
            "lat": BEIJING[0],
            "lng": BEIJING[1],
        },
    )
    assert created.status_code == 201, created.content
    post = Post.objects.get(pk=created.json()["id"])
    assert post.pk in search_ids(api.as_user(alice))  # signed in: never the shared answer
    assert feed_has(client, post)
    assert post.pk not in search_ids(api)  # visitors: the shared answer, within its lifetime


@pytest.mark.django_db
@pytest.mark.usefixtures("alices_need")
def test_the_shared_answer_is_byte_for_byte_the_fresh_one(
    api: Api, client: Client, settings: Any
) -> None:
    fresh_search = api.get("/api/v1/posts", SEARCH).content
    fresh_page = client.get("/", FEED).content
    again_search = api.get("/api/v1/posts", SEARCH).content
    again_page = client.get("/", FEED).content
    settings.HUZHU_PUBLIC_CACHE_SECONDS = 0
    uncached_search = api.get("/api/v1/posts", SEARCH).content
    uncached_page = client.get("/", FEED).content
    assert fresh_search == again_search == uncached_search
    # A page differs only by the visitor's CSRF token, masked afresh on every answer.
    assert TOKEN_VALUE.search(again_page)
    assert without_tokens(fresh_page) == without_tokens(again_page)
    assert without_tokens(again_page) == without_tokens(uncached_page)


@pytest.mark.django_db
@pytest.mark.usefixtures("alices_need")
def test_a_cached_page_carries_a_token_that_posts(client: Client) -> None:
    client.get("/", FEED)
    page = Client(enforce_csrf_checks=True)
    body = page.get("/", FEED).content
    match = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', body)
    assert match
    switched = page.post(
        "/i18n/setlang/",
        {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": match.group(1).decode()},
    )
    assert switched.status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("alices_need")
def test_a_matching_if_none_match_answers_304(api: Api, client: Client) -> None:
    first = api.get("/api/v1/posts", SEARCH)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api.get("/api/v1/posts", SEARCH, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    weak = api.get("/api/v1/posts", SEARCH, headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304  # as the gzip middleware hands it out
    other = api.get("/api/v1/posts", SEARCH, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    page = client.get("/", FEED)
    assert page["ETag"].startswith("W/")  # its token differs, the page does not
    assert client.get("/", FEED, headers={"If-None-Match": page["ETag"]}).status_code == 304


@pytest.mark.django_db
@pytest.mark.usefixtures("alices_need")
def test_headers_share_only_what_is_public(api: Api, client: Client, alice: User) -> None:
    search = api.get("/api/v1/posts", SEARCH)
    assert re.fullmatch(r"public, max-age=([0-9]|10)", search["Cache-Control"])
    vary = {v.strip() for v in search["Vary"].split(",")}
    assert {"Cookie", "Authorization", "Accept-Language"} <= vary
    page = client.get("/", FEED)
    assert page["Cache-Control"] == "private, max-age=0, must-revalidate"
    assert "Cookie" in page["Vary"]
    mine = api.as_user(alice).get("/api/v1/posts", SEARCH)
    assert "no-store" in mine["Cache-Control"] and "ETag" not in mine
    client.force_login(alice)
    own_page = client.get("/", FEED)
    assert "no-store" in own_page["Cache-Control"] and "ETag" not in own_page


@pytest.mark.django_db
def test_each_language_and_query_has_its_own_answer(api: Api, client: Client) -> None:
    english = client.get("/", FEED).content
    chinese = client.get("/", FEED, headers={"Accept-Language": "zh-hans"}).content
    assert "附近".encode() in chinese and "附近".encode() not in english
    keys = {
        key_for(RequestFactory().get(path, query), route)
        for path, route in ROUTES.items()
        for query in (SEARCH, {**SEARCH, "sort": "distance"}, {**SEARCH, "cursor": "x"})
    }
    assert len(keys) == 6
    posts = [RequestFactory().get(path) for path in ("/posts/1", "/posts/2", "/api/v1/posts/1")]
    routes = [route_of(request) for request in posts]
    assert all(routes)
    assert len({key_for(r, route) for r, route in zip(posts, routes, strict=True) if route}) == 3
    unknown = {**SEARCH, "item": "no-such-item"}
    assert api.get("/api/v1/posts", unknown).status_code == 422
    refused = api.get("/api/v1/posts", unknown, headers={"Accept-Language": "zh-hans"})
    assert refused.status_code == 422 and "ETag" not in refused  # errors are never stored


@pytest.mark.django_db
@pytest.mark.usefixtures("alices_need")
def test_hits_and_misses_are_counted(api: Api, client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:2],
        "huzhu.metrics.MetricsMiddleware",
        *settings.MIDDLEWARE[2:],
    ]
    before = _counted(scrape(client)[1])
    api.get("/api/v1/posts", SEARCH)
    api.get("/api/v1/posts", SEARCH)
    api.get("/api/v1/posts", SEARCH)
    after = _counted(scrape(client)[1])
    assert after["miss"] - before["miss"] == 1
    assert after["hit"] - before["hit"] == 2
    assert "huzhu_deliveries" in scrape(client)[1]


def _counted(text: str) -> dict[str, float]:
    found = {"hit": 0.0, "miss": 0.0}
    pattern = r'huzhu_public_cache_lookups_total\{result="(hit|miss)",route="search"\} (\S+)'
    for result, value in re.findall(pattern, text):
        found[result] = float(value)
    return found


def post_status(client: Client, post: Post) -> str:
    """The status the API shows `client`, or "gone" (404: a closed post is its owner's)."""
    response = client.get(f"/api/v1/posts/{post.pk}")
    return "gone" if response.status_code == 404 else str(response.json()["status"])


def page_status(client: Client, post: Post) -> str:
    response = client.get(f"/posts/{post.pk}")
    if response.status_code == 404:
        return "gone"
    return "withdrawn" if b"badge--withdrawn" in response.content else "open"


@pytest.mark.django_db
def test_a_post_is_shared_until_withdrawn_within_the_lifetime_and_its_owner_sees_it_at_once(
    alices_need: Post, alice: User, api: Api, client: Client
) -> None:
    owner = Client()
    owner.force_login(alice)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert post_status(client, alices_need) == "open" == page_status(client, alices_need)
        withdrawn = api.as_user(alice).post(
            f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"}
        )
        assert withdrawn.status_code == 200
        # The owner is signed in: never a shared answer, so their own write shows at once.
        assert post_status(owner, alices_need) == "withdrawn" == page_status(owner, alices_need)
        clock.move_to(start + timedelta(seconds=LIFETIME - 1))
        assert post_status(client, alices_need) == "open" == page_status(client, alices_need)
        clock.move_to(start + timedelta(seconds=LIFETIME + 0.5))
        assert post_status(client, alices_need) == "gone" == page_status(client, alices_need)


@pytest.mark.django_db
def test_a_post_hidden_by_moderation_is_gone_from_its_shared_page_at_once(
    alices_need: Post, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert page_status(client, alices_need) == "open"
    assert post_status(client, alices_need) == "open"
    with django_capture_on_commit_callbacks(execute=True):
        assert set_hidden(post_id=alices_need.pk, hidden=True, now=timezone.now())
    assert post_status(client, alices_need) == "gone" == page_status(client, alices_need)


@pytest.mark.django_db
def test_an_erased_persons_words_leave_shared_answers_at_once(
    alices_need: Post, alice: User, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    title = alices_need.title
    assert client.get(f"/api/v1/posts/{alices_need.pk}").json()["title"] == title
    assert title.encode() in client.get(f"/posts/{alices_need.pk}").content
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user=alice)
    answer = client.get(f"/api/v1/posts/{alices_need.pk}")
    assert answer.status_code == 404 or answer.json()["title"] == ERASED_TITLE
    assert title.encode() not in client.get(f"/posts/{alices_need.pk}").content


@pytest.mark.django_db
def test_a_shared_post_is_byte_for_byte_the_fresh_one_and_a_missing_one_is_never_stored(
    alices_need: Post, client: Client, settings: Any
) -> None:
    path, api_path = f"/posts/{alices_need.pk}", f"/api/v1/posts/{alices_need.pk}"
    fresh_page, fresh_api = client.get(path), client.get(api_path)
    again_page, again_api = client.get(path), client.get(api_path)
    assert again_api["ETag"] == fresh_api["ETag"] and again_page["ETag"].startswith("W/")
    settings.HUZHU_PUBLIC_CACHE_SECONDS = 0
    uncached_page, uncached_api = client.get(path), client.get(api_path)
    assert fresh_api.content == again_api.content == uncached_api.content
    assert without_tokens(fresh_page.content) == without_tokens(again_page.content)
    assert without_tokens(again_page.content) == without_tokens(uncached_page.content)
    settings.HUZHU_PUBLIC_CACHE_SECONDS = LIFETIME
    missing = client.get("/api/v1/posts/999999")
    assert missing.status_code == 404 and "ETag" not in missing


def signed_in(user: User) -> Client:
    member = Client()
    member.force_login(user)
    return member


@pytest.mark.django_db
def test_a_members_home_shares_the_feed_but_never_their_own_posts(
    alices_need: Post, alice: User, bob: User, api: Api
) -> None:
    """A member's home is never a shared answer; its feed is the shared part (the same
    search for everyone), and their own posts come fresh from above it, never from there."""
    owner, neighbour = signed_in(alice), signed_in(bob)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert feed_has(neighbour, alices_need)  # bob's visit stores the feed's shared part
        page = owner.get("/", FEED)
        assert "no-store" in page["Cache-Control"]
        assert page.content.count(f'href="/posts/{alices_need.pk}"'.encode()) == 1  # once
        withdrawn = api.as_user(alice).post(
            f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"}
        )
        assert withdrawn.status_code == 200
        # Her own write shows at once: the shared feed still lists it, her page does not.
        assert feed_has(neighbour, alices_need)
        assert not feed_has(owner, alices_need)
        clock.move_to(start + timedelta(seconds=LIFETIME + 0.5))
        assert not feed_has(neighbour, alices_need)


@pytest.mark.django_db
def test_a_post_hidden_by_moderation_leaves_members_feeds_at_once(
    alices_need: Post, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    neighbour = signed_in(bob)
    assert feed_has(neighbour, alices_need)
    with django_capture_on_commit_callbacks(execute=True):
        assert set_hidden(post_id=alices_need.pk, hidden=True, now=timezone.now())
    assert not feed_has(neighbour, alices_need)


@pytest.mark.django_db
@pytest.mark.usefixtures("alices_need")
def test_a_members_home_is_the_same_page_with_the_feed_shared_or_not(
    bob: User, settings: Any
) -> None:
    neighbour = signed_in(bob)
    neighbour.get("/", FEED)
    shared_page = neighbour.get("/", FEED).content
    settings.HUZHU_PUBLIC_CACHE_SECONDS = 0
    fresh_page = neighbour.get("/", FEED).content
    assert without_tokens(shared_page) == without_tokens(fresh_page)


def member_search(api: Api, user: User) -> dict[int, bool]:
    """Post id → is_own, as the member's signed-in search answers."""
    response = api.as_user(user).get("/api/v1/posts", SEARCH)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # never a shared answer as a whole
    return {item["id"]: item["is_own"] for item in response.json()["items"]}


@pytest.mark.django_db
def test_members_share_a_search_yet_each_sees_their_own_posts_as_theirs(
    alices_need: Post, alice: User, bob: User, api: Api
) -> None:
    assert member_search(api, bob) == {alices_need.pk: False}  # computed and shared
    assert member_search(api, alice) == {alices_need.pk: True}  # the same part, hers
    assert member_search(api, bob) == {alices_need.pk: False}


@pytest.mark.django_db
def test_a_members_own_write_shows_in_their_search_at_once(
    alices_need: Post, alice: User, bob: User, api: Api
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert alices_need.pk in member_search(api, bob)
        assert alices_need.pk in member_search(api, alice)
        withdrawn = api.as_user(alice).post(
            f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"}
        )
        assert withdrawn.status_code == 200
        # Her write, at once, though the part bob's search stored a moment ago still holds
        # it (her fresh answer then replaces it: others see it sooner, never later).
        assert alices_need.pk not in member_search(api, alice)
        assert alices_need.pk not in member_search(api, alice)
        clock.move_to(start + timedelta(seconds=LIFETIME + 0.5))
        assert alices_need.pk not in member_search(api, bob)


@pytest.mark.django_db
def test_a_refused_write_leaves_the_shared_parts_alone(
    alices_need: Post, bob: User, api: Api
) -> None:
    assert alices_need.pk in member_search(api, bob)
    refused = api.as_user(bob).post(
        f"/api/v1/posts/{alices_need.pk}/status", {"status": "withdrawn"}
    )
    assert refused.status_code == 404  # not his post
    assert cache.get(f"public-cache:wrote:{bob.pk}") is None


@pytest.mark.django_db
def test_members_share_a_post_and_its_owner_always_sees_it_fresh(
    alices_need: Post, alice: User, bob: User, api: Api
) -> None:
    path = f"/api/v1/posts/{alices_need.pk}"
    seen = api.as_user(bob).get(path)
    assert seen.status_code == 200 and seen.json()["is_own"] is False
    assert "no-store" in seen["Cache-Control"]
    own = api.as_user(alice).get(path)
    assert own.status_code == 200 and own.json()["is_own"] is True
    withdrawn = api.as_user(alice).post(f"{path}/status", {"status": "withdrawn"})
    assert withdrawn.status_code == 200
    mine = api.as_user(alice).get(path)  # withdrawn posts are their owner's alone
    assert mine.status_code == 200 and mine.json()["status"] == "withdrawn"


@pytest.mark.django_db
def test_a_post_a_visitor_may_not_see_is_never_shared_with_a_member(
    alices_need: Post, bob: User, api: Api, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert set_hidden(post_id=alices_need.pk, hidden=True, now=timezone.now())
    assert api.as_user(bob).get(f"/api/v1/posts/{alices_need.pk}").status_code == 404
    moderator = make_user("mod")
    moderator.is_staff = True
    moderator.save()
    seen = api.as_user(moderator).get(f"/api/v1/posts/{alices_need.pk}")
    assert seen.status_code == 200 and seen.json()["under_review"] is True


@pytest.mark.django_db
def test_a_post_read_through_the_api_is_never_stale_shared_or_not(
    alices_need: Post, alice: User, bob: User, api: Api, client: Client
) -> None:
    """Its shared copy is checked against the post's version: the owner's change shows to a
    member, and to a visitor whose answer was not yet stored, at once."""
    path = f"/api/v1/posts/{alices_need.pk}"
    assert api.as_user(alice).get(path).json()["status"] == "open"  # stores the shared part
    done = api.as_user(alice).post(f"{path}/status", {"status": "fulfilled"})
    assert done.status_code == 200
    assert api.as_user(bob).get(path).json()["status"] == "fulfilled"
    assert client.get(path).json()["status"] == "fulfilled"
