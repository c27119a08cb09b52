"""Helpers for review tests: complete an exchange between two people, review it."""

from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.services import accept_exchange, complete_exchange, respond_to_post
from huzhu.posts.services import create_post
from huzhu.trust.models import Review
from huzhu.trust.reviews import write_review


def completed(giver: User, receiver: User) -> Exchange:
    """`giver` answers `receiver`'s need for one, and the receiver confirms receipt."""
    need = create_post(owner=receiver, draft=draft(quantity=1))
    exchange = respond_to_post(post=need, responder=giver, quantity=1, message="")
    accept_exchange(exchange=exchange, actor=receiver)
    return complete_exchange(exchange=exchange, actor=receiver, handover_happened=True)


def review_each_other(exchange: Exchange, giver_score: int = 5, receiver_score: int = 5) -> None:
    """Both sides review: the giver's score of the receiver, the receiver's of the giver."""
    write_review(exchange=exchange, reviewer=exchange.giver, score=giver_score)
    write_review(exchange=exchange, reviewer=exchange.receiver, score=receiver_score)


def reviews_of_pair(reviewer: User, reviewee: User) -> list[Review]:
    return list(Review.objects.filter(reviewer=reviewer, reviewee=reviewee).order_by("pk"))


def reviewed_by_a_moderator(user: User) -> Exchange:
    """A moderator (a seed of standing) gives `user` something and they review each other
    well: the one good review TL2 asks for. It is also one more completed exchange."""
    moderator = User.objects.create(username=f"moderator-for-{user.pk}", is_staff=True)
    exchange = completed(moderator, user)
    review_each_other(exchange)
    return exchange
