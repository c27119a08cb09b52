"""Authorization-matrix rows for the organiser side of insights: transparency reports, the
heat map, feedback and the "what we improved" log.

Organiser pages are 404 to everyone but staff, like the moderation console. In the world,
a transparency report exists for 2020-01.
"""

from huzhu.tests.matrix import Route, expect

INSIGHTS_API: dict[str, Route] = {}

INSIGHTS_WEB: dict[str, Route] = {
    "GET transparency_reports": Route(expect(200, 200)),
    "GET transparency_report": Route(expect(200, 200)),
    "GET organiser_heatmap": Route(expect(404, 404, moderator=200, operator=200)),
}

INSIGHTS_WEB_METHODS: dict[str, tuple[str, ...]] = {
    "transparency_reports": ("GET",),
    "transparency_report": ("GET",),
    "organiser_heatmap": ("GET",),
}

INSIGHTS_WEB_ARGS: dict[str, list[object]] = {
    "transparency_report": ["2020-01"],
}
