"""Collusion resistance: reviews weigh by their writer's standing (EigenTrust from seeds),
so a ring of fresh accounts praising each other gets nowhere while an honest newcomer
reviewed by people in good standing reaches TL2."""

from datetime import timedelta
from itertools import permutations

from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import Api, make_user
from huzhu.trust.levels import Level
from huzhu.trust.models import TrustState
from huzhu.trust.services import recompute_all
from huzhu.trust.standing import compute_standing
from huzhu.trust.tests.helpers import mark_email_verified, set_level
from huzhu.trust.tests.reviewing import completed, review_each_other


def _newcomer(name: str) -> User:
    user = make_user(name)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=10))
    user.refresh_from_db()
    mark_email_verified(user, f"{name}@example.org")
    return user


def _good_reviews(user: User) -> int:
    criteria = Api().as_user(user).get("/api/v1/me/trust").json()["criteria"]
    return int(next(c["value"] for c in criteria if c["code"] == "good_reviews"))


def test_a_ring_of_fresh_accounts_cannot_lift_itself_but_an_honest_member_rises(db: None) -> None:
    ring = [_newcomer(f"ring{n}") for n in range(5)]
    for giver, receiver in permutations(ring, 2):  # 20 exchanges, 40 five-star reviews
        review_each_other(completed(giver, receiver))
    moderator = make_user("moderator")
    User.objects.filter(pk=moderator.pk).update(is_staff=True)
    member = _newcomer("member")
    set_level(member, Level.MEMBER)
    TrustState.objects.filter(user=member).update(verified=True, completed_exchanges=5)
    honest = _newcomer("honest")
    for seed in (moderator, member):
        review_each_other(completed(seed, honest))
    # A neighbour nobody in good standing vouches for (honest rates them only 3 of 5).
    review_each_other(completed(make_user("neighbour"), honest), receiver_score=3)

    recompute_all()

    for person in ring:
        state = TrustState.objects.get(user=person)
        assert (state.level, state.completed_exchanges) == (Level.VERIFIED, 8)
        assert state.reviews_counted == 0  # the praise is there, it just carries no weight
        assert _good_reviews(person) == 0
    assert TrustState.objects.get(user=honest).level == Level.MEMBER
    assert _good_reviews(honest) == 2  # the two seeds; the unknown neighbour weighs nothing


def test_trust_flows_from_the_seeds_along_good_reviews(alice: User, bob: User) -> None:
    moderator = make_user("moderator")
    User.objects.filter(pk=moderator.pk).update(is_staff=True)
    review_each_other(completed(moderator, alice))  # the moderator trusts alice
    review_each_other(completed(alice, bob))  # alice trusts bob
    standing = compute_standing(timezone.now())
    assert standing.weight(moderator.pk) == 1.0
    assert 0 < standing.trust[bob.pk] < standing.trust[alice.pk]  # one step further away
    assert standing.weight(alice.pk) > 0
    assert standing.weight(make_user("stranger").pk) == 0.0


def test_without_any_seed_nobody_carries_weight(alice: User, bob: User) -> None:
    review_each_other(completed(alice, bob))
    standing = compute_standing(timezone.now())
    assert (standing.weight(alice.pk), standing.weight(bob.pk)) == (0.0, 0.0)
