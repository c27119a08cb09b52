"""The demo city: reproducible, realistic in shape, and consistent with the lifecycle rules."""

import io
import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from huzhu import geo
from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.demo.city import DEMO_PASSWORD, generate_city
from huzhu.demo.shape import demo_rank
from huzhu.posts.lifecycle import LISTED
from huzhu.posts.models import Post, PostStatusChange
from huzhu.posts.public_point import location_fields
from huzhu.posts.ranking import compute_rank
from huzhu.posts.services import create_post
from huzhu.progress import Progress

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def city_snapshot() -> list[tuple[object, ...]]:
    """The posts and their histories, without the ids the database happened to assign."""
    posts = Post.objects.order_by("id").values_list(
        "owner__username", "kind", "title", "item__code", "tag_bits", "status", "created_at",
        "closes_at", "lat", "lng", "rank",
    )  # fmt: skip
    changes = PostStatusChange.objects.order_by("post_id", "at", "id").values_list(
        "from_status", "to_status", "at", "reason"
    )
    return [*posts, *changes]


@pytest.mark.django_db
def test_it_builds_the_same_city_from_the_same_seed() -> None:
    generate_city(posts=200, users=12, seed=5, now=NOW)
    first = city_snapshot()
    Post.objects.all().delete()
    summary = generate_city(posts=200, users=12, seed=5, now=NOW)
    assert summary.users_created == 0  # the demo users are reused, not duplicated
    assert city_snapshot() == first
    Post.objects.all().delete()
    generate_city(posts=200, users=12, seed=6, now=NOW)
    assert city_snapshot() != first


@pytest.mark.django_db
def test_every_post_is_stored_as_create_post_would_store_it() -> None:
    generate_city(posts=400, users=20, seed=1, now=NOW)
    for post in Post.objects.all():
        assert post.rank == compute_rank(post, NOW)
        stored = location_fields(post.owner_id, post.lat, post.lng, post.area_precision_m)
        assert {name: getattr(post, name) for name in stored} == stored
        assert post.area_cell == geo.area_cell_for(post.lat, post.lng, post.area_precision_m)
        assert post.quantity_reserved <= post.quantity
        assert post.item is None or post.item.otc
        assert post.created_at <= post.updated_at <= NOW
        if post.status in LISTED:
            assert post.closes_at > NOW
        if post.kind == "offer" and post.category.code == "medicine":
            assert post.expires_at is not None


@pytest.mark.django_db
def test_every_post_has_a_history_that_ends_in_its_status() -> None:
    generate_city(posts=400, users=20, seed=2, now=NOW)
    histories: dict[int, list[PostStatusChange]] = {}
    for change in PostStatusChange.objects.order_by("at", "id"):
        histories.setdefault(change.post_id, []).append(change)
    for post in Post.objects.all():
        history = histories[post.pk]
        assert (history[0].from_status, history[0].to_status) == ("", "open")
        assert history[0].at == post.created_at
        assert history[-1].to_status == post.status
        assert history[-1].at == post.updated_at
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status
            assert before.at <= after.at


@pytest.mark.django_db
def test_the_city_looks_like_december_2022() -> None:
    generate_city(posts=2000, users=50, seed=3, now=NOW)
    posts = list(Post.objects.select_related("item"))
    items = Counter(post.item.code if post.item else None for post in posts)
    assert items["ibuprofen"] + items["antigen-test"] > 0.4 * len(posts)
    assert items["ibuprofen"] > 3 * items["thermometer"]
    assert sum(post.tag_bits == 0 for post in posts) > 0.6 * len(posts)
    statuses = Counter(post.status for post in posts)
    assert statuses["open"] + statuses["pledged"] > 0.6 * len(posts)
    assert {"fulfilled", "withdrawn", "expired", "unknown"} <= set(statuses)
    ages = [(NOW - post.created_at).days for post in posts]
    assert max(ages) < 21
    assert min(p.lat for p in posts) > 39.5
    assert max(p.lat for p in posts) < 40.4


@pytest.mark.django_db
def test_demo_rank_is_compute_rank() -> None:
    created = timezone.now()
    naive = created.astimezone(UTC).replace(tzinfo=None)
    for kind, status, bits, age in itertools.product(
        Post.Kind.values, Post.Status.values, (0, 1, 0b101, 0b1111111), (0, 30, 50)
    ):
        post = Post(kind=kind, status=status, created_at=created, tag_bits=bits)
        later = created + timedelta(hours=age)
        assert demo_rank(kind, status, naive, bits, later.replace(tzinfo=None)) == compute_rank(
            post, later
        )


@pytest.mark.django_db
def test_posts_created_after_the_demo_get_fresh_ids(alice: User) -> None:
    generate_city(posts=50, users=5, seed=4, now=NOW)
    post = create_post(owner=alice, draft=draft())
    assert (
        post.pk > Post.objects.exclude(pk=post.pk).order_by("-pk").values_list("pk", flat=True)[0]
    )


@pytest.mark.django_db
def test_the_command_prints_the_demo_logins_and_they_work() -> None:
    out = io.StringIO()
    call_command("demo", posts=30, users=5, seed=1, stdout=out)
    assert "demo-alice, demo-bob, demo-charlie" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    assert Post.objects.count() == 30
    alice = User.objects.get(username="demo-alice")
    assert alice.check_password(DEMO_PASSWORD)
    assert alice.display_name == "Alice"
    others = User.objects.filter(username__startswith="demo-0")
    assert others.count() == 2
    assert all(user.display_name and user.display_name != user.username for user in others)


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_posts_alone(alice: User) -> None:
    create_post(owner=alice, draft=draft())
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert Post.objects.count() == 1
    assert "no demo city" in out.getvalue()


def test_the_progress_bar_counts_to_the_total() -> None:
    stream = io.StringIO()
    bar = Progress(1000, "loading", stream=stream)
    for _ in range(10):
        bar.advance(100)
    bar.close()
    assert "100% 1,000/1,000" in stream.getvalue()
    assert stream.getvalue().count("\r") == 10
    assert stream.getvalue().endswith("\n")


@pytest.mark.django_db
def test_demo_posts_are_found_nearby() -> None:
    from huzhu.posts.search import SearchParams, search_posts

    generate_city(posts=300, users=10, seed=9, now=timezone.now() - timedelta(minutes=1))
    page = search_posts(SearchParams(39.915, 116.395, radius_km=10, limit=10))
    assert len(page.hits) == 10


@pytest.mark.django_db
def test_a_worker_process_builds_the_same_city() -> None:
    generate_city(posts=120, users=6, seed=8, now=NOW, workers=0)
    serial = city_snapshot()
    Post.objects.all().delete()
    generate_city(posts=120, users=6, seed=8, now=NOW, workers=1)
    assert city_snapshot() == serial
