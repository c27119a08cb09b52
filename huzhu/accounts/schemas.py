from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from huzhu.schema_base import Out


class SignupIn(Schema):
    username: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=1, max_length=200)
    display_name: str = Field(default="", max_length=40)
    locale: str = Field(default="zh-hans", max_length=10)


class SignupOut(Out):
    id: int
    username: str


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=200)
    otp: str = Field(
        default="",
        max_length=12,
        description="The current code from the authenticator app, for accounts with "
        "two-factor log-in (staff who turned it on).",
    )


class TokenOut(Out):
    token: str


class TokenInfoOut(Out):
    """One of the caller's working tokens, never its secret."""

    id: int
    label: str = Field(description="The client's User-Agent when the token was issued.")
    created_at: datetime
    last_used_at: datetime | None = Field(description="Stamped at most once an hour.")
    expires_at: datetime = Field(description="When it stops working if it stays unused.")
    current: bool = Field(description="Whether this request carries it.")


class ResetIn(Schema):
    address: str = Field(min_length=3, max_length=254)  # a verified e-mail address or phone


class PhoneIn(Schema):
    phone: str = Field(min_length=3, max_length=32)


class PhoneConfirmIn(Schema):
    phone: str = Field(min_length=3, max_length=32)
    code: str = Field(min_length=1, max_length=20)
    display_name: str = Field(default="", max_length=40)
    locale: str = Field(default="zh-hans", max_length=10)


class PhoneTokenOut(Out):
    token: str
    created: bool


class ResetConfirmIn(Schema):
    code: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class DetailOut(Out):
    detail: str


class MeOut(Out):
    id: int
    username: str
    display_name: str
    locale: str
    date_joined: str


class ExportOut(Out):
    """Everything Huzhu keeps about the caller (huzhu/accounts/export.py)."""

    format: str
    generated_at: datetime
    profile: dict[str, Any]
    verifications: dict[str, Any]
    posts: list[dict[str, Any]]
    exchanges: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    notification_preferences: dict[str, Any]
    alerts: list[dict[str, Any]]
    reviews_given: list[dict[str, Any]]
    reviews_received: list[dict[str, Any]]  # only those revealed to the caller, masked
    no_shows_about_me: list[dict[str, Any]]  # hand-overs the other side says did not happen
    no_shows_i_reported: list[dict[str, Any]]
    reports_filed: list[dict[str, Any]]
    consents: dict[str, bool]
    consent_history: list[dict[str, Any]]
    for_you: dict[str, Any]

    sanctions: list[dict[str, Any]]
    feedback: list[dict[str, Any]]


class ConsentsIn(Schema):
    """Every purpose, each required: true to allow it, false to refuse it."""

    for_you_feed: bool
    activity_recommendations: bool
    public_thanks: bool


class ConsentChangeOut(Out):
    purpose: str
    granted: bool
    at: datetime


class ConsentsOut(ConsentsIn):
    history: list[ConsentChangeOut]
