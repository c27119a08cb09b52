"""`{% trust_badge %}` renders exactly what including trust/_badge.html does, remembered per
badge and language."""

from typing import Any

import pytest
from django.template import engines
from django.utils import translation

from huzhu.web.templatetags import huzhu_web

BADGES: list[dict[str, Any]] = [
    {
        "verified": False,
        "level": 0,
        "level_name": "New",
        "completed_exchanges": 0,
        "enough_reviews": False,
        "reviews_counted": 0,
        "positive_lower_bound": 0.0,
        "organisation": None,
    },
    {
        "verified": True,
        "level": 2,
        "level_name": "Known",
        "completed_exchanges": 3,
        "enough_reviews": True,
        "reviews_counted": 5,
        "positive_lower_bound": 0.62,
        "organisation": {"kind": "pharmacy", "kind_label": "Pharmacy", "name": "A <b> & co"},
    },
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("badge", BADGES)
def test_the_tag_renders_what_the_include_does(badge: dict[str, Any], language: str) -> None:
    engine = engines["django"]
    include = engine.from_string('{% include "trust/_badge.html" with badge=badge %}')
    tag = engine.from_string("{% load huzhu_web %}{% trust_badge badge %}")
    huzhu_web._badges.clear()
    with translation.override(language):
        expected = include.render({"badge": badge})
        assert tag.render({"badge": badge}) == expected
        assert tag.render({"badge": badge}) == expected  # remembered, the same
    assert "&lt;b&gt; &amp; co" in expected or badge["organisation"] is None
