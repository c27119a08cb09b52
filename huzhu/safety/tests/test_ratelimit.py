"""Rate limits: token buckets in the database, per address and per account, answered by 429."""

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD, Api
from huzhu.errors import TooManyRequests
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.models import Post
from huzhu.safety.models import RateBucket
from huzhu.safety.ratelimit import LIMITS, hit
from huzhu.tests.serving import Server, call, scratch_database

NEED: dict[str, Any] = {
    "kind": "need",
    "title": "Need water",
    "body": "",
    "category": "supplies",
    "quantity": 1,
    "lat": 39.9,
    "lng": 116.4,
    "tags": [],
}


@pytest.fixture
def limits_on(settings: Any) -> Any:
    """Limits at a tenth of production, so a test needs only a few requests to reach one."""
    settings.HUZHU_RATE_LIMIT_SCALE = 0.1
    return settings


def capacity(name: str, scale: float = 0.1) -> int:
    return max(1, int(LIMITS[name].capacity * scale))


@pytest.mark.django_db
def test_a_bucket_empties_then_refills_with_time(limits_on: Any) -> None:
    now = timezone.now()
    full = capacity("login_account")  # 1 token, refilled over 600 s
    for _ in range(full):
        hit("login_account", "alice", now=now)
    with pytest.raises(TooManyRequests) as refused:
        hit("login_account", "alice", now=now)
    assert refused.value.status == 429
    assert 1 <= refused.value.retry_after <= LIMITS["login_account"].per_seconds
    hit("login_account", "bob", now=now)  # another caller has a bucket of its own
    later = now + timedelta(seconds=refused.value.retry_after)
    hit("login_account", "alice", now=later)
    assert not RateBucket.objects.filter(key__contains="alice").exists()  # keys are hashes


@pytest.mark.django_db
def test_scale_zero_turns_limits_off(settings: Any) -> None:
    settings.HUZHU_RATE_LIMIT_SCALE = 0
    for _ in range(LIMITS["login_account"].capacity * 3):
        hit("login_account", "alice")
    assert RateBucket.objects.count() == 0


@pytest.mark.django_db
def test_signups_from_one_address_are_limited(api: Api, limits_on: Any) -> None:
    answers = [
        api.post("/api/v1/auth/signup", {"username": f"new{n}", "password": PASSWORD})
        for n in range(capacity("signup_address") + 1)
    ]
    assert [a.status_code for a in answers[:-1]] == [201] * capacity("signup_address")
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    assert not User.objects.filter(username=f"new{capacity('signup_address')}").exists()


def test_failed_log_ins_count_and_then_even_the_right_password_waits(
    api: Api, alice: User, limits_on: Any
) -> None:
    wrong = {"username": "alice", "password": "not her password"}
    for _ in range(capacity("login_account_address")):
        assert api.post("/api/v1/auth/token", wrong).status_code == 401
    right = api.post("/api/v1/auth/token", {"username": "alice", "password": PASSWORD})
    assert right.status_code == 429


def test_the_account_ceiling_holds_whatever_address_the_guesses_come_from(
    alice: User, limits_on: Any
) -> None:
    statuses = []
    for n in range(capacity("login_account") + 1):
        client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        answer = client.post(
            "/api/v1/auth/token",
            {"username": "ALICE ", "password": "guess"},  # case and spaces change nothing
            content_type="application/json",
        )
        statuses.append(answer.status_code)
    assert statuses[-1] == 429


def test_a_spoofed_forwarded_for_does_not_make_a_new_address(db: None, limits_on: Any) -> None:
    statuses = []
    for n in range(capacity("login_address") + 1):
        answer = Client().post(
            "/api/v1/auth/token",
            {"username": f"someone{n}", "password": "guess"},
            content_type="application/json",
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
        statuses.append(answer.status_code)
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(db: None, limits_on: Any) -> None:
    limits_on.HUZHU_TRUSTED_PROXIES = ["10.0.0.2"]
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    statuses = [
        proxy.post(
            "/api/v1/auth/token",
            {"username": f"someone{n}", "password": "guess"},
            content_type="application/json",
            headers={"X-Forwarded-For": f"1.2.3.4, 198.51.100.{n}"},  # the client wrote 1.2.3.4
        ).status_code
        for n in range(capacity("login_address") + 5)
    ]
    assert 429 not in statuses  # each request came from another client behind the proxy


def test_path_variants_do_not_slip_past_a_limit(api: Api, alice: User, limits_on: Any) -> None:
    wrong = {"username": "alice", "password": "nope"}
    for _ in range(capacity("login_account")):
        api.post("/api/v1/auth/token", wrong)
    right = {"username": "alice", "password": PASSWORD}
    for path in ("/api/v1/auth/token", "/api/v1/auth/token/", "/api/v1//auth/token"):
        assert api.post(path, right).status_code in {404, 405, 429}, path
    assert api.client.head("/api/v1/auth/token").status_code == 405
    assert api.post("/api/v1/auth/token?format=json", right).status_code == 429


def test_posting_is_limited_per_account(
    api: Api, alice: User, bob: User, limits_on: Any, settings: Any
) -> None:
    settings.HUZHU_TL0_OPEN_NEEDS = 100  # the rate limit, not the trust quota, is under test
    as_alice = api.as_user(alice)
    for _ in range(capacity("post_account")):
        assert as_alice.post("/api/v1/posts", NEED).status_code == 201
    refused = as_alice.post("/api/v1/posts", NEED)
    assert refused.status_code == 429
    assert api.as_user(bob).post("/api/v1/posts", NEED).status_code == 201
    assert Post.objects.filter(owner=alice).count() == capacity("post_account")


def test_responses_and_messages_are_limited_per_account(
    api: Api, alice: User, bob: User, alices_need: Post, limits_on: Any
) -> None:
    limits_on.HUZHU_RATE_LIMIT_SCALE = 0.02  # one response, one message
    exchange = respond_to_post(post=alices_need, responder=bob, quantity=1, message="")
    as_alice = api.as_user(alice)
    path = f"/api/v1/exchanges/{exchange.pk}/messages"
    assert as_alice.post(path, {"body": "Thank you"}).status_code == 201
    assert as_alice.post(path, {"body": "See you at 7"}).status_code == 429
    as_bob = api.as_user(bob)
    first = as_bob.post(f"/api/v1/posts/{alices_need.pk}/exchanges", {"quantity": 1, "message": ""})
    assert first.status_code in {201, 409}  # bob already responded: 409, and it still counts
    second = as_bob.post(
        f"/api/v1/posts/{alices_need.pk}/exchanges", {"quantity": 1, "message": ""}
    )
    assert second.status_code == 429


def test_the_web_log_in_answers_with_a_page_and_retry_after(
    client: Client, alice: User, limits_on: Any
) -> None:
    url = reverse("login")
    for _ in range(capacity("login_account")):
        client.post(url, {"username": "alice", "password": "nope"})
    page = client.post(url, {"username": "alice", "password": PASSWORD})
    assert page.status_code == 429
    assert int(page["Retry-After"]) >= 1
    assert "Too many attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.slow
def test_a_limit_holds_across_two_worker_processes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """12 sign-ups at once from one address through `huzhu serve` with two gunicorn workers,
    against a limit of 5: exactly 5 accounts, 7 answers of 429."""
    workdir = tmp_path_factory.mktemp("limited")
    with scratch_database(workdir, settings.DATABASE_URL) as env:
        server = Server(
            ["-m", "huzhu.cli", "serve", "--no-scheduler"],
            # 5 sign-ups per address an hour
            {
                **env,
                "HUZHU_WEB_WORKERS": "2",
                "HUZHU_WEB_THREADS": "4",
                "HUZHU_RATE_LIMIT_SCALE": "0.25",
            },
            workdir,
        )
        try:
            server.start()
            start = threading.Barrier(12)
            answers: list[int] = []

            def sign_up(n: int) -> None:
                start.wait(timeout=60)
                body = {"username": f"crowd{n}", "password": PASSWORD}
                answers.append(call(server.url, "POST", "/api/v1/auth/signup", body).status)

            threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(12)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert sorted(answers) == [201] * 5 + [429] * 7, server.output()[-3000:]
        finally:
            server.stop()
