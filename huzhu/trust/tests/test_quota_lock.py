"""The quota lock on PostgreSQL serialises one person's own writes, and nobody else's.

A FOR UPDATE lock on the person's row would also block every row that references them
(another person's exchange with them takes KEY SHARE for its foreign key): under load
that queued unrelated requests and, with a second lock, deadlocked (crash-safety test).
"""

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from huzhu.conftest import draft, make_user
from huzhu.exchanges.services import respond_to_post
from huzhu.posts.services import create_post
from huzhu.trust.limits import lock_person

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks exist on PostgreSQL only; SQLite serialises whole transactions",
)


def test_a_quota_lock_does_not_hold_up_others_dealing_with_that_person(
    transactional_db: None,
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    need = create_post(owner=alice, draft=draft())
    locked, release = threading.Event(), threading.Event()

    def hold_alices_lock() -> None:
        try:
            with transaction.atomic():
                lock_person(alice)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_alices_lock)
    holder.start()
    try:
        assert locked.wait(5)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            # Bob's response references alice (the exchange's receiver, her notification).
            respond_to_post(post=need, responder=bob, quantity=1, message="")
    finally:
        release.set()
        holder.join()
