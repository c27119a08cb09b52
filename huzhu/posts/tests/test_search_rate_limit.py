"""Searches are rate-limited per address and per account, in the API and the web feed:
counted in the database, or in Redis when the deployment has it (every test runs on both)."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import BEIJING, Api, make_user
from huzhu.errors import TooManyRequests
from huzhu.safety import ratelimit
from huzhu.safety.models import RateBucket

REDIS_URL = "redis://127.0.0.1:6379/14"

SEARCH: dict[str, Any] = {"lat": BEIJING[0], "lng": BEIJING[1], "radius_km": 5}


@pytest.fixture(autouse=True, params=["database", "redis"])
def counter(request: pytest.FixtureRequest, settings: Any) -> Iterator[str]:
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.RedisError:
            # Redis is part of the test machine, as PostgreSQL is: a missing one is a failure,
            # not a reason to check only half of the limit.
            pytest.fail("no Redis at 127.0.0.1:6379 (start it: redis-server --daemonize yes)")
        settings.REDIS_URL = REDIS_URL
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # Redis is shared; keys expire
            }
        }
    yield request.param
    cache.close()


@pytest.fixture
def three_a_minute(settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 1
    settings.HUZHU_SEARCH_RATE_PER_MINUTE = 3


@pytest.mark.django_db
def test_with_redis_a_search_writes_nothing_to_the_database(
    three_a_minute: None, counter: str
) -> None:
    assert Api().get("/api/v1/posts", SEARCH).status_code == 200
    assert RateBucket.objects.exists() == (counter == "database")


@pytest.mark.django_db
def test_the_limit_slides_across_the_counting_windows(three_a_minute: None) -> None:
    """Three searches just before a new minute still count just after it, and a minute
    later they have all slid out."""
    start = datetime(2026, 12, 7, 12, 0, 58, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            ratelimit.hit("search_address", "192.0.2.9")
        traveller.move_to(start + timedelta(seconds=4))
        with pytest.raises(TooManyRequests) as refused:
            ratelimit.hit("search_address", "192.0.2.9")
        assert 1 <= refused.value.retry_after <= 60
        traveller.move_to(start + timedelta(seconds=61))
        ratelimit.hit("search_address", "192.0.2.9")


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
