"""Authorization-matrix rows for the guidance: public pages and a public assistant.

Everyone, signed in or not, reads the rules and may check a draft; the assistant's "no"s
are bad input (422) and the per-address limit (429), in huzhu/safety/tests/test_guidance_ask.py.
"""

from huzhu.tests.matrix import Route, expect


def _draft(world: object, actor: str) -> dict[str, str]:
    return {"title": "Spare thermometer", "body": "A digital thermometer, barely used."}


GUIDANCE_API: dict[str, Route] = {
    "GET /api/v1/guidance": Route(expect(200, 200)),
    "POST /api/v1/guidance/ask": Route(expect(200, 200), _draft),
}

GUIDANCE_WEB: dict[str, Route] = {
    "GET guidance": Route(expect(200, 200)),
    "GET guidance_ask": Route(expect(200, 200)),
    "POST guidance_ask": Route(expect(200, 200), _draft),
}

GUIDANCE_WEB_METHODS: dict[str, tuple[str, ...]] = {
    "guidance": ("GET",),
    "guidance_ask": ("GET", "POST"),
}
