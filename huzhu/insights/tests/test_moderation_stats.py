"""Moderation figures: sanctions, appeals and reversals, automated versus human actions,
each hidden when it is about fewer than 11 people."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import Api, make_user
from huzhu.insights.moderation_stats import Window, moderation_figures
from huzhu.insights.stats import compute_stats
from huzhu.safety import audit
from huzhu.safety.appeals import decide_appeal, file_appeal
from huzhu.safety.models import Sanction
from huzhu.safety.sanctions import impose_sanction

START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def moderator(name: str) -> User:
    user = make_user(name)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    return User.objects.get(pk=user.pk)


def warn(mod: User, person: User) -> Sanction:
    return impose_sanction(moderator=mod, user=person, kind="warn", rule="spam", reason="spam")


@pytest.fixture
def moderated(db: None) -> dict[str, list[User]]:
    """12 people warned (12 human actions); 3 people suspended; 11 of the warned appealed,
    and 11 appeals were decided, 2 overturned; 12 automated hides of 12 people's posts."""
    mods = [moderator("mod1"), moderator("mod2")]
    warned = [make_user(f"w{i}") for i in range(12)]
    suspended = [make_user(f"s{i}") for i in range(3)]
    with time_machine.travel(START, tick=False):
        warnings = [warn(mods[0], person) for person in warned]
        for person in suspended:
            impose_sanction(
                moderator=mods[0], user=person, kind="suspend", rule="spam", reason="x", days=3
            )
        for i, sanction in enumerate(warnings[:11]):
            appeal = file_appeal(user=warned[i], sanction=sanction, message="please")
            decide_appeal(moderator=mods[1], appeal=appeal, overturn=i < 2, reason="looked")
        for person in warned:
            audit.record(
                actor=None, action="hide", target_type="user", target_id=person.pk, now=START
            )
    return {"warned": warned, "suspended": suspended}


def test_it_counts_sanctions_appeals_and_actions(moderated: dict[str, list[User]]) -> None:
    stats = compute_stats()
    kinds = {row.key: row.figures["count"] for row in stats.sanctions}
    # 3 suspensions are about 3 people: hidden; so is the next smallest of the line (bans: 0).
    assert kinds == {"warn": 12, "suspend": None, "ban": None}
    assert stats.sanctions_total.figures["count"] == 15
    assert stats.appeals.figures == {"received": 11, "decided": 11, "overturned": None}
    actions = {row.key: row.figures["count"] for row in stats.actions}
    # 15 sanctions and 11 appeal decisions are human; the 12 hides automated.
    assert actions == {"automated": 12, "human": 26}
    assert stats.actions_total.figures["count"] == 38


def test_few_automated_actions_hide_their_complement(db: None) -> None:
    mod = moderator("mod")
    people = [make_user(f"p{i}") for i in range(12)]
    for person in people:
        warn(mod, person)
    audit.record(actor=None, action="hide", target_type="user", target_id=people[0].pk, now=START)
    stats = compute_stats()
    actions = {row.key: row.figures["count"] for row in stats.actions}
    # Automated (1 person) is hidden; human would reveal it as total − human: hidden too.
    assert actions == {"automated": None, "human": None}
    assert stats.actions_total.figures["count"] == 13


def test_a_window_counts_only_what_happened_in_it(moderated: dict[str, list[User]]) -> None:
    later = Window(since=START + timedelta(days=1))
    figures, _ = moderation_figures(later)
    assert all(figure.value == 0 for figure in figures.values())
    during = Window(since=START, until=START + timedelta(days=1))
    figures, _ = moderation_figures(during)
    assert figures[("sanctions", "warn", "count")].value == 12
    assert figures[("appeals", "total", "overturned")].value == 2


def test_the_api_page_and_csv_publish_them(moderated: dict[str, list[User]]) -> None:
    body = Api().get("/api/v1/stats").json()
    moderation = body["moderation"]
    assert moderation["sanctions_total"]["count"] == 15
    assert moderation["appeals"] == {"received": 11, "decided": 11, "overturned": None}
    assert moderation["actions"] == {"automated": 12, "human": 26, "total": 38}
    web = Client()
    page = web.get("/transparency").content.decode()
    assert "Moderation actions" in page and "Overturned" in page
    csv = web.get("/transparency.csv").content.decode()
    assert "actions,automated,Automated,count,12" in csv
    assert "appeals,total,All,overturned," in csv
