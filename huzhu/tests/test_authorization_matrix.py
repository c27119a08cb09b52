"""The authorization matrix: every route × every actor → the expected answer.

One table for the whole site. The first test enumerates the URL resolver and the OpenAPI
schema, so a route that is not in the table fails the suite; every new route enters the
table in the same change. The second test makes each request as each actor against a fresh
world and checks the status code.

Actors (docs/TRUST.md): anonymous; `new`, a user who just signed up (TL0); `verified`, a user past
verification (TL1);
`owner`, who owns the object; `counterpart`, who has an exchange with the owner on it;
`outsider`, unrelated to it; `moderator` (staff); `operator` (superuser). The object in
every object-scoped route is the owner's listed need; the owner, at TL0, may not open a
second one. A verification belongs to the owner.
"""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from huzhu.accounts.services import issue_token
from huzhu.api import api
from huzhu.conftest import BEIJING
from huzhu.tests.matrix import ACTORS, World
from huzhu.tests.matrix_core import API, WEB, WEB_METHODS, WEB_PREFIXES_NOT_IN_MATRIX
from huzhu.tests.matrix_insights import (
    INSIGHTS_WEB_ARGS,
)
from huzhu.tests.matrix_reach import REACH_WEB_ARGS
from huzhu.tests.matrix_trust import (
    trust_web_args,
)
from huzhu.tests.matrix_world import build_world


def api_routes() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def web_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and not route.startswith(
                WEB_PREFIXES_NOT_IN_MATRIX
            ):
                names.add(pattern.name or route)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_api_route_is_in_the_matrix() -> None:
    assert api_routes() == set(API), "add the missing routes to API (or drop stale rows)"


def test_every_web_view_is_in_the_matrix() -> None:
    assert web_url_names() == set(WEB_METHODS), "add the missing views to WEB and WEB_METHODS"
    rows = {f"{method} {name}" for name, methods in WEB_METHODS.items() for method in methods}
    assert rows | {"GET admin:index"} == set(WEB)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _path_for(template: str, world: World) -> str:
    return (
        template.replace("{post_id}", str(world.post.pk))
        .replace("{exchange_id}", str(world.exchange_id))
        .replace("{notification_id}", str(world.notification_id))
        .replace("{verification_id}", str(world.verification_id))
        .replace("{alert_id}", str(world.alert_id))
        .replace("{sanction_id}", str(world.sanction_id))
        .replace("{user_id}", str(world.person_id))
        .replace("{token_id}", str(world.token_id))
        .replace("{subscription_id}", "999999")
    )


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", sorted(API))
def test_api_answers_each_actor_as_the_matrix_says(world: World, route: str, actor: str) -> None:
    method, template = route.split(" ", 1)
    spec = API[route]
    headers = {}
    if actor != "anonymous":
        headers["Authorization"] = f"Bearer {issue_token(user=world.users[actor]).secret}"
    body = spec.body(world, actor)
    client = Client()
    path = _path_for(template, world)
    if method == "GET":
        response = client.get(
            path, {"lat": str(BEIJING[0]), "lng": str(BEIJING[1])}, headers=headers
        )
    else:
        response = client.generic(
            method,
            path,
            json.dumps(body or {}),
            "application/json",
            headers=headers,
        )
    assert response.status_code == spec.expected[actor], response.content


def _web_path(name: str, world: World) -> str:
    post, exchange = world.post.pk, world.exchange_id
    args: dict[str, list[Any]] = {
        **{
            name: [post]
            for name in ("post_detail", "post_status", "post_edit", "post_respond", "post_checkin")
        },
        **{name: [exchange] for name in ("exchange_detail", "exchange_messages")},
        "report": ["post", post],
        "alert_delete": [world.alert_id],
        "exchange_action": [exchange, "accept"],
        "verify_confirm": [world.verification_id],
        "moderation_target": ["post", post],
        "moderation_action": ["post", post, "warn"],
        "moderation_lift": [world.sanction_id],
        "my_appeal": [world.sanction_id],
        "moderation_appeal": [world.appeal_id],
        "moderation_appeal_action": [world.appeal_id, "reply"],
        "organiser_feedback_handle": [world.feedback_id],
        **INSIGHTS_WEB_ARGS,
        **REACH_WEB_ARGS,
        "moderation_held_action": [post, "release"],
        "moderation_review_handled": [world.review_id],
        "moderation_no_show_decide": [exchange, "overturn"],
        **trust_web_args(world),
    }
    return reverse(name, args=args.get(name, []))


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", sorted(WEB))
def test_web_answers_each_actor_as_the_matrix_says(world: World, row: str, actor: str) -> None:
    method, name = row.split(" ", 1)
    spec = WEB[row]
    client = Client()
    if actor != "anonymous":
        client.force_login(world.users[actor])
    path = _web_path(name, world)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, spec.body(world, actor) or {})
    assert response.status_code == spec.expected[actor], (row, actor, response.content[:500])
