"""Concurrency through the real server: `huzhu serve` with two gunicorn worker processes.

Many writers at once over HTTP, on a scratch database of the kind the suite runs on
(SQLite in a temporary data directory, or a scratch PostgreSQL database): no server
error, no "database is locked", every 201 is exactly one row and every accepted status
change is in the history; two of the owner's clicks racing on one post have exactly one
winner; N units claimed by many people at once are promised exactly N times.

The scratch database, the server and the HTTP client are in `huzhu/tests/serving.py`.
"""

import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from huzhu.tests.serving import (
    Answer,
    Server,
    call,
    check_database,
    connect,
    need,
    scratch_database,
    sign_up,
)

pytestmark = pytest.mark.slow

THREADS = 8
CREATES_EACH = 40  # every second post is then withdrawn: 60 writes per thread
RACES = 24  # posts on which "fulfilled" and "withdrawn" race
UNITS = 5  # on offer, and claimed by
TAKERS = 12  # people at once


# --- The tests -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("served")
    with scratch_database(workdir, settings.DATABASE_URL) as env:
        server = Server(
            ["-m", "huzhu.cli", "serve", "--no-scheduler"],
            {**env, "HUZHU_WEB_WORKERS": "2", "HUZHU_WEB_THREADS": "4"},
            workdir,
        )
        try:
            server.start()
            yield server
        finally:
            server.stop()


def _counts(server: Server, query: str) -> Any:
    with connect(server.env) as connection:
        cursor = connection.cursor()
        cursor.execute(query)
        return cursor.fetchall()


def test_concurrent_writers_lose_nothing_and_never_see_a_lock(served: Server) -> None:
    tokens = [sign_up(served.url, f"writer{n}") for n in range(THREADS)]
    start = threading.Barrier(THREADS)
    created: list[dict[str, int]] = [{} for _ in range(THREADS)]  # title -> id, per thread
    withdrawn: list[set[int]] = [set() for _ in range(THREADS)]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def write(n: int) -> None:
        start.wait(timeout=60)
        for number in range(CREATES_EACH):
            title = f"Water for writer {n}, #{number}"
            answer = call(served.url, "POST", "/api/v1/posts", need(title, number), token=tokens[n])
            with lock:
                statuses[answer.status] += 1
            if answer.status != 201:
                continue
            created[n][title] = answer.body["id"]
            if number % 2:
                changed = call(
                    served.url,
                    "POST",
                    f"/api/v1/posts/{answer.body['id']}/status",
                    {"status": "withdrawn"},
                    token=tokens[n],
                )
                with lock:
                    statuses[changed.status] += 1
                if changed.status == 200:
                    withdrawn[n].add(answer.body["id"])
            if number % 10 == 0:  # readers in the mix
                found = call(served.url, "GET", "/api/v1/posts?lat=39.9&lng=116.4&radius_km=20")
                with lock:
                    statuses[found.status] += 1

    threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not [thread for thread in threads if thread.is_alive()], "writers hung"

    output = served.output()
    assert "database is locked" not in output
    assert set(statuses) == {200, 201}, (statuses, output[-5000:])
    assert statuses[201] == THREADS * CREATES_EACH
    rows = dict(
        _counts(served, "SELECT title, id FROM posts_post WHERE title LIKE 'Water for writer %'")
    )
    answered = {title: post_id for per_thread in created for title, post_id in per_thread.items()}
    assert rows == answered  # every 201 is exactly one row, and there is no other row
    withdrawn_ids = set().union(*withdrawn)
    assert len(withdrawn_ids) == THREADS * (CREATES_EACH // 2)
    rows_withdrawn = {
        post_id
        for (post_id,) in _counts(served, "SELECT id FROM posts_post WHERE status = 'withdrawn'")
    }
    assert rows_withdrawn == withdrawn_ids, _explain(served, withdrawn_ids ^ rows_withdrawn)
    assert check_database(served.env) == []


def _explain(server: Server, post_ids: set[int]) -> str:
    """What the database says of posts whose acknowledged change is missing, to debug it."""
    ids = ", ".join(str(post_id) for post_id in sorted(post_ids)) or "NULL"
    posts = _counts(server, f"SELECT id, status, updated_at FROM posts_post WHERE id IN ({ids})")
    history = _counts(
        server,
        "SELECT post_id, from_status, to_status, at FROM posts_poststatuschange "
        f"WHERE post_id IN ({ids}) ORDER BY post_id, at",
    )
    return f"posts {posts}; history {history}; broken {check_database(server.env)}"


def test_racing_status_changes_on_one_post_have_exactly_one_winner(served: Server) -> None:
    token = sign_up(served.url, "racer")
    post_ids = []
    for number in range(RACES):
        answer = call(
            served.url, "POST", "/api/v1/posts", need(f"Race {number}", number), token=token
        )
        assert answer.status == 201, answer
        post_ids.append(answer.body["id"])
    outcomes: dict[int, list[int]] = {post_id: [] for post_id in post_ids}
    lock = threading.Lock()

    def race(post_id: int, target: str, start: threading.Barrier) -> None:
        start.wait(timeout=60)
        answer = call(
            served.url, "POST", f"/api/v1/posts/{post_id}/status", {"status": target}, token=token
        )
        with lock:
            outcomes[post_id].append(answer.status)

    for batch in range(0, RACES, 4):  # four races at a time: eight requests in flight
        threads = []
        for post_id in post_ids[batch : batch + 4]:
            start = threading.Barrier(2)
            threads += [
                threading.Thread(target=race, args=(post_id, target, start))
                for target in ("fulfilled", "withdrawn")
            ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not [thread for thread in threads if thread.is_alive()], "a race hung"

    assert all(sorted(statuses) == [200, 409] for statuses in outcomes.values()), outcomes
    ids = ", ".join(str(post_id) for post_id in post_ids)
    history = Counter(
        post_id
        for (post_id,) in _counts(
            served, f"SELECT post_id FROM posts_poststatuschange WHERE post_id IN ({ids})"
        )
    )
    assert history == dict.fromkeys(post_ids, 2)  # created, then exactly one change
    assert check_database(served.env) == []


def _race(requests: list[tuple[str, str, Any, str]], url: str) -> list[Answer]:
    """Send every (method, path, body, token) from its own thread, all released at once."""
    start = threading.Barrier(len(requests))
    answers: list[Answer | None] = [None] * len(requests)

    def send(number: int) -> None:
        method, path, body, token = requests[number]
        start.wait(timeout=60)
        answers[number] = call(url, method, path, body, token=token)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [thread for thread in threads if thread.is_alive()], "a request hung"
    return [answer for answer in answers if answer is not None]


def test_n_concurrent_claims_on_n_units_exactly_n_succeed(served: Server) -> None:
    giver = sign_up(served.url, "giver")
    offer = {**need("Spare water", 1), "kind": "offer", "quantity": UNITS}
    post = call(served.url, "POST", "/api/v1/posts", offer, token=giver)
    assert post.status == 201, post
    claim = f"/api/v1/posts/{post.body['id']}/exchanges"
    takers = [sign_up(served.url, f"taker{n}") for n in range(TAKERS)]

    # Everyone responds at once, the first taker twice: one live exchange per person.
    responses = _race(
        [("POST", claim, {"quantity": 1, "message": ""}, token) for token in [*takers, takers[0]]],
        served.url,
    )
    assert sorted(answer.status for answer in responses) == [201] * TAKERS + [409], responses
    exchange_ids = [answer.body["id"] for answer in responses if answer.status == 201]

    # The giver's taps on every response race for UNITS units: exactly UNITS win.
    accepts = _race(
        [("POST", f"/api/v1/exchanges/{n}/accept", None, giver) for n in exchange_ids], served.url
    )
    statuses = Counter(answer.status for answer in accepts)
    assert statuses == {200: UNITS, 409: TAKERS - UNITS}, accepts
    assert {a.body["code"] for a in accepts if a.status == 409} == {"quantity_unavailable"}
    rows = _counts(
        served, f"SELECT quantity_reserved, status FROM posts_post WHERE id = {post.body['id']}"
    )
    assert rows == [(UNITS, "pledged")]
    assert check_database(served.env) == []
    assert "database is locked" not in served.output()
