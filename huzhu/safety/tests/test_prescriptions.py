"""Prescription and controlled medicines as data: issue 15's misses, negated mentions, an
operator's own file, and the post pickers that never list them."""

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from huzhu.posts.catalogue import prescription_names
from huzhu.text import prescriptions
from huzhu.text.prescriptions import DATA_FILE, read_names
from huzhu.text.rules import prescription_only

pytestmark = pytest.mark.django_db

REFUSED = [
    "家里有美沙酮",
    "spare methadone",
    "求氯硝西泮",
    "clonazepam 2 strips",
    "有普瑞巴林 分享",
    "pregabalin for nerve pain",
    "sertraline, unopened",
    "多余的舍曲林",
    "insulin pens, unopened",
    "诺和锐笔芯",
    "安眠药送人",
    "左氧 一盒",
    "amoxycillin",
    "阿莫细林一盒",
    "吗 啡",
    "吗\u200b啡",
    "艾司唑仑两板",
    "佐匹克隆",
    "强的松片",
    "美卓乐 4mg",
    "普米克令舒 雾化用",
    "联邦止咳露 一瓶",
    "Augmentin 625",
    "Primovir",
    "0xy 10mg",
    "OXYCONTIN",
    "ＸＡＮＡＸ",
    "头孢克肟分享",
    "spare Tamiflu",
    "曲马多",
    "lorazepam",
    "唑吡坦",
    "Paxlovid",
]

ALLOWED = [
    "医生说不用吃头孢 求布洛芬",
    "对青霉素过敏，求对乙酰氨基酚",
    "不是处方药，是布洛芬",
    "allergic to penicillin, need paracetamol",
    "no antibiotics needed, just ibuprofen",
    "需要布洛芬和退热贴",
    "川贝枇杷露一瓶",
    "安定门附近",
    "lithium batteries for a torch",
    "Looking for oxygen concentrator",
]


@pytest.mark.parametrize("text", REFUSED)
def test_it_refuses_prescription_and_controlled_medicines(text: str) -> None:
    assert prescription_only(text, prescription_names()) is not None, text


@pytest.mark.parametrize("text", ALLOWED)
def test_it_lets_negated_mentions_and_other_words_through(text: str) -> None:
    breach = prescription_only(text, prescription_names())
    assert breach is None, breach


def test_the_data_file_covers_each_class_in_both_languages() -> None:
    rows = read_names(DATA_FILE)
    classes = {kind for kind, _ in rows}
    assert {
        "narcotic",
        "opioid",
        "benzodiazepine",
        "z_drug",
        "antibiotic",
        "antiviral",
        "steroid",
        "inhaled_steroid",
        "injectable",
        "antidepressant",
        "antipsychotic",
        "anticonvulsant",
    } <= classes
    assert len(rows) > 400
    assert any(name.isascii() for _, name in rows)
    assert any(not name.isascii() for _, name in rows)


def test_an_operator_extends_the_list(tmp_path: Path) -> None:
    extra = tmp_path / "local.tsv"
    extra.write_text("# ours\nlocal\t本地特管甲药|localdrugum\n", encoding="utf-8")
    assert prescription_only("有本地特管甲药", prescription_names()) is None
    prescriptions.data_names.cache_clear()
    try:
        with override_settings(HUZHU_PRESCRIPTION_FILE=str(extra)):
            assert prescription_only("有本地特管甲药", prescription_names()) is not None
            assert prescription_only("spare localdrugum", prescription_names()) is not None
    finally:
        prescriptions.data_names.cache_clear()


def test_the_post_picker_never_lists_prescription_items() -> None:
    from huzhu.posts.forms import PostForm
    from huzhu.web.forms import item_choices

    choices: list[Any] = item_choices("")  # every picker: posts, alerts (issue 14)
    listed = {code for _, group in choices[1:] for code, _ in group}
    form_choices = PostForm().fields["item"].widget.choices  # what the post form renders
    assert "amoxicillin" not in str(list(form_choices))
    assert "ibuprofen" in listed
    assert not listed & {"amoxicillin", "nirmatrelvir", "morphine", "zolpidem", "diazepam"}
