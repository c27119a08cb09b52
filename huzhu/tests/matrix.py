"""The vocabulary of the authorization matrix (huzhu/tests/test_authorization_matrix.py):
the actors, the world each request meets, and one row's expectation."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from huzhu.accounts.models import User
from huzhu.posts.models import Post

ACTORS = (
    "anonymous",
    "new",
    "verified",
    "owner",
    "counterpart",
    "outsider",
    "moderator",
    "operator",
)
MEMBERS = ACTORS[1:]


def expect(anonymous: int, member: int, **overrides: int) -> dict[str, int]:
    """Anonymous gets `anonymous`; every logged-in actor gets `member` unless overridden."""
    unknown = set(overrides) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    return {"anonymous": anonymous, **dict.fromkeys(MEMBERS, member), **overrides}


@dataclass(frozen=True)
class World:
    users: dict[str, User]
    post: Post
    exchange_id: int = 0  # the counterpart's proposed exchange on the post
    notification_id: int = 0  # the owner's "new response" notification
    verification_id: int = 0  # the owner's pending phone verification
    alert_id: int = 0  # the owner's saved alert
    sanction_id: int = 0  # the owner's warning
    appeal_id: int = 0  # the owner's appeal of it
    feedback_id: int = 0  # the owner's rating of 1, in the organisers' queue
    review_id: int = 0  # the counterpart's low review of the owner, waiting for a moderator
    document_id: int = 0  # the counterpart's document check, waiting for a moderator
    person_id: int = 0  # the `verified` member: vouched for, a verified organisation
    token_id: int = 0  # an API token of the owner's


@dataclass(frozen=True)
class Route:
    expected: dict[str, int]
    body: Callable[[World, str], Any] = field(default=lambda world, actor: None)
