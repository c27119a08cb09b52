"""The post lifecycle in one table: which status may follow which.

open -> pledged (partly or fully) -> fulfilled | withdrawn | expired
open | pledged -> unknown (a "still needed?" check-in went unanswered) -> open again
"""

from huzhu.posts.models import Post

S = Post.Status

ALLOWED: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.PLEDGED, S.FULFILLED, S.WITHDRAWN, S.EXPIRED, S.UNKNOWN}),
    S.PLEDGED: frozenset({S.OPEN, S.FULFILLED, S.WITHDRAWN, S.EXPIRED, S.UNKNOWN}),
    S.UNKNOWN: frozenset({S.OPEN, S.PLEDGED, S.FULFILLED, S.WITHDRAWN, S.EXPIRED}),
    S.FULFILLED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.EXPIRED: frozenset(),
}
# Statuses in which a post is listed in search. `unknown` is listed, but ranked last.
LISTED: frozenset[str] = frozenset({S.OPEN, S.PLEDGED, S.UNKNOWN})
# The owner may set these through the API and the post page.
OWNER_SETTABLE: frozenset[str] = frozenset({S.FULFILLED, S.WITHDRAWN})


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED[from_status]
