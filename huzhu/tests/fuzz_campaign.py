"""Fuzz the API with schemathesis, from its live OpenAPI schema, as an authenticated user.

One engine, two callers:

- `huzhu/tests/test_fuzz.py` (CI): the app in-process over WSGI, inside the test database,
  through every middleware including the contract check; 100+ cases per operation and mode;
- `make fuzz` (`python -m huzhu.tests.fuzz_campaign`): the long campaign over HTTP against
  `huzhu serve` on a scratch database (PostgreSQL when DATABASE_URL is set); it prints the
  totals and finally checks the database invariants.

Generated cases are steered towards real data (seeded post ids in paths, the seeded area in
searches, real categories and credentials in bodies) so that they reach the code behind the
validation layer, not only the 404s and 422s in front of it.
"""

import argparse
import os
import random
import signal
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation, BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

Operation = APIOperation[Any, Any, Any, Any]
SCHEMA_PATH = "/api/v1/openapi.json"
TRACEBACK = "Traceback (most recent call last)"
PASSWORD = "fuzzing is caring 42"
CENTRE = (39.9042, 116.4074)
CATEGORIES = ("medicine", "test_kits", "supplies", "food", "other")
# Every answer is held to these: never a 5xx; a status the operation documents; the
# documented content type, headers and body.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def modes_for(operation: Operation) -> tuple[GenerationMode, ...]:
    """Negative cases need something to get wrong: a parameter, credentials or a body. A
    public operation with none (GET /stats) has only valid requests, and Hypothesis would
    refuse to search for invalid ones."""
    has_input = any(True for _ in operation.iter_parameters()) or bool(
        operation.definition.raw.get("requestBody")
    )
    return MODES if has_input else (GenerationMode.POSITIVE,)


# Operations that end the caller's session get a throwaway token for each case; erasing
# the account gets a throwaway account.
REVOKES_TOKEN = {"DELETE /api/v1/auth/token"}
ERASES_ACCOUNT = {"DELETE /api/v1/me"}

# (method, path, JSON body, bearer token) -> (status, JSON body)
Send = Callable[[str, str, Any, str | None], tuple[int, Any]]


def operation_label(operation: Operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


# --- The seeded world ---------------------------------------------------------------------


def make_leaver_token() -> str:
    """A token of a brand-new account, made straight in the database, for a case that
    erases its caller (the fuzzer's own account must survive the campaign)."""
    from huzhu.accounts.models import User
    from huzhu.accounts.services import issue_token

    leaver = User.objects.create(username=f"leaver-{uuid.uuid4().hex[:12]}", display_name="Leaver")
    return issue_token(user=leaver).secret


@dataclass
class World:
    """Who the fuzzer is and which objects exist, so generated ids can hit real rows."""

    token: str
    mint_token: Callable[[], str]
    leaver_token: Callable[[], str] = field(default=make_leaver_token)
    # Ids of real objects per path parameter name (post_id, exchange_id, notification_id,
    # alert_id).
    ids: dict[str, list[int]] = field(default_factory=dict)


def mint_token(username: str = "fuzzer") -> str:
    """A new bearer token straight from the service: logging in each time costs an Argon2."""
    from huzhu.accounts.models import User
    from huzhu.accounts.services import issue_token

    return issue_token(user=User.objects.get(username=username)).secret


class Seeder:
    """Makes the seeded world over the API, asserting every step."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.tokens: dict[str, str] = {}

    def call(self, who: str | None, method: str, path: str, body: Any, expect: int) -> Any:
        status, answer = self.send(method, path, body, self.tokens.get(who or ""))
        assert status == expect, (method, path, status, answer)
        return answer

    def sign_up(self, username: str) -> None:
        credentials = {"username": username, "password": PASSWORD}
        self.call(None, "POST", "/api/v1/auth/signup", credentials, 201)
        answer = self.call(None, "POST", "/api/v1/auth/token", credentials, 200)
        self.tokens[username] = answer["token"]

    def post(self, owner: str, number: int, **overrides: Any) -> int:
        draft = {
            "kind": "need",
            "title": f"Seeded need {number}",
            "body": "for the fuzzer",
            "category": "supplies",
            "quantity": 2 + number % 4,
            "lat": CENTRE[0] + number / 2000,
            "lng": CENTRE[1],
            "tags": ["elderly"] if number % 2 else [],
            **overrides,
        }
        post_id: int = self.call(owner, "POST", "/api/v1/posts", draft, 201)["id"]
        return post_id

    def respond(self, responder: str, post_id: int, *, accept: str = "") -> int:
        path = f"/api/v1/posts/{post_id}/exchanges"
        body = {"quantity": 1, "message": "I can help"}
        exchange_id: int = self.call(responder, "POST", path, body, 201)["id"]
        if accept:
            self.call(accept, "POST", f"/api/v1/exchanges/{exchange_id}/accept", {}, 200)
        return exchange_id


def seed_world(send: Send) -> World:
    """Over the API: the fuzzer and a neighbour with posts in each status and exchanges in
    which the fuzzer is the owner or the responder, proposed or accepted."""
    seeder = Seeder(send)
    for username in ("fuzzer", "neighbour"):
        seeder.sign_up(username)
    posts: dict[str, list[int]] = {"fuzzer": [], "neighbour": []}
    number = 0
    for owner, ids in posts.items():
        for status in ("open", "open", "open", "withdrawn", "fulfilled"):
            number += 1
            ids.append(seeder.post(owner, number))
            if status != "open":
                path = f"/api/v1/posts/{ids[-1]}/status"
                seeder.call(owner, "POST", path, {"status": status}, 200)
    offer = {"kind": "offer", "category": "medicine", "item": "ibuprofen", "precision_m": 5000}
    posts["fuzzer"].append(seeder.post("fuzzer", 99, **offer, expires_at="2099-01-01T00:00:00Z"))
    exchanges = [
        seeder.respond("neighbour", posts["fuzzer"][0]),  # the fuzzer may accept or decline
        seeder.respond("neighbour", posts["fuzzer"][1], accept="fuzzer"),  # may complete
        seeder.respond("fuzzer", posts["neighbour"][0]),  # may cancel
        seeder.respond("fuzzer", posts["neighbour"][1], accept="neighbour"),  # may hand over
    ]
    inbox = seeder.call("fuzzer", "GET", "/api/v1/notifications", None, 200)
    alert = {"kind": "offer", "item": "ibuprofen", "lat": CENTRE[0], "lng": CENTRE[1]}
    alerts = [
        seeder.call(who, "POST", "/api/v1/alerts", {**alert, "radius_km": 3}, 201)["id"]
        for who in ("fuzzer", "neighbour")
    ]
    return World(
        token=seeder.tokens["fuzzer"],
        mint_token=mint_token,
        ids={
            "post_id": posts["fuzzer"] + posts["neighbour"],
            "exchange_id": exchanges,
            "notification_id": [item["id"] for item in inbox["items"]],
            "alert_id": alerts,
        },
    )


def drop_host_header(case: Any) -> None:
    """A generated Host header names another site: Django refuses it (400, ALLOWED_HOSTS)
    before the API runs, by design, so such a case says nothing about the API."""
    for name in [name for name in case.headers or {} if name.lower() == "host"]:
        del case.headers[name]


def _token_for(label: str, world: World) -> str:
    if label in ERASES_ACCOUNT:
        return world.leaver_token()
    return world.mint_token() if label in REVOKES_TOKEN else world.token


def steer(case: Any, world: World, roll: int) -> dict[str, str]:
    """Point a generated case at real data for most rolls; return the headers to send.

    `roll` (0-99) is drawn by Hypothesis alongside the case, so runs replay from a seed.
    """
    label = operation_label(case.operation)
    drop_host_header(case)
    headers: dict[str, str] = {}
    if roll < 85:
        headers["Authorization"] = f"Bearer {_token_for(label, world)}"
    elif roll < 92:
        headers["Authorization"] = "Bearer not-a-token"
    # else: whatever the generator made, usually no credentials at all
    if roll % 5:
        for name in case.path_parameters or {}:
            if world.ids.get(name):
                case.path_parameters[name] = world.ids[name][roll % len(world.ids[name])]
    if roll % 2 and isinstance(case.query, dict):
        if "lat" in case.query:
            case.query["lat"], case.query["lng"] = CENTRE
        if "post" in case.query:
            case.query["post"] = world.ids["post_id"][roll % len(world.ids["post_id"])]
    if roll % 3 and isinstance(case.body, dict):
        if label in ("POST /api/v1/posts", "POST /api/v1/alerts"):
            case.body["category"] = CATEGORIES[roll % len(CATEGORIES)]
            case.body["item"] = None if roll % 4 else "ibuprofen"
        elif label == "POST /api/v1/auth/token" and roll % 2:
            case.body.update(username="fuzzer", password=PASSWORD)
    if roll % 4 == 0 and "Idempotency-Key" in case.operation.definition.raw.get("description", ""):
        headers["Idempotency-Key"] = f"fuzz-{roll % 7}"  # replays, and reuse with other bodies
    return headers


# --- Running cases and tallying what happened ---------------------------------------------


def refused_by_gunicorn(response: Any) -> bool:
    """gunicorn's own HTML error page for a request it would not pass on (line too long,
    malformed headers): the app never ran, so the API contract does not apply."""
    content_type = response.headers.get("content-type", [""])[0]  # lowercase keys, lists
    return response.status_code in (400, 414, 431) and content_type.startswith("text/html")


@dataclass
class Tally:
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    # Refused by gunicorn before Django saw them (e.g. 414: request line over 4094 bytes).
    refused_by_gunicorn: Counter[int] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.requests.values())

    def fail(self, kind: str, message: str) -> None:
        self.failures[kind] += 1
        self.examples.setdefault(kind, message)

    def report(self, *, examples: bool = True) -> str:
        width = max(map(len, self.requests), default=0)
        lines = [f"requests: {self.total}", "per operation:"]
        lines += [f"  {label:<{width}}  {n}" for label, n in sorted(self.requests.items())]
        lines.append(
            "statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        )
        if self.refused_by_gunicorn:
            refused = ", ".join(f"{s}: {n}" for s, n in sorted(self.refused_by_gunicorn.items()))
            lines.append(f"refused by gunicorn before reaching the app: {refused}")
        lines.append(f"failures: {sum(self.failures.values())}")
        lines += [f"  {kind}: {n}" for kind, n in sorted(self.failures.items())]
        if examples:
            for kind, message in sorted(self.examples.items()):
                lines += [f"--- first {kind} ---", message[:4000]]
        return "\n".join(lines)


@dataclass
class Fuzzer:
    schema: BaseSchema
    world: World
    base_url: str | None = None  # None: the schema's in-process WSGI app
    tally: Tally = field(default_factory=Tally)
    # A second opinion on each answer (the campaign adds huzhu/tests/contract.py's checker).
    also_check: Callable[[str, str, int, Any], None] | None = None

    def operations(self) -> list[Operation]:
        operations = []
        for result in self.schema.get_all_operations():
            if not isinstance(result, Ok):
                raise result.err()  # the schema itself is broken
            operations.append(result.ok())
        return operations

    def run_case(self, case: Any, roll: int) -> None:
        label = operation_label(case.operation)
        headers = steer(case, self.world, roll)
        extra: dict[str, Any] = {}
        if self.base_url is not None:
            extra = {"base_url": self.base_url, "timeout": 30}
        else:  # in-process answers are not un-gzipped (test_reverse_proxy.py tests gzip)
            headers["Accept-Encoding"] = "identity"
        self.tally.requests[label] += 1
        try:
            response = case.call(headers=headers, **extra)
        except Exception as error:  # no answer at all is a finding, not a crash of the run
            self.tally.fail("no_answer", f"{label}: {type(error).__name__}: {error}")
            return
        self.tally.statuses[response.status_code] += 1
        if self.base_url is not None and refused_by_gunicorn(response):
            self.tally.refused_by_gunicorn[response.status_code] += 1
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                self.tally.fail(type(failure).__name__, str(group))
        if self.also_check is not None:
            try:
                body = response.json() if response.content else None
            except ValueError:
                body = None
            try:
                self.also_check(case.method, case.formatted_path, response.status_code, body)
            except AssertionError as error:
                self.tally.fail("ContractError", f"{label}: {error}")

    def fuzz(self, operation: Operation, mode: GenerationMode, *, cases: int, seed: int) -> None:
        """Send `cases` generated requests for one operation (fewer only if Hypothesis runs
        out of distinct inputs, which the caller sees in the tally)."""

        @hypothesis.seed(seed)
        @hypothesis.settings(
            max_examples=cases,
            deadline=None,
            database=None,
            phases=[Phase.generate],  # no shrinking: the database moves on between cases
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy(generation_mode=mode), roll=st.integers(0, 99))
        def run(case: Any, roll: int) -> None:
            self.run_case(case, roll)

        run()


# --- The long campaign (`make fuzz`) ------------------------------------------------------


def _http_send(url: str) -> Send:
    from huzhu.tests.serving import call

    def send(method: str, path: str, body: Any, token: str | None) -> tuple[int, Any]:
        answer = call(url, method, path, body, token=token)
        return answer.status, answer.body

    return send


def _use_database(env: dict[str, str]) -> None:
    """Point this process's Django at the scratch database the server uses."""
    import django

    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {name: env[name] for name in ("HUZHU_DATA_DIR", "DATABASE_URL") if name in env},
        DJANGO_SETTINGS_MODULE="huzhu.settings",
    )
    django.setup()


def run_rounds(fuzzer: Fuzzer, *, requests: int, seed: int, per_run: int = 250) -> None:
    """Every operation in both modes, `per_run` cases each, a new seed per round, until at
    least `requests` were sent."""
    operations = fuzzer.operations()
    started = time.monotonic()
    rounds = 0
    while fuzzer.tally.total < requests:
        for operation in operations:
            for mode in modes_for(operation):
                fuzzer.fuzz(operation, mode, cases=per_run, seed=seed + rounds)
        rounds += 1
        rate = fuzzer.tally.total / (time.monotonic() - started)
        sys.stdout.write(f"round {rounds}: {fuzzer.tally.total} requests, {rate:.0f}/s\n")
        sys.stdout.flush()


def campaign(workdir: Path, *, requests: int, seed: int) -> Tally:
    """Serve a scratch database with `huzhu serve`, seed it, fuzz it, check it."""
    import schemathesis

    from huzhu.tests.serving import Server, check_database, scratch_database

    with scratch_database(workdir, os.environ.get("DATABASE_URL")) as env:
        _use_database(env)
        from huzhu.tests.contract import check_response

        command = ["-m", "huzhu.cli", "serve", "--no-scheduler"]
        server = Server(command, {**env, "HUZHU_ACCESS_LOG": "0"}, workdir)
        server.start()
        try:
            world = seed_world(_http_send(server.url))
            schema = schemathesis.openapi.from_url(server.url + SCHEMA_PATH)
            fuzzer = Fuzzer(schema, world, base_url=server.url, also_check=check_response)
            run_rounds(fuzzer, requests=requests, seed=seed)
        finally:
            server.stop()
        log = server.output()
        if tracebacks := log.count(TRACEBACK):
            first = log.index(TRACEBACK)
            fuzzer.tally.failures["server_traceback"] += tracebacks
            fuzzer.tally.examples["server_traceback"] = log[max(0, first - 300) : first + 4000]
        for broken in check_database(env):
            fuzzer.tally.fail("invariant", broken)
    return fuzzer.tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz a live Huzhu server from its schema.")
    parser.add_argument("--requests", type=int, default=40_000, help="at least this many")
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(2**31))
    args = parser.parse_args(argv)
    # Stopped from outside: unwind, so that the server stops and the scratch database goes.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    started = time.monotonic()
    with TemporaryDirectory(prefix="huzhu-fuzz-") as tmp:
        tally = campaign(Path(tmp), requests=args.requests, seed=args.seed)
    sys.stdout.write(tally.report() + "\n")
    sys.stdout.write(f"seed {args.seed}, {database}, {time.monotonic() - started:.0f} s\n")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
