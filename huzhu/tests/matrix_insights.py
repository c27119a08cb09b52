"""Authorization-matrix rows for the organiser side of insights: transparency reports, the
heat map, feedback and the "what we improved" log.

Organiser pages are 404 to everyone but staff, like the moderation console. In the world,
a transparency report exists for 2020-01, and the owner gave the platform a low rating.
"""

from huzhu.tests.matrix import Route, expect

INSIGHTS_API: dict[str, Route] = {
    "POST /api/v1/feedback": Route(expect(401, 201), lambda w, a: {"rating": 4}),
    "GET /api/v1/improvements": Route(expect(200, 200)),
}

INSIGHTS_WEB: dict[str, Route] = {
    "GET transparency_reports": Route(expect(200, 200)),
    "GET transparency_report": Route(expect(200, 200)),
    "GET organiser_heatmap": Route(expect(404, 404, moderator=200, operator=200)),
    "GET organiser_posts_csv": Route(expect(404, 404, moderator=200, operator=200)),
    "GET feedback": Route(expect(302, 200)),
    "POST feedback": Route(expect(302, 302), lambda w, a: {"rating": "4"}),
    "GET improvements": Route(expect(200, 200)),
    "GET organiser_feedback": Route(expect(404, 404, moderator=200, operator=200)),
    # The owner's low rating, in the organisers' queue.
    "POST organiser_feedback_handle": Route(
        expect(404, 404, moderator=302, operator=302), lambda w, a: {"theme": "app"}
    ),
    "POST organiser_improvement_new": Route(
        expect(404, 404, moderator=302, operator=302),
        lambda w, a: {"title": "Faster", "body": "Quicker matches", "themes": ["speed"]},
    ),
}

INSIGHTS_WEB_METHODS: dict[str, tuple[str, ...]] = {
    "transparency_reports": ("GET",),
    "transparency_report": ("GET",),
    "organiser_heatmap": ("GET",),
    "organiser_posts_csv": ("GET",),
    "feedback": ("GET", "POST"),
    "improvements": ("GET",),
    "organiser_feedback": ("GET",),
    "organiser_feedback_handle": ("POST",),
    "organiser_improvement_new": ("POST",),
}

INSIGHTS_WEB_ARGS: dict[str, list[object]] = {
    "transparency_report": ["2020-01"],
}
