"""The authorization matrix's rows for the core routes (posts, exchanges, accounts, the web
pages), and the whole table: these rows merged with each area's (matrix_*.py). The tests
that walk it are in test_authorization_matrix.py."""

from typing import Any

from huzhu.conftest import BEIJING, PASSWORD
from huzhu.tests.matrix import Route, World, expect
from huzhu.tests.matrix_guidance import GUIDANCE_API, GUIDANCE_WEB, GUIDANCE_WEB_METHODS
from huzhu.tests.matrix_insights import (
    INSIGHTS_API,
    INSIGHTS_WEB,
    INSIGHTS_WEB_METHODS,
)
from huzhu.tests.matrix_moderation import (
    MODERATION_API,
    MODERATION_WEB,
    MODERATION_WEB_METHODS,
)
from huzhu.tests.matrix_reach import REACH_API, REACH_WEB, REACH_WEB_METHODS
from huzhu.tests.matrix_trust import (
    TRUST_API,
    TRUST_WEB,
    TRUST_WEB_METHODS,
)


def _post_body(world: World, actor: str) -> dict[str, Any]:
    return {
        "kind": "need",
        "title": "Need paracetamol",
        "category": "medicine",
        "item": "paracetamol",
        "quantity": 2,
        "lat": BEIJING[0],
        "lng": BEIJING[1],
    }


def _signup_body(world: World, actor: str) -> dict[str, Any]:
    return {"username": f"newcomer-{actor}", "password": PASSWORD}


def _verification_body(world: World, actor: str) -> dict[str, Any]:
    return {"method": "email", "address": f"{actor}@example.org"}


def _token_body(world: World, actor: str) -> dict[str, Any]:
    return {"username": "alice", "password": PASSWORD}


def _web_post_form(world: World, actor: str) -> dict[str, Any]:
    return {
        "kind": "need",
        "item": "paracetamol",
        "title": "Need paracetamol",
        "quantity": "2",
        "lat": str(BEIJING[0]),
        "lng": str(BEIJING[1]),
        "precision": "1000",
    }


def _alert_body(world: World, actor: str) -> dict[str, Any]:
    return {
        "kind": "need",
        "item": "ibuprofen",
        "lat": BEIJING[0],
        "lng": BEIJING[1],
        "radius_km": 3,
    }


def _preferences_body(world: World, actor: str) -> dict[str, Any]:
    kinds = ("response", "accepted", "declined", "message", "completed", "checkin", "alert")
    return {**dict.fromkeys(kinds, True), "quiet": True}


def _web_signup_form(world: World, actor: str) -> dict[str, Any]:
    return {"username": f"web-{actor}", "password": PASSWORD, "password_again": PASSWORD}


# API routes are keyed "METHOD /api/v1/path" as in the OpenAPI schema.
API: dict[str, Route] = {
    "POST /api/v1/auth/signup": Route(expect(201, 201), _signup_body),
    "POST /api/v1/auth/token": Route(expect(200, 200), _token_body),
    "DELETE /api/v1/auth/token": Route(expect(401, 204)),
    # The same answer for every address; a made-up code is refused for everyone alike.
    "POST /api/v1/auth/reset": Route(expect(202, 202), lambda w, a: {"address": "x@example.org"}),
    "POST /api/v1/auth/reset/confirm": Route(
        expect(422, 422), lambda w, a: {"code": "made-up", "password": "a new long password"}
    ),
    "GET /api/v1/me": Route(expect(401, 200)),
    "GET /api/v1/me/tokens": Route(expect(401, 200)),
    # Someone else's token is as unknown as a token that does not exist.
    "DELETE /api/v1/me/tokens/{token_id}": Route(expect(401, 404, owner=204)),
    "GET /api/v1/me/export": Route(expect(401, 200)),
    "DELETE /api/v1/me": Route(expect(401, 204)),
    "GET /api/v1/me/trust": Route(expect(401, 200)),
    "POST /api/v1/me/verifications": Route(expect(401, 201), _verification_body),
    # A code that cannot match: the owner's answer is "wrong code", everyone else's 404.
    "POST /api/v1/me/verifications/{verification_id}/confirm": Route(
        expect(401, 404, owner=422), lambda w, a: {"code": "abc"}
    ),
    "POST /api/v1/posts": Route(expect(401, 201, owner=403), _post_body),
    "GET /api/v1/posts": Route(expect(200, 200)),
    "GET /api/v1/catalogue": Route(expect(200, 200)),
    "GET /api/v1/posts/{post_id}": Route(expect(200, 200)),
    "PATCH /api/v1/posts/{post_id}": Route(
        expect(401, 404, owner=200), lambda world, actor: {"title": "Ibuprofen for my mother"}
    ),
    "POST /api/v1/posts/{post_id}/status": Route(
        expect(401, 404, owner=200), lambda world, actor: {"status": "withdrawn"}
    ),
    # Exchanges: the counterpart pledged to the owner's need (giver), the owner receives.
    "POST /api/v1/posts/{post_id}/exchanges": Route(
        expect(401, 201, owner=409, counterpart=409), lambda w, a: {"quantity": 1}
    ),
    "GET /api/v1/exchanges": Route(expect(401, 200)),
    "GET /api/v1/exchanges/{exchange_id}": Route(expect(401, 404, owner=200, counterpart=200)),
    "POST /api/v1/exchanges/{exchange_id}/accept": Route(
        expect(401, 404, owner=200, counterpart=403)
    ),
    "POST /api/v1/exchanges/{exchange_id}/decline": Route(
        expect(401, 404, owner=200, counterpart=403)
    ),
    "POST /api/v1/exchanges/{exchange_id}/cancel": Route(
        expect(401, 404, owner=200, counterpart=200), lambda w, a: {"reason": "plans changed"}
    ),
    "POST /api/v1/exchanges/{exchange_id}/handed-over": Route(
        expect(401, 404, owner=403, counterpart=409), lambda w, a: {"handover_happened": True}
    ),
    "POST /api/v1/exchanges/{exchange_id}/complete": Route(
        expect(401, 404, owner=409, counterpart=403), lambda w, a: {"handover_happened": True}
    ),
    # Only an accepted exchange can be disputed, only a disputed one settled: the proposed
    # exchange proves who gets past access to the state check (409).
    "POST /api/v1/exchanges/{exchange_id}/dispute": Route(
        expect(401, 404, owner=409, counterpart=409), lambda w, a: {"reason": "no show"}
    ),
    "POST /api/v1/exchanges/{exchange_id}/settle": Route(
        expect(401, 404, owner=403, counterpart=403, moderator=409, operator=409),
        lambda w, a: {"outcome": "completed", "reason": "checked"},
    ),
    # No hand-over was missed in the world's exchange: nothing to contest or decide (404)
    # once past access; its two people may not decide their own (403).
    "POST /api/v1/exchanges/{exchange_id}/no-show/contest": Route(
        expect(401, 404), lambda w, a: {"reason": "I was there"}
    ),
    "POST /api/v1/exchanges/{exchange_id}/no-show/decide": Route(
        expect(401, 404, owner=403, counterpart=403),
        lambda w, a: {"overturn": True, "reason": "checked"},
    ),
    "POST /api/v1/exchanges/{exchange_id}/reveal-contact": Route(
        expect(401, 404, owner=200, counterpart=200)
    ),
    "GET /api/v1/exchanges/{exchange_id}/messages": Route(
        expect(401, 404, owner=200, counterpart=200)
    ),
    "POST /api/v1/exchanges/{exchange_id}/messages": Route(
        expect(401, 404, owner=201, counterpart=201), lambda w, a: {"body": "Tonight at 7?"}
    ),
    # Reviews: the world's exchange is only proposed, so its two people get 409 not_completed.
    "POST /api/v1/exchanges/{exchange_id}/review": Route(
        expect(401, 404, owner=409, counterpart=409), lambda w, a: {"score": 5}
    ),
    "GET /api/v1/exchanges/{exchange_id}/reviews": Route(
        expect(401, 404, owner=200, counterpart=200)
    ),
    "GET /api/v1/notifications": Route(expect(401, 200)),
    "POST /api/v1/notifications/{notification_id}/read": Route(expect(401, 404, owner=200)),
    "POST /api/v1/notifications/read-all": Route(expect(401, 200)),
    "GET /api/v1/me/notification-preferences": Route(expect(401, 200)),
    "PUT /api/v1/me/notification-preferences": Route(expect(401, 200), _preferences_body),
    # Alerts and matches: the owner's alert; matches of the owner's need.
    "GET /api/v1/alerts": Route(expect(401, 200)),
    "POST /api/v1/alerts": Route(expect(401, 201), _alert_body),
    "DELETE /api/v1/alerts/{alert_id}": Route(expect(401, 404, owner=204)),
    "GET /api/v1/posts/{post_id}/matches": Route(expect(401, 404, owner=200)),
    "POST /api/v1/posts/{post_id}/still-needed": Route(
        expect(401, 404, owner=200), lambda w, a: {"still_needed": True}
    ),
    # Reports of the owner's need: anyone who sees it may report it, except its owner.
    "POST /api/v1/reports": Route(
        expect(401, 201, owner=422),
        lambda w, a: {"target_type": "post", "target_id": w.post.pk, "reason": "selling"},
    ),
    # Transparency: public aggregates, the same for everyone.
    "GET /api/v1/stats": Route(expect(200, 200)),
    # Consents are one's own; only the owner turned the "for you" feed on (409 for the rest).
    "GET /api/v1/me/consents": Route(expect(401, 200)),
    "PUT /api/v1/me/consents": Route(
        expect(401, 200),
        lambda w, a: {
            "for_you_feed": True,
            "activity_recommendations": True,
            "public_thanks": False,
        },
    ),
    "GET /api/v1/me/for-you": Route(expect(401, 409, owner=200)),
    "PUT /api/v1/me/for-you": Route(expect(401, 409, owner=200), lambda w, a: {"place": "centre"}),
    "DELETE /api/v1/me/for-you": Route(expect(401, 204)),
    **MODERATION_API,
    **GUIDANCE_API,
    **REACH_API,
    **INSIGHTS_API,
    **TRUST_API,
}

# Web views are keyed "METHOD url-name". Redirects to the log-in page are 302.
WEB: dict[str, Route] = {
    "GET home": Route(expect(200, 200)),
    "GET feed_map": Route(expect(302, 200)),  # the feed as a map: members only
    "GET healthz": Route(expect(200, 200)),
    "GET metrics": Route(expect(404, 404)),  # off unless HUZHU_METRICS_TOKEN is set
    "GET post_new": Route(expect(302, 200)),
    "POST post_new": Route(expect(302, 302, owner=200), _web_post_form),  # TL0: one need
    "GET post_detail": Route(expect(200, 200)),
    "POST post_status": Route(expect(302, 404, owner=302), lambda w, a: {"status": "withdrawn"}),
    "GET post_edit": Route(expect(302, 404, owner=200)),
    "POST post_edit": Route(
        expect(302, 404, owner=302),
        lambda w, a: {"title": "Ibuprofen for my mother", "quantity": "2"},
    ),
    "GET my_posts": Route(expect(302, 200)),
    "GET export_download": Route(expect(302, 200)),
    "GET account_erase": Route(expect(302, 200)),
    "POST account_erase": Route(expect(302, 302), lambda w, a: {"password": PASSWORD}),
    "GET signup": Route(expect(200, 200)),
    "POST signup": Route(expect(302, 302), _web_signup_form),
    "GET login": Route(expect(200, 200)),
    "POST login": Route(expect(302, 302), _token_body),
    "GET password_reset": Route(expect(200, 200)),
    "POST password_reset": Route(expect(200, 200), lambda w, a: {"address": "x@example.org"}),
    "GET password_reset_confirm": Route(expect(200, 200)),
    "POST password_reset_confirm": Route(
        expect(422, 422),
        lambda w, a: {"code": "made-up", "password": PASSWORD, "password_again": PASSWORD},
    ),
    "POST logout": Route(expect(302, 302)),
    "POST set_language": Route(expect(302, 302), lambda w, a: {"language": "zh-hans"}),
    "GET admin:index": Route(expect(302, 302, moderator=200, operator=200)),
    # Exchanges: the counterpart's proposed exchange on the owner's need.
    "POST post_respond": Route(expect(302, 302), lambda w, a: {"quantity": "1"}),
    "GET exchange_detail": Route(expect(302, 404, owner=200, counterpart=200)),
    "GET exchange_messages": Route(expect(302, 404, owner=302, counterpart=302)),
    "POST exchange_messages": Route(
        expect(302, 404, owner=302, counterpart=302), lambda w, a: {"body": "Tonight at 7?"}
    ),
    "POST exchange_action": Route(expect(302, 404, owner=302, counterpart=403)),  # accept
    # Reporting the owner's need from the web: anyone signed in but its owner (422).
    "GET report": Route(expect(302, 200, owner=422)),
    "POST report": Route(expect(302, 302, owner=422), lambda w, a: {"reason": "spam"}),
    "GET inbox": Route(expect(302, 200)),
    "POST inbox_read": Route(expect(302, 302)),
    "GET trust": Route(expect(302, 200)),
    "GET stories": Route(expect(200, 200)),
    "GET verify_start": Route(expect(302, 200)),
    "POST verify_start": Route(expect(302, 302), _verification_body),
    "GET verify_confirm": Route(expect(302, 404, owner=200)),
    "POST verify_confirm": Route(expect(302, 404, owner=422), lambda w, a: {"code": "abc"}),
    "POST post_checkin": Route(
        expect(302, 404, owner=302), lambda w, a: {"answer": "still_needed"}
    ),
    "GET alerts": Route(expect(302, 200)),
    "POST alerts": Route(
        expect(302, 302),
        lambda w, a: {"kind": "need", "item": "ibuprofen", "place": "centre", "radius_km": "3"},
    ),
    "POST alert_delete": Route(expect(302, 404, owner=302)),
    "GET notification_settings": Route(expect(302, 200)),
    "POST notification_settings": Route(expect(302, 302), lambda w, a: {"quiet": "on"}),
    "GET transparency": Route(expect(200, 200)),
    "GET transparency_csv": Route(expect(200, 200)),
    # The organisers' import page does not exist for anyone but staff; a check creates nothing.
    "GET organiser_import": Route(expect(404, 404, moderator=200, operator=200)),
    "POST organiser_import": Route(
        expect(404, 404, moderator=200, operator=200),
        lambda w, a: {"csv_text": "kind,title\nneed,Rice\n", "action": "check"},
    ),
    # Two-factor log-in is for staff: the page does not exist for anyone else.
    "GET two_factor": Route(expect(302, 404, moderator=200, operator=200)),
    "POST two_factor": Route(
        expect(302, 404, moderator=200, operator=200), lambda w, a: {"code": "000000"}
    ),
    "GET consents": Route(expect(302, 200)),
    "POST consents": Route(expect(302, 302), lambda w, a: {"for_you_feed": "on"}),
    "GET for_you": Route(expect(302, 200)),
    "POST for_you": Route(expect(302, 200, owner=302), lambda w, a: {"place": "centre"}),
    "POST for_you_reset": Route(expect(302, 302)),
    **MODERATION_WEB,
    **GUIDANCE_WEB,
    **REACH_WEB,
    **INSIGHTS_WEB,
    **TRUST_WEB,
}
# Views whose pages carry no path parameters or state beyond what the rows above prove:
# Django's own admin checks staff status on every admin view, as the admin:index row shows.
WEB_PREFIXES_NOT_IN_MATRIX = ("admin/", "api/v1/", "static/")
WEB_METHODS = {
    "home": ("GET",),
    "feed_map": ("GET",),
    "healthz": ("GET",),
    "metrics": ("GET",),
    "post_new": ("GET", "POST"),
    "post_detail": ("GET",),
    "post_status": ("POST",),
    "post_edit": ("GET", "POST"),
    "my_posts": ("GET",),
    "export_download": ("GET",),
    "account_erase": ("GET", "POST"),
    "signup": ("GET", "POST"),
    "login": ("GET", "POST"),
    "password_reset": ("GET", "POST"),
    "password_reset_confirm": ("GET", "POST"),
    "logout": ("POST",),
    "set_language": ("POST",),
    "post_respond": ("POST",),
    "exchange_detail": ("GET",),
    "report": ("GET", "POST"),
    "exchange_messages": ("GET", "POST"),
    "exchange_action": ("POST",),
    "inbox": ("GET",),
    "inbox_read": ("POST",),
    "trust": ("GET",),
    "stories": ("GET",),
    "verify_start": ("GET", "POST"),
    "verify_confirm": ("GET", "POST"),
    "post_checkin": ("POST",),
    "alerts": ("GET", "POST"),
    "alert_delete": ("POST",),
    "notification_settings": ("GET", "POST"),
    "transparency": ("GET",),
    "transparency_csv": ("GET",),
    "organiser_import": ("GET", "POST"),
    "consents": ("GET", "POST"),
    "two_factor": ("GET", "POST"),
    "for_you": ("GET", "POST"),
    "for_you_reset": ("POST",),
    **MODERATION_WEB_METHODS,
    **GUIDANCE_WEB_METHODS,
    **REACH_WEB_METHODS,
    **INSIGHTS_WEB_METHODS,
    **TRUST_WEB_METHODS,
}
