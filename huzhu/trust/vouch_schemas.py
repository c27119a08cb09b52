from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from huzhu.schema_base import Out


class VouchOut(Out):
    id: int
    user_id: int  # the other person: whom you vouch for, or who vouches for you
    created_at: datetime
    withdrawn_at: datetime | None


class AllowanceOut(Out):
    per_week: int
    used_this_week: int
    sanctions_against_vouched: int
    left: int
    next_free_at: datetime | None


class VouchesOut(Out):
    allowance: AllowanceOut
    given: list[VouchOut]
    received: list[VouchOut]


class OrganisationIn(Schema):
    kind: Literal["pharmacy", "clinic", "ngo", "residents_committee"]
    name: str = Field(min_length=1, max_length=120)
    registration_number: str = Field(min_length=1, max_length=60)  # kept only as a keyed hash


class OrganisationOut(Out):
    user_id: int
    kind: Literal["pharmacy", "clinic", "ngo", "residents_committee"]
    name: str
    verified_at: datetime


class RevokeIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)
