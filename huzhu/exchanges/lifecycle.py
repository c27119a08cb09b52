"""The exchange lifecycle in one table: which status may follow which.

proposed -> accepted -> completed | cancelled | disputed
proposed -> declined (by the post's owner) | cancelled (by either side)
disputed -> completed | cancelled (a moderator settles it; see disputes.py)
"""

from huzhu.exchanges.models import Exchange

S = Exchange.Status

ALLOWED: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.ACCEPTED, S.DECLINED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.COMPLETED, S.CANCELLED, S.DISPUTED}),
    S.DISPUTED: frozenset({S.COMPLETED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Exchanges in these statuses hold their quantity in `Post.quantity_reserved`.
# Completed ones keep holding it: the units were handed over and are not available again.
HOLDS_QUANTITY: frozenset[str] = frozenset({S.ACCEPTED, S.DISPUTED, S.COMPLETED})
# Ended: the relay thread is read-only and nothing more can happen.
ENDED: frozenset[str] = frozenset({S.COMPLETED, S.DECLINED, S.CANCELLED})
# Live: what the one-live-exchange-per-pair constraint counts.
LIVE: frozenset[str] = frozenset({S.PROPOSED, S.ACCEPTED, S.DISPUTED})
# Contact may be revealed only while the two are still arranging the hand-over.
REVEALABLE: frozenset[str] = frozenset({S.PROPOSED, S.ACCEPTED})


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED[from_status]
