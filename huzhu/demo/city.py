"""A demo city: users and posts that look like a week of Beijing in December 2022.

Posts cluster around population-weighted centres, ibuprofen and antigen tests dominate,
most posts carry no urgency tag, ages spread over the last three weeks, and statuses mix
open, pledged, unknown and closed posts, each with the status history its lifecycle
implies. The same seed and `now` give the same city.

It must load a million posts in well under two minutes on SQLite, so posts and their
history go in as rows with explicit ids through `posts/bulk.py`, not as model instances.
"""

import itertools
import math
import multiprocessing
import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.pool import AsyncResult
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.accounts.pseudonyms import _ADJECTIVES, _NOUNS
from huzhu.demo.shape import (
    AGE_DAYS,
    BODIES,
    NEED_TITLES,
    OFFER_TITLES,
    CatalogueEntry,
    Change,
    catalogue_entries,
    demo_point,
    demo_rank,
    history_for,
    status_for,
    tag_bits_for,
    weighted,
)
from huzhu.posts import bulk
from huzhu.posts.models import Post
from huzhu.posts.public_point import location_fields

DEMO_PASSWORD = "huzhu-demo-2026"  # noqa: S105 - a published demo login, not a secret
NAMED_USERS = (("demo-alice", "Alice"), ("demo-bob", "Bob"), ("demo-charlie", "Charlie"))
# Loads at least this big have a second process build the rows.
PARALLEL_FROM = 50_000


@dataclass(frozen=True)
class DemoSummary:
    users_created: int
    posts_created: int
    history_rows: int
    seconds: float


def ensure_users(count: int, rng: random.Random) -> list[int]:
    """The demo users' ids, creating the missing ones. One password hash serves them all:
    Argon2 is slow on purpose, and every demo user shares the published demo password."""
    usernames = [name for name, _ in NAMED_USERS][:count]
    usernames += [f"demo-{index:05d}" for index in range(len(usernames) + 1, count + 1)]
    # Every demo username starts with "demo-"; one prefix query instead of an IN list,
    # which SQLite refuses past its variable limit (a 10M-post city has 400,000 users).
    demo_users = User.objects.filter(username__startswith="demo-")
    existing = set(demo_users.values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)
    now = timezone.now()
    named = dict(NAMED_USERS)
    new_users = []
    for username in usernames:
        display = named.get(username) or (
            f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {rng.randrange(100, 1000)}"
        )
        locale = "en" if rng.random() < 0.3 else "zh-hans"
        if username in existing:
            continue
        new_users.append(
            User(
                username=username,
                display_name=display,
                password=password,
                locale=locale,
                date_joined=now,
            )
        )
    User.objects.bulk_create(new_users, batch_size=2000)
    ids = dict(demo_users.values_list("username", "pk"))
    return [ids[username] for username in usernames]


BATCH_SIZE = 10_000
Rows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]  # post rows, history rows


@dataclass(frozen=True)
class _Plan:
    """Everything the posts depend on. Each batch draws from its own seeded generator, so
    batches come out the same whichever process builds them, in whatever order."""

    seed: int
    posts: int
    now: datetime  # naive UTC: aware arithmetic and formatting cost several times more
    user_ids: tuple[int, ...]
    entries: tuple[CatalogueEntry, ...]
    entry_cum: tuple[float, ...]
    ttl: timedelta
    first_id: int
    sqlite: bool  # SQLite takes datetimes as naive UTC text, PostgreSQL as aware datetimes

    def batch(self, index: int) -> Rows:
        rng = random.Random(self.seed * 1_000_003 + index)  # noqa: S311 - not a secret
        post_rows, change_rows = [], []
        for number in range(index * BATCH_SIZE, min(self.posts, (index + 1) * BATCH_SIZE)):
            # Stratified ages, oldest first, so that ids follow creation time as they would;
            # more posts lately, as in a wave building up.
            age = AGE_DAYS * (1 - (number + rng.random()) / self.posts) ** 1.4
            values, changes = self.post(rng, self.now - timedelta(days=age))
            post_id = values["id"] = self.first_id + number
            for name in ("created_at", "updated_at", "expires_at", "closes_at"):
                values[name] = self.adapt(values[name])
            post_rows.append(tuple(values[name] for name in bulk.POST_FIELDS))
            for from_status, to_status, at, by_owner, reason in changes:
                actor = values["owner_id"] if by_owner else None
                change_rows.append((post_id, from_status, to_status, self.adapt(at), actor, reason))
        return post_rows, change_rows

    def adapt(self, value: datetime | None) -> Any:
        if value is None:
            return None
        return value.isoformat(" ") if self.sqlite else value.replace(tzinfo=UTC)

    def post(self, rng: random.Random, created: datetime) -> tuple[dict[str, Any], list[Change]]:
        """One post's column values (by attribute name) and its status history."""
        kind = Post.Kind.NEED if rng.random() < 0.65 else Post.Kind.OFFER
        item_id, category_id, name_en, name_zh, unit, medicine = weighted(
            rng, self.entries, self.entry_cum
        )
        age_days = (self.now - created).total_seconds() / 86400
        status = status_for(rng, age_days)
        expires = None
        if kind == Post.Kind.OFFER and medicine:
            expires = created + timedelta(days=rng.uniform(31, 720))
        if status == Post.Status.EXPIRED:
            # Short-dated: its expiry date passed and the periodic task closed it.
            expires = created + timedelta(days=rng.uniform(0.05, 1) * age_days)
        closes = min(created + self.ttl, expires) if expires else created + self.ttl
        changes = history_for(rng, status, created, closes, self.now)
        bits = tag_bits_for(rng, kind)
        quantity = rng.randint(1, 6) if kind == Post.Kind.NEED else rng.randint(1, 20)
        reserved = {"pledged": rng.randint(1, quantity), "fulfilled": quantity}.get(status, 0)
        lat, lng = demo_point(rng)
        precision = 5000 if rng.random() < 0.15 else 1000
        titles = NEED_TITLES if kind == Post.Kind.NEED else OFFER_TITLES
        owner_id = self.user_ids[int(rng.random() * len(self.user_ids))]
        return {
            "owner_id": owner_id,
            "kind": kind,
            "title": rng.choice(titles).format(en=name_en, zh=name_zh),
            "body": rng.choice(BODIES),
            "category_id": category_id,
            "item_id": item_id,
            "quantity": quantity,
            "quantity_reserved": reserved,
            "unit": unit,
            "tag_bits": bits,
            "status": status,
            "created_at": created,
            "updated_at": changes[-1][2],
            "expires_at": expires,
            "closes_at": closes,
            "lat": lat,
            "lng": lng,
            **location_fields(owner_id, lat, lng, precision),
            "area_precision_m": precision,
            "rank": demo_rank(kind, status, created, bits, self.now),
            "confirmed_at": None,  # no owner has answered "still needed?" yet
            "hidden_at": None,  # nobody has reported a demo post yet
            "on_behalf": False,  # demo people post for themselves
            "held_reason": "",  # nor has the rules engine held one
        }, changes


_worker_plan: _Plan | None = None


def _init_worker(plan: _Plan) -> None:
    global _worker_plan  # noqa: PLW0603 - a pool worker's one piece of state
    _worker_plan = plan


def _worker_batch(index: int) -> Rows:
    assert _worker_plan is not None
    return _worker_plan.batch(index)


def _batches(plan: _Plan, workers: int) -> Iterator[Rows]:
    """The batches in order, built by `workers` forked processes (0: in this one) while
    this process inserts. At most a few wait, so memory stays flat."""
    count = math.ceil(plan.posts / BATCH_SIZE)
    if workers < 1:
        yield from (plan.batch(index) for index in range(count))
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(plan,)) as pool:
        pending: deque[AsyncResult[Rows]] = deque()
        for index in range(count):
            pending.append(pool.apply_async(_worker_batch, (index,)))
            if len(pending) > workers + 1:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def generate_city(
    *,
    posts: int,
    users: int,
    seed: int,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> DemoSummary:
    """Create `users` demo users (reusing existing ones) and `posts` posts around Beijing.

    `workers` processes build the rows while this one inserts them; by default one for
    large loads where the platform can fork, none otherwise. The city is the same either way.
    `progress` is called with the number of posts each batch added.
    """
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo city, nothing secret
    with transaction.atomic():
        users_before = User.objects.count()
        user_ids = ensure_users(max(users, 1), rng)
        users_created = User.objects.count() - users_before
    entries, weights = catalogue_entries()
    plan = _Plan(
        seed=seed,
        posts=posts,
        now=(now or timezone.now()).astimezone(UTC).replace(tzinfo=None),
        user_ids=tuple(user_ids),
        entries=tuple(entries),
        entry_cum=tuple(itertools.accumulate(weights)),
        ttl=timedelta(days=settings.HUZHU_POST_TTL_DAYS),
        first_id=(Post.objects.aggregate(top=Max("id"))["top"] or 0) + 1,
        sqlite=connection.vendor == "sqlite",
    )
    if workers is None:
        fork = "fork" in multiprocessing.get_all_start_methods()
        workers = 1 if fork and posts >= PARALLEL_FROM else 0
    history_rows = 0
    with bulk.load_mode(bulk.should_defer_indexes(posts), durable=False):
        for post_rows, change_rows in _batches(plan, workers):
            with transaction.atomic():
                bulk.write_rows(post_rows, change_rows)
            history_rows += len(change_rows)
            if progress:
                progress(len(post_rows))
    bulk.after_load()
    return DemoSummary(users_created, posts, history_rows, time.monotonic() - started)
