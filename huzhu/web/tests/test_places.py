"""An operator's own districts replace the built-in Beijing list; a broken file says why."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import translation

from huzhu import geo
from huzhu.places import (
    check_places,
    districts,
    load_places,
    nearest_place,
    place_near_cell,
    places,
)

SHANGHAI = [
    {"code": "huangpu", "name_zh": "黄浦区", "name_en": "Huangpu", "lat": 31.2317, "lng": 121.4846},
    {"code": "pudong", "name_zh": "浦东新区", "name_en": "Pudong", "lat": 31.2214, "lng": 121.5447},
]


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    load_places.cache_clear()
    yield
    load_places.cache_clear()


def write(tmp_path: Path, content: object) -> str:
    path = tmp_path / "places.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_built_in_districts_are_offered_only_around_beijing() -> None:
    assert "chaoyang" in [place.code for place in districts()]
    with override_settings(HUZHU_DEFAULT_CENTRE=(31.23, 121.47)):  # Shanghai
        assert districts() == ()
        assert [place.code for place in places()] == ["centre"]


def test_an_operators_file_replaces_them_in_both_languages(tmp_path: Path) -> None:
    with override_settings(HUZHU_PLACES_FILE=write(tmp_path, SHANGHAI)):
        assert [place.code for place in places()] == ["centre", "huangpu", "pudong"]
        with translation.override("zh-hans"):
            assert str(districts()[1].name) == "浦东新区"
        with translation.override("en"):
            assert str(districts()[1].name) == "Pudong"
        assert nearest_place(31.22, 121.54).code == "pudong"  # type: ignore[union-attr]
        assert check_places() == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ([], "non-empty JSON list"),
        ({"code": "x"}, "non-empty JSON list"),
        ([{"code": "a", "name_zh": "甲", "name_en": "A", "lat": 95, "lng": 0}], "out of range"),
        ([{"code": "a", "name_en": "A", "lat": 1, "lng": 1}], "name_zh"),
        ([{"code": "a b", "name_zh": "甲", "name_en": "A", "lat": 1, "lng": 1}], "a code is"),
        ([{"code": "a", "name_zh": "甲", "name_en": "A", "lat": "north", "lng": 1}], "north"),
        ([SHANGHAI[0], SHANGHAI[0]], "unique"),
    ],
)
def test_a_broken_file_fails_the_system_check_naming_the_problem(
    tmp_path: Path, content: object, problem: str
) -> None:
    with override_settings(HUZHU_PLACES_FILE=write(tmp_path, content)):
        [error] = check_places()
        assert error.id == "huzhu.E002"
        assert problem in error.msg
        with pytest.raises(ImproperlyConfigured):
            districts()


def test_a_missing_file_fails_the_check_too(tmp_path: Path) -> None:
    with override_settings(HUZHU_PLACES_FILE=str(tmp_path / "nowhere.json")):
        [error] = check_places()
        assert "nowhere.json" in error.msg


def test_the_place_remembered_for_a_cell_follows_the_configuration(tmp_path: Path) -> None:
    """Cards ask per area cell, remembered; another centre or places file is another answer."""
    chaoyang = geo.area_cell_for(39.9215, 116.4435, 1000)
    pudong = geo.area_cell_for(31.2214, 121.5447, 1000)
    assert place_near_cell(chaoyang).code == "chaoyang"  # type: ignore[union-attr]
    assert place_near_cell(pudong) is None
    with override_settings(HUZHU_PLACES_FILE=write(tmp_path, SHANGHAI)):
        assert place_near_cell(chaoyang) is None
        assert place_near_cell(pudong).code == "pudong"  # type: ignore[union-attr]
    with override_settings(HUZHU_DEFAULT_CENTRE=(31.23, 121.47)):
        assert place_near_cell(chaoyang) is None  # Beijing's districts belong to Beijing
    assert place_near_cell(chaoyang).code == "chaoyang"  # type: ignore[union-attr]
