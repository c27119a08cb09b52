"""The statistics on generated data: what is counted, and what is hidden."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import Api, draft, make_user
from huzhu.insights.stats import Row, compute_stats, week_key
from huzhu.insights.stats_snapshot import as_json, current_stats, from_json, refresh
from huzhu.posts.models import Post
from huzhu.posts.services import create_post, transition_post
from huzhu.safety.models import Report

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday of ISO week 2026-W48
CHAOYANG = (39.9215, 116.4435)
HAIDIAN = (39.9593, 116.2981)


def need(owner: User, *, at: datetime, where: tuple[float, float], **kw: str) -> Post:
    with time_machine.travel(at, tick=False):
        return create_post(owner=owner, draft=draft(lat=where[0], lng=where[1], **kw))


def fulfil(post: Post, *, at: datetime) -> None:
    with transaction.atomic():
        transition_post(post_id=post.pk, to_status="fulfilled", actor=post.owner, reason="", now=at)


@pytest.fixture
def city(db: None) -> dict[str, list[Post]]:
    """14 people need medicine in Chaoyang (11 are helped after 5 hours, 3 more after 9);
    3 people need food in Haidian; 10 people posted two needs each (20 posts, 10 people)."""
    medicine = []
    for i in range(14):
        post = need(make_user(f"m{i}"), at=START, where=CHAOYANG)
        fulfil(post, at=START + timedelta(hours=5 if i < 11 else 9))
        medicine.append(post)
    food = [
        need(make_user(f"f{i}"), at=START, where=HAIDIAN, category="food", item="rice")
        for i in range(3)
    ]
    hygiene = []
    for i in range(10):
        owner = make_user(f"h{i}")
        first = need(owner, at=START, where=CHAOYANG, category="supplies", item="n95-mask")
        fulfil(first, at=START + timedelta(hours=1))
        hygiene += [
            first,
            need(owner, at=START, where=CHAOYANG, category="supplies", item="n95-mask"),
        ]
    return {"medicine": medicine, "food": food, "hygiene": hygiene}


def by_key(rows: list[Row]) -> dict[str, Row]:
    return {row.key: row for row in rows}


def test_it_counts_posts_and_fulfilments_by_category(city: dict[str, list[Post]]) -> None:
    with time_machine.travel(START + timedelta(days=1), tick=False):
        stats = compute_stats()
    categories = by_key(stats.breakdowns["category"])
    medicine = categories["medicine"]
    assert medicine.figures["needs_posted"] == 14
    assert medicine.figures["needs_fulfilled"] == 14
    # 11 waited 5 hours and 3 waited 9: the median is 5.
    assert medicine.median_hours_to_fulfil == 5.0
    assert stats.total.figures["needs_posted"] == 14 + 3 + 20


def test_it_hides_what_fewer_than_eleven_people_stand_behind(
    city: dict[str, list[Post]],
) -> None:
    with time_machine.travel(START + timedelta(days=1), tick=False):
        stats = compute_stats()
    categories = by_key(stats.breakdowns["category"])
    assert categories["food"].figures["needs_posted"] is None
    # Twenty posts, but only ten people: hidden.
    assert categories["supplies"].figures["needs_posted"] is None
    assert categories["supplies"].median_hours_to_fulfil is None
    # Nobody offered anything: zero is a figure about fewer than 11 people too.
    assert stats.total.figures["offers_posted"] is None


def test_it_breaks_down_by_district_and_week(city: dict[str, list[Post]]) -> None:
    with time_machine.travel(START + timedelta(days=1), tick=False):
        stats = compute_stats()
    areas = by_key(stats.breakdowns["area"])
    assert areas["chaoyang"].figures["needs_posted"] == 34
    assert areas["haidian"].figures["needs_posted"] is None
    weeks = by_key(stats.breakdowns["week"])
    assert week_key(START) == "2026-W48"
    assert weeks["2026-W48"].figures["needs_posted"] == 37
    assert list(weeks)[-1] == "earlier"


def test_no_hidden_figure_is_the_total_minus_the_published_ones(
    city: dict[str, list[Post]],
) -> None:
    with time_machine.travel(START + timedelta(days=1), tick=False):
        stats = compute_stats()
    for table, rows in stats.breakdowns.items():
        for measure, total in stats.total.figures.items():
            if total is None:
                continue
            values = [row.figures[measure] for row in rows]
            hidden = values.count(None)
            assert hidden != 1, (table, measure)


def test_it_counts_reports_received_and_acted_on(city: dict[str, list[Post]]) -> None:
    target = city["medicine"][0]
    for i in range(12):
        Report.objects.create(
            reporter=make_user(f"r{i}"),
            target_type="post",
            target_id=target.pk,
            reason="selling",
            weight=1.0,
            status="upheld" if i < 11 else "open",
            created_at=START,
        )
    stats = compute_stats()
    selling = by_key(stats.reports)["selling"]
    assert selling.figures == {"received": 12, "acted_on": 11, "upheld": 11}
    assert stats.reports_total.figures["received"] == 12


def test_it_is_cached_briefly(db: None) -> None:
    first = current_stats()
    create_post(owner=make_user("late"), draft=draft())
    assert current_stats().generated_at == first.generated_at


def test_the_api_is_public(city: dict[str, list[Post]]) -> None:
    with time_machine.travel(START + timedelta(days=1), tick=False):
        response = Api().get("/api/v1/stats")
    assert response.status_code == 200
    body = response.json()
    assert body["threshold"] == 11
    medicine = next(row for row in body["by_category"] if row["key"] == "medicine")
    assert medicine["needs_posted"] == 14 and medicine["label"] == "Medicine"
    assert body["reports"]["decided_automatically"] is None


def test_the_page_and_csv_show_the_same_figures(city: dict[str, list[Post]]) -> None:
    web = Client()
    with time_machine.travel(START + timedelta(days=1), tick=False):
        page = web.get("/transparency")
        download = web.get("/transparency.csv")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "style=" not in html
    assert 'width="100.0"' in html or 'width="100"' in html
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    medicine = {
        r["measure"]: r["value"]
        for r in rows
        if r["section"] == "category" and r["key"] == "medicine"
    }
    assert medicine["needs_posted"] == "14"
    food = {
        r["measure"]: r["value"] for r in rows if r["section"] == "category" and r["key"] == "food"
    }
    assert food["needs_posted"] == ""


def test_the_page_speaks_chinese(db: None) -> None:
    page = Client(headers={"accept-language": "zh-hans"}).get("/transparency")
    assert page.status_code == 200
    assert "透明" in page.content.decode()


def test_the_database_counts_a_person_once_per_row_across_cells_and_weeks(
    db: None, settings: Any
) -> None:
    """The GROUP BY counts distinct people per row: eleven people with a need in each of two
    area cells of one district, and two weeks apart, are eleven people there, not 22."""
    settings.HUZHU_TL0_OPEN_NEEDS = 2
    now = START + timedelta(days=14)
    east_of_centre = (CHAOYANG[0], CHAOYANG[1] + 0.02)  # another 1 km cell, same district
    for i in range(11):
        owner = make_user(f"twice{i}")
        need(owner, at=START, where=CHAOYANG)
        need(owner, at=START - timedelta(weeks=30), where=east_of_centre)
    with time_machine.travel(now, tick=False):
        stats = compute_stats()
    areas = by_key(stats.breakdowns["area"])
    assert areas["chaoyang"].figures["needs_posted"] == 22
    weeks = by_key(stats.breakdowns["week"])
    assert weeks[week_key(START)].figures["needs_posted"] == 11
    assert weeks["earlier"].figures["needs_posted"] == 11
    assert stats.total.figures["needs_posted"] == 22
    # Ten people would be hidden: the same people counted twice would have shown 20.
    Post.objects.filter(owner__username="twice10").delete()
    with time_machine.travel(now, tick=False):
        assert (
            by_key(compute_stats().breakdowns["area"])["chaoyang"].figures["needs_posted"] is None
        )


def test_the_worker_publishes_them_and_every_page_reads_its_snapshot(
    city: dict[str, list[Post]],
) -> None:
    with time_machine.travel(START + timedelta(days=1), tick=False):
        made = refresh()
    assert from_json(as_json(made)) == made  # the stored form loses nothing
    create_post(owner=make_user("after"), draft=draft())
    response = Api().get("/api/v1/stats")  # reads the snapshot: the new post is not in it
    assert response.status_code == 200
    assert response.json()["generated_at"].startswith(made.generated_at.isoformat()[:19])
    later = refresh()  # the next run of the task; the cache is dropped with it
    assert current_stats().generated_at == later.generated_at > made.generated_at
