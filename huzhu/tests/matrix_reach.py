"""Authorization-matrix rows for reaching people: phone sign-in, web push, SMS webhooks and
the home-screen app's files.

Phone sign-in answers everyone alike (the same 202 whether or not the number has an
account); the webhooks do not exist until the operator configures the provider's secret.
The "no"s beyond these rows (wrong or expired codes, floods, unsigned webhooks) are in
huzhu/trust/tests/test_phone_signin.py and huzhu/exchanges/tests/test_sms_replies.py.
"""

from typing import Any

from huzhu.tests.matrix import ACTORS, Route, expect


def _phone_body(world: object, actor: str) -> dict[str, Any]:
    """A number per actor: the same number twice within a minute would be slowed (429)."""
    return {"phone": f"+86139{ACTORS.index(actor):08d}"}


def _push_body(world: object, actor: str) -> dict[str, Any]:
    keys = {"p256dh": "B" + "A" * 86, "auth": "c2VjcmV0LWF1dGgtMTIzNA"}
    return {"endpoint": f"https://push.example/{actor}", "keys": keys}


REACH_API: dict[str, Route] = {
    "POST /api/v1/auth/phone": Route(expect(202, 202), _phone_body),
    # No code was sent to this number: "wrong, used or expired" for everyone alike.
    "POST /api/v1/auth/phone/confirm": Route(
        expect(422, 422), lambda w, a: {"phone": "+8613700000000", "code": "123456"}
    ),
    "GET /api/v1/me/push-key": Route(expect(401, 200)),
    "POST /api/v1/me/push-subscriptions": Route(expect(401, 201), _push_body),
    # Nobody's subscription has this id: 404 for every member.
    "DELETE /api/v1/me/push-subscriptions/{subscription_id}": Route(expect(401, 404)),
}

REACH_WEB: dict[str, Route] = {
    "GET phone_login": Route(expect(200, 200)),
    "POST phone_login": Route(expect(200, 200), _phone_body),
    # Only after a right code for a suspended account: everyone else goes back to sign in.
    "GET phone_appeal": Route(expect(302, 302)),
    "POST phone_appeal": Route(expect(302, 302), lambda w, a: {"body": "Please"}),
    "GET manifest": Route(expect(200, 200)),
    "GET service_worker": Route(expect(200, 200)),
    "GET offline": Route(expect(200, 200)),
    # Provider webhooks: without the provider's secret configured they do not exist.
    "POST sms_inbound_twilio": Route(expect(404, 404), lambda w, a: {"Body": "STOP"}),
    "POST sms_inbound_aliyun": Route(expect(404, 404)),
}

REACH_WEB_METHODS: dict[str, tuple[str, ...]] = {
    "phone_login": ("GET", "POST"),
    "phone_appeal": ("GET", "POST"),
    "manifest": ("GET",),
    "service_worker": ("GET",),
    "offline": ("GET",),
    "sms_inbound_twilio": ("POST",),
    "sms_inbound_aliyun": ("POST",),
}

REACH_WEB_ARGS: dict[str, list[Any]] = {"sms_inbound_aliyun": ["no-token-configured"]}
