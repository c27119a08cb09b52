"""What the HTTP benchmark sends (bench/http.py): searches, creates, and the mixed load.

Each job sends its n-th request through a keep-alive client (bench/load.py) and says what
it was; the steps and the server are bench/http.py's.
"""

from collections import deque

from bench.load import Client, Job

RADII = (1.0, 5.0, 10.0, 50.0)
SORTS = ("urgency", "distance")
TAGS = ("", "elderly", "fever_now", "", "child")  # searches with and without a tag


def search_job(points: list[tuple[float, float]]) -> Job:
    def job(client: Client, number: int) -> tuple[str, int]:
        # Every step numbers from 0, so even a short one sees all radii, sorts and tags.
        radius, sort = RADII[number % len(RADII)], SORTS[number // len(RADII) % len(SORTS)]
        lat, lng = points[number // (len(RADII) * len(SORTS)) % len(points)]
        tag = TAGS[number % len(TAGS)]
        path = f"/api/v1/posts?lat={lat:.5f}&lng={lng:.5f}&radius_km={radius:g}&sort={sort}"
        status, _ = client.call("GET", path + (f"&tag={tag}" if tag else ""))
        return "search", status

    return job


def create_job(
    points: list[tuple[float, float]], tokens: list[str], created: deque[tuple[int, str]]
) -> Job:
    """Post `number` is person number // 2's need (even) or offer (odd)."""

    def job(client: Client, number: int) -> tuple[str, int]:
        lat, lng = points[number % len(points)]
        token = tokens[number // 2 % len(tokens)]
        body = {
            "kind": ("need", "offer")[number % 2],
            "title": ("Need a blood pressure monitor for grandma", "可以送出一个血压计")[
                number % 2
            ],
            "body": "",
            "category": "supplies",
            "quantity": 1 + number % 3,
            "lat": round(lat, 5),
            "lng": round(lng, 5),
            "tags": ["elderly"] if number % 4 == 0 else [],
        }
        status, answer = client.call("POST", "/api/v1/posts", body, token=token)
        if status == 201:
            created.append((answer["id"], token))
        return "create", status

    return job


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


def mix_kind(number: int) -> str:
    """The kind of mixed request `number`: 37 is prime to 100, so each hundred holds the
    whole mix, spread out."""
    return _SLOTS[number * 37 % 100]


def mixed_job(
    points: list[tuple[float, float]],
    tokens: list[str],
    created: deque[tuple[int, str]],
    listed: list[int],
    cookie: str,
) -> Job:
    search, create = search_job(points), create_job(points, tokens, created)

    def near(number: int) -> str:
        lat, lng = points[number % len(points)]
        return f"lat={lat:.5f}&lng={lng:.5f}&radius_km=5"

    def withdraw(client: Client, number: int) -> tuple[str, int]:
        try:
            post_id, token = created.popleft()
        except IndexError:  # nothing left to withdraw: search instead
            return search(client, number)
        body = {"status": "withdrawn"}
        status, _ = client.call("POST", f"/api/v1/posts/{post_id}/status", body, token=token)
        return "status", status

    def post(client: Client, number: int) -> tuple[str, int]:
        path = ("/posts/{}", "/api/v1/posts/{}")[number % 2].format(listed[number % len(listed)])
        return "post", client.call("GET", path)[0]

    def member(client: Client, number: int) -> tuple[str, int]:
        token, step = tokens[number % len(tokens)], number % 23
        if step < 10:
            status, _ = client.call("GET", f"/api/v1/posts?{near(number)}", token=token)
        elif step < 15:
            status, _ = client.call("GET", f"/?{near(number)}", cookie=cookie)
        else:
            path = f"/api/v1/posts/{listed[number % len(listed)]}"
            status, _ = client.call("GET", path, token=token)
        return "member", status

    send: dict[str, Job] = {
        "search": search,
        "home": lambda client, number: ("home", client.call("GET", f"/?{near(number)}")[0]),
        "post": post,
        "member": member,
        "create": lambda client, number: create(client, number // 100),
        "status": withdraw,
    }
    return lambda client, number: send[mix_kind(number)](client, number)
