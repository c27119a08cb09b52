"""Authorization-matrix rows for moderation: sanctions, appeals, the console and the log.

The console is 404 to everyone but staff: its existence is not public. In the world, the
moderator warned the owner, and the owner appealed that warning.
"""

from huzhu.conftest import PASSWORD
from huzhu.tests.matrix import Route, expect

MODERATION_API: dict[str, Route] = {
    "GET /api/v1/me/sanctions": Route(expect(401, 200)),
    "GET /api/v1/moderation-log": Route(expect(200, 200)),
    # Appeals of the owner's warning, which the owner appealed already.
    "POST /api/v1/me/sanctions/{sanction_id}/appeal": Route(
        expect(401, 404, owner=409), lambda w, a: {"message": "Please look again"}
    ),
    "GET /api/v1/me/sanctions/{sanction_id}/appeal": Route(expect(401, 404, owner=200)),
    "POST /api/v1/me/sanctions/{sanction_id}/appeal/messages": Route(
        expect(401, 404, owner=201), lambda w, a: {"body": "One more thing"}
    ),
}

MODERATION_WEB: dict[str, Route] = {
    "GET moderation_queue": Route(expect(404, 404, moderator=200, operator=200)),
    "GET moderation_target": Route(expect(404, 404, moderator=200, operator=200)),
    "POST moderation_action": Route(  # warn the owner of the need
        expect(404, 404, moderator=302, operator=302),
        lambda w, a: {"reason": "asked for money", "rule": "gift_only"},
    ),
    "POST moderation_lift": Route(  # lift the owner's warning
        expect(404, 404, moderator=302, operator=302), lambda w, a: {"reason": "a mistake"}
    ),
    # The owner's need is not held: the console's staff get 409 `not_held`, others 404.
    "POST moderation_held_action": Route(
        expect(404, 404, moderator=409, operator=409), lambda w, a: {"reason": "looks fine"}
    ),
    "POST moderation_review_handled": Route(
        expect(404, 404, moderator=302, operator=302), lambda w, a: {"reason": "talked to both"}
    ),
    # No hand-over was missed in the world's exchange: staff are told so (302 back to the
    # console with the message), everyone else 404.
    "POST moderation_no_show_decide": Route(
        expect(404, 404, moderator=302, operator=302), lambda w, a: {"reason": "checked"}
    ),
    "GET moderation_log": Route(expect(200, 200)),
    "GET my_sanctions": Route(expect(302, 200)),
    "GET my_appeal": Route(expect(302, 404, owner=200)),
    "POST my_appeal": Route(expect(302, 404, owner=302), lambda w, a: {"body": "One more thing"}),
    # Only for a suspended or banned person; the owner is only warned, so: log in as usual.
    "POST appeal_restricted": Route(
        expect(302, 302), lambda w, a: {"username": "alice", "password": PASSWORD, "body": "Hi"}
    ),
    # The moderator imposed the owner's warning; replying is fine, deciding is for another.
    "GET moderation_appeal": Route(expect(404, 404, moderator=200, operator=200)),
    "POST moderation_appeal_action": Route(
        expect(404, 404, moderator=302, operator=302), lambda w, a: {"body": "We are looking"}
    ),
}

MODERATION_WEB_METHODS: dict[str, tuple[str, ...]] = {
    "moderation_queue": ("GET",),
    "moderation_target": ("GET",),
    "moderation_action": ("POST",),
    "moderation_lift": ("POST",),
    "moderation_held_action": ("POST",),
    "moderation_review_handled": ("POST",),
    "moderation_no_show_decide": ("POST",),
    "moderation_log": ("GET",),
    "my_sanctions": ("GET",),
    "my_appeal": ("GET", "POST"),
    "appeal_restricted": ("POST",),
    "moderation_appeal": ("GET",),
    "moderation_appeal_action": ("POST",),
}
