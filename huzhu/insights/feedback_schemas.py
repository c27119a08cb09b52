"""Schemas of the feedback API."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from huzhu.schema_base import Out


class FeedbackIn(Schema):
    rating: int = Field(ge=1, le=5, description="1 (poor) to 5 (very good): the platform")
    text: str = Field(default="", max_length=2000)
    theme: str = Field(default="", description="app, safety, speed, medicine or other")
    exchange_id: int | None = Field(
        default=None, ge=1, le=2**63 - 1, description="a completed exchange of yours"
    )


class FeedbackOut(Out):
    id: int
    rating: int
    text: str
    theme: str
    exchange_id: int | None
    created_at: datetime


class ThemeOut(Out):
    key: str
    label: str


class ImprovementOut(Out):
    id: int
    title: str
    body: str
    themes: list[ThemeOut]
    published_at: datetime


class ImprovementsOut(Out):
    items: list[ImprovementOut]
