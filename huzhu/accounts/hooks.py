"""What the apps built on accounts add to signing up and signing in, registered from their
AppConfig.ready so accounts imports none of them: safety keeps the keyed hash of the sign-up
address and refuses a restricted person at sign-in (safety/apps.py). Trust's phone sign-in
goes through the same two calls.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from huzhu.accounts.models import User


class SignedUp(Protocol):
    def __call__(self, *, user: User, address: str, now: datetime) -> None: ...


_signed_up: list[SignedUp] = []
_sign_in_checks: list[Callable[[User], None]] = []


def on_signed_up(hook: SignedUp) -> None:
    if hook not in _signed_up:
        _signed_up.append(hook)


def on_signing_in(check: Callable[[User], None]) -> None:
    """`check` raises (Forbidden) when the person may not sign in now."""
    if check not in _sign_in_checks:
        _sign_in_checks.append(check)


def signed_up(*, user: User, address: str, now: datetime) -> None:
    """Call inside the sign-up's transaction."""
    for hook in _signed_up:
        hook(user=user, address=address, now=now)


def refuse_if_restricted(user: User) -> None:
    for check in _sign_in_checks:
        check(user)
