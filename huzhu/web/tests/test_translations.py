"""The zh-Hans catalogue covers the source, is complete, and the committed .mo matches the .po."""

import gettext
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid "(.*)"$|^"(.*)"$', re.MULTILINE)


def po_entries(po: Path = CATALOGUE / "django.po") -> list[tuple[str, str, bool]]:
    """(msgid, first msgstr, fuzzy) for every live entry of a .po file."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n")[1:]:
        if block.lstrip().startswith("#~") or "msgid " not in block:
            continue  # obsolete, or not an entry
        msgid = _joined(block, "msgid")
        msgstr = _joined(block, "msgstr") or _joined(block, r"msgstr\[0\]")
        entries.append((msgid, msgstr, "#, fuzzy" in block or ", fuzzy" in block))
    return entries


def _joined(block: str, keyword: str) -> str:
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block, re.MULTILINE)
    if match is None:
        return ""
    parts = re.findall(r'"(.*)"', match.group(1))
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()


def test_every_message_is_translated() -> None:
    entries = po_entries()
    assert len(entries) > 100
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, fuzzy in entries if fuzzy] == []


def test_the_compiled_catalogue_is_up_to_date() -> None:
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        msgid
        for msgid, msgstr, _ in po_entries()
        if catalogue._catalog.get(msgid, catalogue._catalog.get((msgid, 0))) != msgstr  # type: ignore[attr-defined]
    ]
    assert stale == [], "run `huzhu compilemessages` from huzhu/"


def test_the_catalogue_covers_every_message_in_the_source(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every message `huzhu makemessages` finds in the source is in the .po, translated.

    makemessages runs on a copy of huzhu/ with an empty locale directory, so neither the
    committed catalogue nor the working tree is touched.
    """
    if shutil.which("xgettext") is None:
        pytest.fail(
            "xgettext is not on PATH: install GNU gettext (`apt-get install gettext`, "
            "as `make browser-deps` does) to check the catalogue against the source"
        )
    copy = tmp_path / "huzhu"
    shutil.copytree(
        CATALOGUE.parents[2],
        copy,
        ignore=shutil.ignore_patterns(".venv", "data", "locale", "__pycache__"),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], ignore_patterns=[".venv", "data"], verbosity=0)

    extracted = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    in_source = [msgid for msgid, _, _ in po_entries(extracted)]
    assert len(in_source) > 100
    committed = {msgid: (msgstr, fuzzy) for msgid, msgstr, fuzzy in po_entries()}
    missing = [msgid for msgid in in_source if msgid not in committed]
    assert missing == [], (
        "messages missing from the catalogue: from huzhu/ run `huzhu makemessages -l zh_Hans "
        "--ignore=.venv --ignore=data --no-obsolete`, translate them, then compilemessages"
    )
    untranslated = [msgid for msgid in in_source if not committed[msgid][0]]
    assert untranslated == [], "translate these messages in the .po"
    fuzzy = [msgid for msgid in in_source if committed[msgid][1]]
    assert fuzzy == [], "check these fuzzy translations, then remove the fuzzy flag"
