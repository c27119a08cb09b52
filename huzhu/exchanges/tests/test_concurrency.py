"""N units are never promised N+1 times, with many owners' taps racing on one post.

Each thread has its own database connection (Django gives every thread its own), so the
accepts really compete: on SQLite for the one database file (a file even in tests), on
PostgreSQL for the post's row. The conditional UPDATE in `reserve_quantity` decides.
"""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from huzhu.accounts.models import User
from huzhu.conftest import make_user
from huzhu.errors import Conflict
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.queries import access_exchange
from huzhu.exchanges.services import accept_exchange, respond_to_post
from huzhu.exchanges.tests.conftest import make_offer
from huzhu.posts.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

UNITS = 5
ATTEMPTS = 20


def race(actions: list[Callable[[], None]]) -> Counter[str]:
    """Run every action in its own thread, all released at once; count the outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(action: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            action()
            outcome = "accepted"
        except Conflict as exc:
            outcome = f"rejected:{exc.code}"
        except Exception as exc:
            outcome = f"error:{type(exc).__name__}:{exc}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def accepter(owner: User, exchange_id: int) -> Callable[[], None]:
    def accept() -> None:
        accept_exchange(exchange=access_exchange(owner, exchange_id), actor=owner)

    return accept


def proposals(post: Post, quantities: list[int]) -> list[Exchange]:
    return [
        respond_to_post(post=post, responder=make_user(f"neighbour{n}"), quantity=q, message="")
        for n, q in enumerate(quantities)
    ]


def test_n_units_are_accepted_exactly_n_times(alice: User) -> None:
    offer = make_offer(alice, quantity=UNITS)
    exchanges = proposals(offer, [1] * ATTEMPTS)
    outcomes = race([accepter(alice, e.pk) for e in exchanges])
    assert outcomes == {"accepted": UNITS, "rejected:quantity_unavailable": ATTEMPTS - UNITS}
    offer.refresh_from_db()
    assert (offer.quantity_reserved, offer.status) == (UNITS, "pledged")
    assert Exchange.objects.filter(status="accepted").count() == UNITS
    assert offer.status_history.filter(to_status="pledged").count() == 1


def test_mixed_quantities_never_overshoot(alice: User) -> None:
    offer = make_offer(alice, quantity=7)
    exchanges = proposals(offer, [2, 3, 2, 3, 2, 3, 1, 1, 2, 3])
    outcomes = race([accepter(alice, e.pk) for e in exchanges])
    offer.refresh_from_db()
    accepted = Exchange.objects.filter(status="accepted")
    assert offer.quantity_reserved == sum(e.quantity for e in accepted) <= 7
    assert outcomes["accepted"] == accepted.count()
    assert outcomes["accepted"] + outcomes["rejected:quantity_unavailable"] == 10
    assert 7 - offer.quantity_reserved < min(
        [e.quantity for e in Exchange.objects.filter(status="proposed")], default=99
    )


def test_one_exchange_accepted_twice_at_once_is_accepted_once(alice: User, bob: User) -> None:
    offer = make_offer(alice, quantity=UNITS)
    exchange = respond_to_post(post=offer, responder=bob, quantity=2, message="")
    outcomes = race([accepter(alice, exchange.pk) for _ in range(8)])
    assert outcomes["accepted"] == 1
    assert sum(outcomes.values()) == 8
    assert set(outcomes) <= {"accepted", "rejected:stale", "rejected:illegal_transition"}
    offer.refresh_from_db()
    assert offer.quantity_reserved == 2
