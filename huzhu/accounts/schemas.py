from ninja import Schema
from pydantic import Field


class SignupIn(Schema):
    username: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=1, max_length=200)
    display_name: str = Field(default="", max_length=40)
    locale: str = Field(default="zh-hans", max_length=10)


class SignupOut(Schema):
    id: int
    username: str


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    locale: str
    date_joined: str
