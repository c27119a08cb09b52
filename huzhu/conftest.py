"""The test cast, as in healthchecks: alice owns, bob is her counterpart, charlie is an outsider.

`api` is a JSON client; `api.as_user(alice)` sends alice's bearer token.
"""

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.utils import translation

from huzhu.accounts.models import User
from huzhu.accounts.services import issue_token
from huzhu.posts.catalogue import load_catalogue, read_catalogue_file
from huzhu.posts.models import Category
from huzhu.posts.services import PostDraft, create_post

PASSWORD = "correct horse battery staple"
AUDIT_TABLE = "safety_auditentry"
BEIJING = (39.9042, 116.4074)


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Every API answer in every test must match the OpenAPI schema (huzhu/tests/contract.py),
    and no answer may show someone else's exact coordinates (huzhu/tests/coordinate_scan.py).

    Production serves hashed static names from collectstatic's manifest; tests have none.
    A request in Chinese leaves Chinese active in the thread; the next test starts afresh.
    Rate limits are off (the cast acts faster than people); their tests turn them on. So
    are shared anonymous answers (huzhu/public_cache.py; tests/test_public_cache.py turns them
    on) and the posting checks (quotas, duplicates, velocity, first-day caps, holds): the cast's
    accounts are all on their first day and post the same draft; safety/tests turn them on.
    Uploads land in the test's temporary folder, never in the data directory.
    """
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "huzhu.tests.contract.ContractCheckMiddleware",
        "huzhu.tests.coordinate_scan.CoordinateScanMiddleware",
    ]
    settings.HUZHU_RATE_LIMIT_SCALE = 0
    settings.HUZHU_PUBLIC_CACHE_SECONDS = 0
    settings.HUZHU_POSTING_CHECKS = False
    # Uploads (identity-document photos) go to a folder of this test's own.
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _catalogue(request: pytest.FixtureRequest) -> None:
    """The shipped catalogue, for tests that use the database.

    A migration loads it, but a transactional test (live server, processes) ends by
    flushing every table; the next database test then finds it gone and gets it back here,
    committed before the test's own transaction starts.
    """
    uses_db = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        if not Category.objects.exists():
            load_catalogue(read_catalogue_file())


@pytest.fixture(autouse=True)
def _audit_entries_leave_with_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test end although the audit log refuses deletes.

    A transactional test (live server, processes) ends with Django flushing every table; on
    SQLite that is a row-by-row DELETE, which the audit log's trigger refuses (PostgreSQL
    truncates, which the trigger leaves alone). Before the flush this empties the audit
    table with its triggers briefly lifted, so the flush finds no row to refuse.
    """
    marker = request.node.get_closest_marker("django_db")
    wants = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not (wants or (marker is not None and marker.kwargs.get("transaction"))):
        yield
        return
    if wants:
        request.getfixturevalue("transactional_db")  # set up first, so torn down after us
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [AUDIT_TABLE],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute(f"DELETE FROM {AUDIT_TABLE}")
        for _name, sql in triggers:
            cursor.execute(sql)


class Api:
    """A thin JSON client over Django's test client."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def as_user(self, user: User) -> "Api":
        return Api(issue_token(user=user).secret)

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        merged = dict(headers or {})
        if self.token:
            merged.setdefault("Authorization", f"Bearer {self.token}")
        return merged

    def get(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.get(path, params or {}, headers=self._headers(kw.get("headers")))

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body or {})
        return self.client.post(
            path, data, content_type="application/json", headers=self._headers(kw.get("headers"))
        )

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.client.put(
            path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self._headers(kw.get("headers")),
        )

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body or {})
        return self.client.patch(
            path, data, content_type="application/json", headers=self._headers(kw.get("headers"))
        )

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.delete(path, headers=self._headers(kw.get("headers")))


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; hashing the cast's shared password once keeps tests fast.
    return make_password(PASSWORD)


def make_user(username: str) -> User:
    user = User(username=username, display_name=username.capitalize())
    user.password = _password_hash()
    user.save()
    return user


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob")


@pytest.fixture
def charlie(db: None) -> User:
    return make_user("charlie")


@pytest.fixture
def api(db: None) -> Api:
    return Api()


def draft(**overrides: Any) -> PostDraft:
    values: dict[str, Any] = {
        "kind": "need",
        "title": "Need ibuprofen for my father",
        "body": "He has a fever since yesterday.",
        "category": "medicine",
        "item": "ibuprofen",
        "quantity": 4,
        "lat": BEIJING[0],
        "lng": BEIJING[1],
        "tags": ("elderly",),
    }
    values.update(overrides)
    return PostDraft(**values)


@pytest.fixture
def alices_need(alice: User) -> Iterator[Any]:
    yield create_post(owner=alice, draft=draft())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, one per test module (huzhu/web/tests/browsing.py helps).

    Playwright's sync API runs an asyncio event loop in this thread, so Django's guard
    against database queries from async code fires on the test's own synchronous queries.
    Nothing here is async: the guard is lifted while the browser lives, and only then (child
    servers started by other tests must never inherit it).
    """
    from playwright.sync_api import sync_playwright

    from huzhu.web.tests.browsing import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
