"""The base of every response schema."""

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    """A response body, validated by pydantic alone.

    Not `ninja.Schema`: its root validator wraps every object it validates, nested ones
    included, in a Python getter that can read ORM attributes and call resolvers. For one
    page of 20 search hits that is over 700 Python attribute lookups, about a quarter of
    the request's CPU. Our presenters hand over plain dicts, which pydantic validates in
    its compiled core; `from_attributes` still reads an object handed over as is.
    """

    model_config = ConfigDict(from_attributes=True)
