"""Crash safety: SIGKILL the server at random points during writes, 200 times.

One gunicorn (two workers, `--preload` so that a replacement worker forks in
milliseconds) serves a scratch database. Each cycle sends a burst of concurrent writes:
posts created and exchanges proposed, each with its own `Idempotency-Key`, status
changes and accepts (which reserve quantities). A random short while after the first
request is in flight it SIGKILLs one worker or, every twentieth cycle, the whole server,
which is then restarted. Requests in flight die with their process: mid-transaction, or
between commit and answer.

After every kill: the database passes its integrity check (SQLite), the invariants of
huzhu/tests/invariants.py hold, every create that got no answer is retried with the same
key and body and then exists exactly once, and a replayed create answers the same object.
"""

import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from huzhu.tests.invariants import sqlite_integrity, violations
from huzhu.tests.processes import descendants, wait_until
from huzhu.tests.serving import (
    Answer,
    Server,
    call,
    connect,
    need,
    scratch_database,
    sign_up,
)

pytestmark = pytest.mark.slow

CYCLES = int(os.environ.get("CRASH_CYCLES", "200"))
WHOLE_SERVER_EVERY = 20  # the other cycles kill one worker, which gunicorn replaces
WRITERS = 4
WRITES_EACH = 10  # at most: writers stop once the kill has landed
MAX_KILL_DELAY = 0.1  # seconds after the first request of the burst
GUNICORN = [
    *("-m", "gunicorn", "huzhu.wsgi:application", "--bind", "127.0.0.1:{port}"),
    *("--workers", "2", "--threads", "4", "--preload", "--no-control-socket"),
]


@dataclass
class Totals:
    cycles: int = 0
    requests: int = 0
    kills: Counter[str] = field(default_factory=Counter)
    kills_mid_request: int = 0  # kills that landed while requests were in flight
    unanswered: int = 0  # requests the kill cut off
    retried: int = 0
    integrity_checks: int = 0
    invariant_checks: int = 0
    statuses: Counter[int] = field(default_factory=Counter)

    def __str__(self) -> str:
        return (
            f"{self.cycles} cycles, {self.requests} requests, kills {dict(self.kills)} "
            f"({self.kills_mid_request} with requests in flight), "
            f"{self.unanswered} requests cut off, {self.retried} creates retried, "
            f"{self.integrity_checks} integrity checks and {self.invariant_checks} invariant "
            f"checks passed, statuses {dict(sorted(self.statuses.items()))}"
        )


@dataclass
class Create:
    """One create request as a client would retry it: same key, same body."""

    path: str
    body: dict[str, Any]
    token: str
    key: str
    made: int | None = None  # the id of the object the server answered with
    refused: bool = False  # a 4xx: the post it responded to had moved on meanwhile

    @property
    def settled(self) -> bool:
        return self.made is not None or self.refused

    @property
    def is_post(self) -> bool:
        return self.path == "/api/v1/posts"


@dataclass
class Crasher:
    server: Server
    owner: str  # token of the posts' owner
    taker: str  # token of the person responding to them
    rng: random.Random
    totals: Totals = field(default_factory=Totals)
    creates: list[Create] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    errors: list[BaseException] = field(default_factory=list)
    in_flight: int = 0
    killed: threading.Event = field(default_factory=threading.Event)

    def send(self, path: str, body: Any, token: str, key: str | None = None) -> Answer:
        headers = {"Idempotency-Key": key} if key else {}
        with self.lock:
            self.in_flight += 1
        answer = call(self.server.url, "POST", path, body, token=token, headers=headers)
        with self.lock:
            self.in_flight -= 1
            self.totals.requests += 1
            self.totals.statuses[answer.status] += 1
            self.totals.unanswered += answer.status == 0
        assert answer.status < 500, answer
        return answer

    def create(self, create: Create) -> Answer:
        answer = self.send(create.path, create.body, create.token, create.key)
        if answer.status == 201:
            assert create.made in (None, answer.body["id"]), "a replay answered another object"
            create.made = answer.body["id"]
        elif answer.status:
            assert not create.is_post, answer  # a valid post is always made
            assert answer.status in (404, 409), answer  # withdrawn, fulfilled, responded
            create.refused = True
        return answer

    def writer(self, cycle: int, number: int, start: threading.Barrier) -> None:
        try:
            self.write(cycle, number, start)
        except BaseException as error:
            with self.lock:
                self.errors.append(error)

    def write(self, cycle: int, number: int, start: threading.Barrier) -> None:
        rng = random.Random(f"{cycle}-{number}")
        start.wait(timeout=30)
        for step in range(WRITES_EACH):
            if self.killed.is_set():
                return
            recent = self.creates[-100:]
            posts = [c.made for c in recent if c.is_post and c.made]
            exchanges = [c.made for c in recent if not c.is_post and c.made]
            roll = rng.random()
            name = f"c{cycle}-w{number}-s{step}"
            if posts and roll < 0.15:
                target = rng.choice(("withdrawn", "fulfilled"))
                self.send(
                    f"/api/v1/posts/{rng.choice(posts)}/status", {"status": target}, self.owner
                )
            elif exchanges and roll < 0.3:
                self.send(f"/api/v1/exchanges/{rng.choice(exchanges)}/accept", None, self.owner)
            elif posts and roll < 0.5:
                path = f"/api/v1/posts/{rng.choice(posts)}/exchanges"
                self.add(Create(path, {"quantity": 1, "message": name}, self.taker, name))
            else:
                body = need(f"Crash {name}", step)
                self.add(Create("/api/v1/posts", body, self.owner, name))

    def add(self, create: Create) -> None:
        with self.lock:
            self.creates.append(create)
        self.create(create)

    def workers(self) -> list[int]:
        assert self.server.process is not None
        return sorted(descendants(self.server.process.pid))

    def cycle(self, cycle: int) -> None:
        whole = cycle % WHOLE_SERVER_EVERY == WHOLE_SERVER_EVERY - 1
        victim = self.rng.choice(self.workers())
        start = threading.Barrier(WRITERS + 1)
        self.killed.clear()
        threads = [
            threading.Thread(target=self.writer, args=(cycle, n, start)) for n in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        start.wait(timeout=30)
        assert wait_until(lambda: self.in_flight > 0, timeout=30, step=0.001)
        time.sleep(self.rng.uniform(0, MAX_KILL_DELAY))
        with self.lock:
            self.totals.kills_mid_request += self.in_flight > 0
        if whole:
            self.server.kill()
            self.totals.kills["server"] += 1
        else:
            os.kill(victim, signal.SIGKILL)
            self.totals.kills["worker"] += 1
        self.killed.set()
        for thread in threads:
            thread.join(timeout=60)
        assert not [thread for thread in threads if thread.is_alive()], "a writer hung"
        if self.errors:
            raise self.errors[0]
        if whole:
            self.server.start()
        else:  # gunicorn replaces the worker; wait, so that kills do not run the pool down
            assert wait_until(
                lambda: len(self.workers()) == 2 and victim not in self.workers(), timeout=30
            )
        self.retry_unanswered()
        self.check()
        self.totals.cycles += 1

    def retry_unanswered(self) -> None:
        for create in self.creates:
            if not create.settled:
                self.totals.retried += 1
                assert self.create(create).status != 0
        replay = self.rng.choice([create for create in self.creates if create.made])
        assert self.create(replay).status == 201  # the same object comes back

    def check(self) -> None:
        with connect(self.server.env) as connection:
            cursor = connection.cursor()
            if not self.server.env.get("DATABASE_URL"):
                assert sqlite_integrity(cursor) == "ok"
                self.totals.integrity_checks += 1
            assert violations(cursor) == []
            self.totals.invariant_checks += 1
            cursor.execute("SELECT title, id FROM posts_post")
            posts = cursor.fetchall()
            cursor.execute("SELECT id FROM exchanges_exchange")
            exchanges = {row[0] for row in cursor.fetchall()}
        titles = Counter(title for title, _ in posts)
        assert [title for title, count in titles.items() if count > 1] == []  # none twice
        assert dict(posts) == {c.body["title"]: c.made for c in self.creates if c.is_post}
        assert exchanges == {c.made for c in self.creates if not c.is_post and c.made}


@pytest.fixture
def crasher(tmp_path: Path) -> Iterator[Crasher]:
    with scratch_database(tmp_path, settings.DATABASE_URL) as env:
        server = Server(GUNICORN, {**env, "HUZHU_LOG_LEVEL": "WARNING"}, tmp_path)
        try:
            server.start()
            owner, taker = sign_up(server.url, "crasher"), sign_up(server.url, "taker")
            yield Crasher(server, owner, taker, random.Random(os.environ.get("CRASH_SEED", "2026")))
        finally:
            server.stop()


def test_sigkill_during_writes_never_corrupts_loses_or_duplicates(
    crasher: Crasher, capsys: pytest.CaptureFixture[str]
) -> None:
    for cycle in range(CYCLES):
        try:
            crasher.cycle(cycle)
        except AssertionError as failure:
            log = crasher.server.output()[-3000:]
            raise AssertionError(f"cycle {cycle}: {failure}\n{log}") from failure
    totals = crasher.totals
    assert totals.cycles == CYCLES
    assert totals.kills_mid_request > 0.9 * CYCLES  # the kills land on requests in flight
    assert totals.unanswered > CYCLES  # and cut them off
    with capsys.disabled():
        sys.stdout.write(f"\ncrash safety: {totals}\n")
