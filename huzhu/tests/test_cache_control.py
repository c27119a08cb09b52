"""Private answers carry `Cache-Control: no-store`; public pages answered to visitors stay
cacheable. Every GET route of the authorization matrix, API and web, as the owner (signed
in) and as a visitor."""

import pytest
from django.http import HttpResponseBase
from django.test import Client

from huzhu.accounts.services import issue_token
from huzhu.conftest import BEIJING
from huzhu.tests.matrix_core import API, WEB
from huzhu.tests.matrix_world import build_world
from huzhu.tests.test_authorization_matrix import _path_for, _web_path
from huzhu.web.cache_control import PRIVATE_PATHS, PRIVATE_PREFIXES

PUBLIC_PAGES = {"/", "/transparency", "/stories", "/guidance", "/moderation-log", "/login"}
PUBLIC_API = {"/api/v1/posts", "/api/v1/stats", "/api/v1/guidance", "/api/v1/moderation-log"}
# Named in the issue: each must be private to everyone, signed in or not.
PRIVATE = {
    "/api/v1/me",
    "/api/v1/me/export",
    "/api/v1/exchanges",
    "/api/v1/notifications",
    "/api/v1/me/trust",
    "/me/export",
    "/me/inbox",
    "/me/trust",
    "/me/verify",
}


def private(path: str) -> bool:
    return path.startswith(PRIVATE_PREFIXES) or path in PRIVATE_PATHS


def no_store(response: HttpResponseBase) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_every_answer_to_a_signed_in_request_or_a_private_path_is_not_stored() -> None:
    world = build_world()
    owner = world.users["owner"]
    bearer = {"Authorization": f"Bearer {issue_token(user=owner).secret}"}
    browser = Client()
    browser.force_login(owner)
    stored: list[str] = []
    checked: set[str] = set()
    near = {"lat": str(BEIJING[0]), "lng": str(BEIJING[1])}
    for route in sorted(r for r in API if r.startswith("GET ")):
        path = _path_for(route.split(" ", 1)[1], world)
        checked.add(path)
        if not no_store(Client().get(path, near, headers=bearer)):
            stored.append(f"{path} as the owner")
        if private(path) and not no_store(Client().get(path, near)):
            stored.append(f"{path} to a visitor")
    for row in sorted(r for r in WEB if r.startswith("GET ")):
        path = _web_path(row.split(" ", 1)[1], world)
        checked.add(path)
        if not no_store(browser.get(path)):
            stored.append(f"{path} as the owner")
        if private(path) and not no_store(Client().get(path)):
            stored.append(f"{path} to a visitor")
    assert {path.split("?")[0] for path in checked} >= PRIVATE
    assert stored == []


@pytest.mark.django_db
def test_public_answers_to_visitors_stay_cacheable() -> None:
    for path in sorted(PUBLIC_PAGES | PUBLIC_API):
        query = {"lat": str(BEIJING[0]), "lng": str(BEIJING[1])} if "posts" in path else {}
        response = Client().get(path, query)
        assert response.status_code == 200, path
        assert not no_store(response), path
