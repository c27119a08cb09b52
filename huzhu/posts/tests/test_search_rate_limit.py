"""Searches are rate-limited per address and per account, in the API and the web feed."""

from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, make_user

SEARCH: dict[str, Any] = {"lat": BEIJING[0], "lng": BEIJING[1], "radius_km": 5}


@pytest.fixture
def three_a_minute(settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    settings.HUZHU_SEARCH_RATE_PER_MINUTE = 3


def test_production_allows_two_searches_a_second_for_a_minute(settings: Any) -> None:
    assert settings.HUZHU_SEARCH_RATE_PER_MINUTE == 120  # a person pages far less


@pytest.mark.django_db
def test_an_anonymous_address_gets_429_with_retry_after(three_a_minute: None) -> None:
    api = Api()
    for _ in range(3):
        assert api.get("/api/v1/posts", SEARCH).status_code == 200
    response = api.get("/api/v1/posts", SEARCH)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another address is not held up by this one.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get("/api/v1/posts", SEARCH).status_code == 200


def test_a_member_is_limited_per_account_across_addresses(
    three_a_minute: None, alice: User
) -> None:
    def search(user: User, address: str) -> Any:
        api = Api().as_user(user)
        return api.client.get(
            "/api/v1/posts", SEARCH, headers=api._headers(None), REMOTE_ADDR=address
        )

    for number in range(3):
        assert search(alice, f"203.0.113.{number}").status_code == 200
    response = search(alice, "203.0.113.99")
    assert response.status_code == 429 and response["Retry-After"]
    assert search(make_user("bob2"), "203.0.113.98").status_code == 200


@pytest.mark.django_db
def test_the_web_feed_answers_a_429_page(three_a_minute: None, client: Client) -> None:
    for _ in range(3):
        assert client.get("/", SEARCH).status_code == 200
    response = client.get("/", SEARCH)
    assert response.status_code == 429
    assert response["Retry-After"] and "<html" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_feed_counts_against_the_account(
    three_a_minute: None, client: Client, alice: User
) -> None:
    client.force_login(alice)
    for number in range(3):
        assert client.get("/", SEARCH, REMOTE_ADDR=f"203.0.113.{number}").status_code == 200
    assert client.get("/", SEARCH, REMOTE_ADDR="203.0.113.50").status_code == 429
