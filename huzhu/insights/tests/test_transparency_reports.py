"""Periodic transparency reports: periods, figures from the audit log, the task, the
command and the public pages."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import make_user
from huzhu.errors import Invalid
from huzhu.insights.models import TransparencyReport
from huzhu.insights.tasks import transparency_report
from huzhu.insights.transparency_reports import (
    generate_due_report,
    generate_report,
    last_complete_period,
    parse_period,
)
from huzhu.safety import audit

OCTOBER = datetime(2026, 10, 12, 9, 0, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def test_it_names_months_and_weeks() -> None:
    october = parse_period("2026-10")
    assert (october.starts_at, october.ends_at) == (
        datetime(2026, 10, 1, tzinfo=UTC),
        datetime(2026, 11, 1, tzinfo=UTC),
    )
    assert parse_period("2026-12").ends_at == datetime(2027, 1, 1, tzinfo=UTC)
    week = parse_period("2026-W44")
    assert week.starts_at == datetime(2026, 10, 26, tzinfo=UTC)
    assert week.ends_at - week.starts_at == timedelta(weeks=1)
    for bad in ("2026-13", "2026-W54", "October", ""):
        with pytest.raises(Invalid):
            parse_period(bad)


def test_the_last_complete_period_has_ended() -> None:
    assert last_complete_period(NOVEMBER, "month").label == "2026-10"
    assert last_complete_period(datetime(2027, 1, 1, tzinfo=UTC), "month").label == "2026-12"
    assert last_complete_period(NOVEMBER, "week").label == "2026-W44"


@pytest.fixture
def audited(db: None) -> list[User]:
    """In October, 12 people's posts were hidden automatically and 3 people were warned by
    hand; one more automated action happened in November."""
    people = [make_user(f"p{i}") for i in range(15)]
    for person in people[:12]:
        audit.record(
            actor=None, action="hide", target_type="user", target_id=person.pk, now=OCTOBER
        )
    moderator = make_user("mod")
    for person in people[12:]:
        audit.record(
            actor=moderator, action="warn", target_type="user", target_id=person.pk, now=OCTOBER
        )
    audit.record(
        actor=None, action="hide", target_type="user", target_id=people[0].pk, now=NOVEMBER
    )
    return people


def test_a_report_counts_the_audit_log_of_its_period(audited: list[User]) -> None:
    report = generate_report(period=parse_period("2026-10"), now=NOVEMBER)
    assert report.figures["threshold"] == 11
    # 3 human actions are about 3 people: hidden; total − automated would give them away,
    # so the smaller visible member of that line (automated, 12 < 15) is hidden too.
    assert report.figures["actions"] == {"automated": None, "human": None, "total": 15}
    assert report.figures["sanctions"] == {
        "warn": None,
        "suspend": None,
        "ban": None,
        "total": None,
    }
    assert report.figures["posts"]["needs_posted"] is None  # nobody: fewer than 11
    assert (report.starts_at, report.length) == (datetime(2026, 10, 1, tzinfo=UTC), "month")


def test_enough_people_make_the_total_public(audited: list[User]) -> None:
    for person in [make_user(f"q{i}") for i in range(11)]:
        audit.record(actor=None, action="ban", target_type="user", target_id=person.pk, now=OCTOBER)
    figures = generate_report(period=parse_period("2026-10"), now=NOVEMBER).figures
    assert figures["actions"]["total"] == 26
    assert figures["actions"]["human"] is None  # 3 people
    assert figures["actions"]["automated"] is None  # else total − automated would give it away
    assert figures["sanctions"]["total"] is None  # the bans were automated actions, not sanctions


def test_a_period_must_have_ended(db: None) -> None:
    with pytest.raises(Invalid):
        generate_report(period=parse_period("2026-11"), now=NOVEMBER)


def test_the_task_generates_the_due_report_once(audited: list[User]) -> None:
    with time_machine.travel(NOVEMBER, tick=False):
        assert transparency_report.call() == "2026-10"  # as the worker runs it
        assert TransparencyReport.objects.get().period == "2026-10"
        assert generate_due_report() is None
    assert TransparencyReport.objects.count() == 1


def test_the_task_follows_the_weekly_setting(audited: list[User], settings: object) -> None:
    settings.HUZHU_TRANSPARENCY_REPORT_PERIOD = "week"  # type: ignore[attr-defined]
    report = generate_due_report(now=NOVEMBER)
    assert report is not None and report.period == "2026-W44"


def test_the_command_generates_and_regenerates(audited: list[User]) -> None:
    out = StringIO()
    with time_machine.travel(NOVEMBER, tick=False):
        call_command("transparency_report", "--period", "2026-10", stdout=out)
        call_command("transparency_report", stdout=out)
    assert "2026-10 generated" in out.getvalue()
    assert TransparencyReport.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("transparency_report", "--period", "soon")


def test_the_pages_are_public(audited: list[User]) -> None:
    generate_report(period=parse_period("2026-10"), now=NOVEMBER)
    web = Client()
    listing = web.get("/transparency/reports")
    assert (
        listing.status_code == 200 and "/transparency/reports/2026-10" in listing.content.decode()
    )
    page = web.get("/transparency/reports/2026-10")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Transparency report 2026-10" in html and "<td>15</td>" in html
    assert web.get("/transparency/reports/2026-09").status_code == 404


def test_no_reports_yet_says_so(db: None) -> None:
    assert (
        "No report has been generated yet" in Client().get("/transparency/reports").content.decode()
    )
