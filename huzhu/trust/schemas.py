from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from huzhu.posts.schemas import ErrorOut
from huzhu.schema_base import Out

__all__ = ["ErrorOut"]


DocumentTypeName = Literal["passport", "residence_permit", "national_id", "other"]


class VerificationIn(Schema):
    method: Literal["phone", "email", "document"]
    # Phone or e-mail: where the code goes.
    address: str = Field(default="", max_length=254)
    # Phone only: keep the number (sealed) to show after both sides of an exchange consent.
    show_on_reveal: bool = False
    # Document only: its type, issuing country (ISO 3166 alpha-2) and number (kept hashed).
    document_type: DocumentTypeName | None = None
    country: str = Field(default="", max_length=2)
    document_number: str = Field(default="", max_length=40)


class DocumentStatusOut(Out):
    document_type: DocumentTypeName
    country: str
    image_received: bool
    decided_at: datetime | None
    decision_reason: str


class VerificationOut(Out):
    id: int
    method: Literal["phone", "email", "document"]
    status: Literal["pending", "confirmed", "failed", "superseded", "rejected"]
    # For a code: when it stops working. For a document: when its photo is due by.
    expires_at: datetime
    document: DocumentStatusOut | None = None


class ConfirmIn(Schema):
    code: str = Field(min_length=1, max_length=12)


class UnlocksOut(Out):
    open_needs: int
    open_offers: int
    responses_per_day: int
    links_in_posts: bool
    report_weight: int
    vouches_per_week: int
    post_on_behalf: bool
    posts_per_hour: int


class CriterionOut(Out):
    code: str
    level: int
    label: str
    value: int
    threshold: int
    comparison: Literal["at_least", "at_most"]
    met: bool
    text: str


class NextLevelOut(Out):
    level: int
    name: str
    missing: list[CriterionOut]


class DemotionOut(Out):
    to_level: int
    to_name: str
    at: datetime


class TrustOut(Out):
    level: int
    name: str
    verified: bool
    verified_methods: list[Literal["phone", "email", "document", "vouch"]]
    unlocks: UnlocksOut
    next_level: NextLevelOut | None
    criteria: list[CriterionOut]
    demotion: DemotionOut | None
    reputation: "ReputationOut"
    neighbours_helped: int


class ReviewIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)  # private to the two of you
    thanks: str = Field(default="", max_length=500)  # a thank-you note
    publish_thanks: bool = False  # show the note on the public stories wall


class ReviewOut(Out):
    id: int
    score: int
    comment: str
    thanks: str
    publish_thanks: bool
    counts: bool
    created_at: datetime


class ReviewsOut(Out):
    can_review: bool
    window_closes_at: datetime | None
    revealed: bool
    theirs_written: bool
    mine: ReviewOut | None
    theirs: ReviewOut | None


class ReputationOut(Out):
    reviews_counted: int
    reviews_positive: int
    enough_reviews: bool
    positive_lower_bound: float | None


TrustOut.model_rebuild()
