"""The lifecycle, enforced in one place, and the expiry task."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.errors import Conflict
from huzhu.posts.lifecycle import ALLOWED, LISTED
from huzhu.posts.models import Post
from huzhu.posts.ranking import compute_rank
from huzhu.posts.services import create_post, expire_due_posts, transition_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import set_level

STATUSES = list(Post.Status.values)


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.parametrize("to_status", STATUSES)
def test_only_the_lifecycle_table_moves_a_post(
    alice: User, from_status: str, to_status: str
) -> None:
    post = create_post(owner=alice, draft=draft())
    Post.objects.filter(pk=post.pk).update(status=from_status)
    if to_status in ALLOWED[from_status]:
        moved = transition_post(post_id=post.pk, to_status=to_status, actor=alice, reason="test")
        assert moved.status == to_status
        post.refresh_from_db()
        assert post.status == to_status
        assert (post.rank is not None) == (to_status in LISTED)
        assert post.status_history.last() is not None
        assert post.status_history.order_by("id").last().to_status == to_status  # type: ignore[union-attr]
    else:
        with pytest.raises(Conflict):
            transition_post(post_id=post.pk, to_status=to_status, actor=alice, reason="test")
        post.refresh_from_db()
        assert post.status == from_status
        assert post.status_history.count() == 1


def test_tags_make_a_post_more_urgent_but_waiting_counts_too(alice: User) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        old_plain = create_post(owner=alice, draft=draft(tags=()))
    with time_machine.travel(start + timedelta(hours=10), tick=False):
        new_tagged = create_post(owner=alice, draft=draft(tags=("infant",)))
    with time_machine.travel(start + timedelta(hours=40), tick=False):
        newest_tagged = create_post(owner=alice, draft=draft(tags=("infant",)))
    assert new_tagged.rank is not None and old_plain.rank is not None
    assert newest_tagged.rank is not None
    assert new_tagged.rank < old_plain.rank  # an infant's need jumps the queue…
    assert old_plain.rank < newest_tagged.rank  # …but nobody waits forever


def test_unknown_posts_rank_after_open_ones(alice: User) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    early = create_post(owner=alice, draft=draft())
    later = create_post(owner=alice, draft=draft())
    early = transition_post(post_id=early.pk, to_status="unknown", actor=None, reason="check-in")
    assert early.rank is not None and later.rank is not None
    assert compute_rank(early, timezone.now()) == early.rank
    assert early.rank > later.rank


def test_expiry_closes_posts_whose_time_is_up(alice: User) -> None:
    set_level(alice, Level.MEMBER)  # several open posts at once: more than TL0 allows
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        plain = create_post(owner=alice, draft=draft())
        medicine = create_post(
            owner=alice,
            draft=draft(kind="offer", tags=(), expires_at=start + timedelta(days=3)),
        )
        withdrawn = create_post(owner=alice, draft=draft())
        transition_post(post_id=withdrawn.pk, to_status="withdrawn", actor=alice, reason="owner")
    assert expire_due_posts(now=start + timedelta(days=2)) == 0
    assert expire_due_posts(now=start + timedelta(days=4)) == 1
    medicine.refresh_from_db()
    assert medicine.status == "expired"
    assert medicine.rank is None
    assert expire_due_posts(now=start + timedelta(days=31)) == 1
    plain.refresh_from_db()
    withdrawn.refresh_from_db()
    assert plain.status == "expired"
    assert withdrawn.status == "withdrawn"
    assert [h.reason for h in plain.status_history.all()] == ["created", "expired"]


def test_a_stale_status_change_loses(alice: User) -> None:
    post = create_post(owner=alice, draft=draft())
    # Another request changes the row between our read and our conditional update.
    Post.objects.filter(pk=post.pk).update(status="fulfilled")
    with pytest.raises(Conflict):
        transition_post(post_id=post.pk, to_status="withdrawn", actor=alice, reason="owner")
