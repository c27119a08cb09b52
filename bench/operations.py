"""Writes at the query layer, on the city, leaving it as it was: creating a post (the
posting rules and trust quotas on), the match suggestions a new post gets, and the owner
withdrawing it — the services behind POST /api/v1/posts, the post page's match panel and
POST /api/v1/posts/{id}/status.

Everything happens in one transaction rolled back at the end, as of the city's moment
(bench.city.search_time), so commits are not in these figures: the HTTP steps' are.
The people posting are accounts made for the run, a month old, one post each (need or
offer of a hot item, at a query point), so no rule refuses them for posting too often.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from bench.search import spread

PEOPLE = 300
T = TypeVar("T")
ITEMS = ("ibuprofen", "antigen-test", "paracetamol", "thermometer", "oral-rehydration-salts")


@dataclass
class Operation:
    name: str
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def _summary(name: str, timings: list[float]) -> Operation:
    return Operation(name=name, count=len(timings), **spread(timings))


def measure(points: list[tuple[float, float]], people: int = PEOPLE) -> list[Operation]:
    import time_machine
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from bench.city import search_time
    from huzhu.accounts.models import User
    from huzhu.exchanges.matching import matches_for
    from huzhu.posts.catalogue import find_item
    from huzhu.posts.services import PostDraft, create_post, set_status_by_owner

    items = [item for code in ITEMS if (item := find_item(code)) is not None]
    if not items:
        raise RuntimeError("the catalogue has none of the benchmark's items")
    creates: list[float] = []
    matches: list[float] = []
    statuses: list[float] = []
    found: list[int] = []
    with time_machine.travel(search_time(), tick=True), transaction.atomic():
        joined = search_time() - timedelta(days=30)
        owners = User.objects.bulk_create(
            User(
                username=f"bench-ops-{n}",
                display_name=f"Bench {n}",
                password=make_password(None),  # unusable: nobody logs in as them
                date_joined=joined,
            )
            for n in range(people)
        )
        posts = []
        for n, owner in enumerate(owners):
            item = items[n % len(items)]
            lat, lng = points[n % len(points)]
            kind = "need" if n % 2 == 0 else "offer"
            draft = PostDraft(
                kind=kind,
                title=f"{item.name_en} for a neighbour {n}",
                body="",
                category=item.category.code,
                item=item.code,
                quantity=1,
                lat=lat,
                lng=lng,
                tags=("elderly",) if n % 3 == 0 else (),
                expires_at=search_time() + timedelta(days=365) if kind == "offer" else None,
            )
            took, post = _timed(create_post, owner=owner, draft=draft)
            creates.append(took)
            posts.append(post)
            took, suggestions = _timed(matches_for, post)
            matches.append(took)
            found.append(len(suggestions))
        for post in posts:
            took, _ = _timed(
                set_status_by_owner, post=post, actor=post.owner, to_status="withdrawn"
            )
            statuses.append(took)
        transaction.set_rollback(True)  # the city stays as it was
    return [
        _summary("create a post (rules and quotas on)", creates),
        _summary(f"match suggestions for it (mean {sum(found) / len(found):.1f})", matches),
        _summary("withdraw it (status change)", statuses),
    ]


def _timed(call: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    """Milliseconds `call` took, and its answer."""
    started = time.perf_counter()
    answer = call(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, answer
