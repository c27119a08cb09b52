"""What the HTTP benchmark sends (bench/http.py): searches, creates, and the mixed load.

Each request is described once (`Request`); a job sends its n-th through a keep-alive
client (bench/load.py) and says what it was, and `mixed_requests` writes the same mix down
for `wrk` (bench/wrk.py). The steps and the server are bench/http.py's.
"""

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from bench import wrk
from bench.load import Client, Job

RADII = (1.0, 5.0, 10.0, 50.0)
SORTS = ("urgency", "distance")
TAGS = ("", "elderly", "fever_now", "", "child")  # searches with and without a tag
# Of every 100 mixed requests (spread through the hundred, not in runs): what people do on
# a busy day. Visitors: searches, the home feed at a point, a post (its page or the API's
# answer, alternately). Members (signed in, never a shared answer): a search with a token,
# the home page with a session, a post through the API. Writes: a create, and a withdrawal
# of a post made earlier.
MIX = (
    ("search", 45),
    ("home", 15),
    ("post", 15),
    ("member", 23),
    ("create", 1),
    ("status", 1),
)
_SLOTS = [kind for kind, share in MIX for _ in range(share)]
assert len(_SLOTS) == 100


@dataclass(frozen=True)
class Request:
    kind: str  # what it stands for in the figures
    method: str
    path: str
    token: str = ""  # an API token (Authorization: Bearer)
    cookie: str = ""  # a signed-in session
    body: dict[str, Any] | None = None

    def as_wrk(self) -> wrk.Call:
        """The same request as wrk sends it (bench/wrk.py)."""
        headers = []
        if self.token:
            headers.append(f"Authorization: Bearer {self.token}")
        if self.cookie:
            headers.append(f"Cookie: {self.cookie}")
        body = ""
        if self.body is not None:
            headers.append("Content-Type: application/json")
            body = json.dumps(self.body, ensure_ascii=False)
        return wrk.Call(self.method, self.path, tuple(headers), body)

    def send(self, client: Client) -> tuple[int, Any]:
        return client.call(
            self.method, self.path, self.body, token=self.token or None, cookie=self.cookie or None
        )


@dataclass
class Mix:
    """What the mixed load draws on: query points, posts to read, people to act as."""

    points: list[tuple[float, float]]
    listed: list[int]  # posts visitors and members read
    tokens: list[str]  # people who create (two posts each) and search signed in
    cookie: str  # a signed-in session for members' pages
    created: deque[tuple[int, str]] = field(default_factory=deque)  # to withdraw later


def mix_kind(number: int) -> str:
    """The kind of mixed request `number`: 37 is prime to 100, so each hundred holds the
    whole mix, spread out."""
    return _SLOTS[number * 37 % 100]


def search_request(points: list[tuple[float, float]], number: int) -> Request:
    # Every step numbers from 0, so even a short one sees all radii, sorts and tags.
    radius, sort = RADII[number % len(RADII)], SORTS[number // len(RADII) % len(SORTS)]
    lat, lng = points[number // (len(RADII) * len(SORTS)) % len(points)]
    tag = TAGS[number % len(TAGS)]
    path = f"/api/v1/posts?lat={lat:.5f}&lng={lng:.5f}&radius_km={radius:g}&sort={sort}"
    return Request("search", "GET", path + (f"&tag={tag}" if tag else ""))


def create_request(points: list[tuple[float, float]], tokens: list[str], number: int) -> Request:
    """Post `number` is person number // 2's need (even) or offer (odd)."""
    lat, lng = points[number % len(points)]
    body = {
        "kind": ("need", "offer")[number % 2],
        "title": ("Need a blood pressure monitor for grandma", "可以送出一个血压计")[number % 2],
        "body": "",
        "category": "supplies",
        "quantity": 1 + number % 3,
        "lat": round(lat, 5),
        "lng": round(lng, 5),
        "tags": ["elderly"] if number % 4 == 0 else [],
    }
    token = tokens[number // 2 % len(tokens)]
    return Request("create", "POST", "/api/v1/posts", token=token, body=body)


def mixed_request(mix: Mix, number: int) -> Request:
    """Mixed request `number` (a withdrawal takes the oldest post made before it)."""
    kind = mix_kind(number)
    if kind == "create":
        return create_request(mix.points, mix.tokens, number // 100)
    if kind == "status" and mix.created:
        made, token = mix.created.popleft()
        body = {"status": "withdrawn"}
        return Request("status", "POST", f"/api/v1/posts/{made}/status", token=token, body=body)
    if kind in {"home", "post", "member"}:
        return _read(mix, kind, number)
    return search_request(mix.points, number)  # a search, or a withdrawal with none left


def _read(mix: Mix, kind: str, number: int) -> Request:
    lat, lng = mix.points[number % len(mix.points)]
    near = f"lat={lat:.5f}&lng={lng:.5f}&radius_km=5"
    post_id = mix.listed[number % len(mix.listed)]
    token, step = mix.tokens[number % len(mix.tokens)], number % 23
    if kind == "home":
        return Request("home", "GET", f"/?{near}")
    if kind == "post":
        return Request("post", "GET", ("/posts/{}", "/api/v1/posts/{}")[number % 2].format(post_id))
    if step < 10:  # a member: 10 searches, 5 home pages, 8 posts in 23
        return Request("member", "GET", f"/api/v1/posts?{near}", token=token)
    if step < 15:
        return Request("member", "GET", f"/?{near}", cookie=mix.cookie)
    return Request("member", "GET", f"/api/v1/posts/{post_id}", token=token)


def mixed_requests(mix: Mix, count: int) -> list[Request]:
    """The first `count` mixed requests, written down (for wrk, which cannot compute them)."""
    return [mixed_request(mix, number) for number in range(count)]


def _job(make: Any, created: deque[tuple[int, str]]) -> Job:
    def job(client: Client, number: int) -> tuple[str, int]:
        request: Request = make(number)
        status, answer = request.send(client)
        if request.kind == "create" and status == 201:
            created.append((answer["id"], request.token))
        return request.kind, status

    return job


def search_job(points: list[tuple[float, float]]) -> Job:
    return _job(lambda number: search_request(points, number), deque())


def create_job(
    points: list[tuple[float, float]], tokens: list[str], created: deque[tuple[int, str]]
) -> Job:
    return _job(lambda number: create_request(points, tokens, number), created)


def mixed_job(mix: Mix) -> Job:
    return _job(lambda number: mixed_request(mix, number), mix.created)
