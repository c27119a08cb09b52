"""Standing: how much a person's reviews weigh, EigenTrust-style, so rings cannot lift
themselves.

Each reviewer's local trust in the people they reviewed is their counting, revealed reviews
net of poor ones (good +1, poor −1, floored at 0), normalised to sum to one. Global trust
is the fixed point of `t = (1 − a)·Cᵀt + a·p`, where `p` spreads the pull `a` over the
pre-trusted seeds: moderators, and verified members at TL2 or above with the completed
exchanges TL2 asks for. Trust only enters the graph at the seeds, so a ring of fresh
accounts that nobody in good standing ever reviewed has exactly zero trust, whatever it
writes about itself.

A reviewer's weight is their trust divided by `a / seeds`, the least any seed holds, capped
at 1: seeds weigh fully, people they vouched for through reviews weigh in proportion.
Computed in Python over one aggregate query; `recompute_all` computes it once per run.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Sum, Value, When

from huzhu.accounts.roles import moderators
from huzhu.trust.levels import Level
from huzhu.trust.models import TrustState
from huzhu.trust.reputation import LOW_SCORE, POSITIVE_SCORE, Reputation, revealed_reviews

PULL = 0.15  # the share of trust that returns to the seeds each step
ITERATIONS = 50
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Standing:
    trust: dict[int, float] = field(default_factory=dict)
    seeds: frozenset[int] = frozenset()

    def weight(self, user_id: int) -> float:
        if not self.seeds:
            return 0.0
        floor = PULL / len(self.seeds)
        return min(1.0, self.trust.get(user_id, 0.0) / floor)


def seeds() -> frozenset[int]:
    members = TrustState.objects.filter(
        level__gte=Level.MEMBER,
        verified=True,
        completed_exchanges__gte=settings.HUZHU_TRUST_THRESHOLDS["tl2_completed_exchanges"],
        user__is_active=True,
    ).values_list("user_id", flat=True)
    staff = moderators().values_list("pk", flat=True)
    return frozenset(members) | frozenset(staff)


def local_trust(now: datetime) -> dict[int, dict[int, float]]:
    """Each reviewer's normalised trust in the people they reviewed."""
    net = Case(
        When(score__gte=POSITIVE_SCORE, then=Value(1)),
        When(score__lte=LOW_SCORE, then=Value(-1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        revealed_reviews(now)
        .filter(counts=True)
        .values("reviewer_id", "reviewee_id")
        .annotate(net=Sum(net))
        .filter(Q(net__gt=0))
    )
    edges: dict[int, dict[int, float]] = defaultdict(dict)
    for row in rows:
        edges[row["reviewer_id"]][row["reviewee_id"]] = float(row["net"])
    for targets in edges.values():
        total = sum(targets.values())
        for target in targets:
            targets[target] /= total
    return edges


def compute_standing(now: datetime) -> Standing:
    """Power iteration from the seeds; people outside the seeds' reach stay at zero."""
    seed_ids = seeds()
    if not seed_ids:
        return Standing()
    pull = {seed: 1 / len(seed_ids) for seed in seed_ids}
    edges = local_trust(now)
    trust = dict(pull)
    for _ in range(ITERATIONS):
        following: dict[int, float] = defaultdict(float)
        for person, value in trust.items():
            targets = edges.get(person)
            # Someone who trusts nobody passes their share back to the seeds (EigenTrust).
            for target, share in (targets or pull).items():
                following[target] += (1 - PULL) * value * share
        for seed, share in pull.items():
            following[seed] += PULL * share
        change = sum(abs(following[k] - trust.get(k, 0.0)) for k in following)
        trust = dict(following)
        if change < TOLERANCE:
            break
    return Standing(trust=trust, seeds=seed_ids)


def weighted_good_reviews(user_id: int, standing: Standing | None, now: datetime) -> int:
    """Good reviews net of poor ones, each weighted by its writer's standing, rounded down.

    The community's standing is computed only when `user_id` has reviews to weigh, so the
    recomputation after each completed exchange stays cheap for people without any.
    """
    reviews = list(
        revealed_reviews(now)
        .filter(reviewee_id=user_id, counts=True)
        .values_list("reviewer_id", "score")
    )
    if not reviews:
        return 0
    standing = standing if standing is not None else compute_standing(now)
    total = 0.0
    for reviewer_id, score in reviews:
        if score >= POSITIVE_SCORE:
            total += standing.weight(reviewer_id)
        elif score <= LOW_SCORE:
            total -= standing.weight(reviewer_id)
    # A small epsilon: 0.9999999 of floating-point drift is one full review.
    return max(0, int(total + 1e-6))


def weighted_reputation(user_id: int, standing: Standing | None, now: datetime) -> Reputation:
    """The badge's reputation: revealed, counting reviews, each weighted by its writer's
    standing like promotion, the sums rounded down. Standing is computed only when needed."""
    reviews = list(
        revealed_reviews(now)
        .filter(reviewee_id=user_id, counts=True)
        .values_list("reviewer_id", "score")
    )
    if not reviews:
        return Reputation(counted=0, positive=0)
    standing = standing if standing is not None else compute_standing(now)
    counted = sum(standing.weight(reviewer_id) for reviewer_id, _score in reviews)
    positive = sum(
        standing.weight(reviewer_id) for reviewer_id, score in reviews if score >= POSITIVE_SCORE
    )
    # The same epsilon as above: floating-point drift must not cost a full review.
    return Reputation(counted=int(counted + 1e-6), positive=int(positive + 1e-6))
