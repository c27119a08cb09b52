from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from huzhu.posts.schemas import ErrorOut

__all__ = ["ErrorOut"]


class VerificationIn(Schema):
    method: Literal["phone", "email"]
    address: str = Field(min_length=3, max_length=254)
    # Phone only: keep the number (sealed) to show after both sides of an exchange consent.
    show_on_reveal: bool = False


class VerificationOut(Schema):
    id: int
    method: Literal["phone", "email"]
    status: Literal["pending", "confirmed", "failed", "superseded"]
    expires_at: datetime


class ConfirmIn(Schema):
    code: str = Field(min_length=1, max_length=12)


class UnlocksOut(Schema):
    open_needs: int
    open_offers: int
    responses_per_day: int
    links_in_posts: bool
    report_weight: int
    vouches_per_week: int
    post_on_behalf: bool


class CriterionOut(Schema):
    code: str
    level: int
    label: str
    value: int
    threshold: int
    comparison: Literal["at_least", "at_most"]
    met: bool
    text: str


class NextLevelOut(Schema):
    level: int
    name: str
    missing: list[CriterionOut]


class DemotionOut(Schema):
    to_level: int
    to_name: str
    at: datetime


class TrustOut(Schema):
    level: int
    name: str
    verified: bool
    verified_methods: list[Literal["phone", "email"]]
    unlocks: UnlocksOut
    next_level: NextLevelOut | None
    criteria: list[CriterionOut]
    demotion: DemotionOut | None
