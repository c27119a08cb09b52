"""Writes to accounts: sign-up and API tokens."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huzhu.accounts import hooks
from huzhu.accounts.auth import hash_token
from huzhu.accounts.display_names import check_display_name
from huzhu.accounts.models import ApiToken, User
from huzhu.accounts.pseudonyms import new_pseudonym
from huzhu.errors import Conflict, DomainError, Invalid

LOCALES = ("zh-hans", "en")


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def _normalise_username(username: str) -> str:
    return username.strip().casefold()


@transaction.atomic
def sign_up(
    *,
    username: str,
    password: str,
    display_name: str = "",
    locale: str = "zh-hans",
    address: str = "",
) -> User:
    """Create an account with a pseudonymous display name unless one is chosen.

    `address`: where the request came from; only its keyed hash is kept (fraud signals).
    """
    username = _normalise_username(username)
    if locale not in LOCALES:
        raise Invalid(
            _("Language must be one of: %(locales)s.") % {"locales": ", ".join(LOCALES)},
            field="locale",
        )
    display_name = check_display_name(display_name)
    if display_name.casefold() == username:
        raise Invalid(
            _("Choose a display name other than your username: the username stays private."),
            field="display_name",
        )
    if User.objects.filter(username=username).exists():
        raise Conflict(_("That username is taken. Choose another one."), code="username_taken")
    user = User(
        username=username, display_name=display_name or new_pseudonym(locale), locale=locale
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent sign-up took the name between check and insert
        raise Conflict(
            _("That username is taken. Choose another one."), code="username_taken"
        ) from exc
    hooks.signed_up(user=user, address=address, now=timezone.now())
    return user


def check_credentials(*, username: str, password: str) -> User:
    user = authenticate(username=_normalise_username(username), password=password)
    if not isinstance(user, User):
        raise Unauthenticated(_("Wrong username or password."))
    hooks.refuse_if_restricted(user)
    return user


@transaction.atomic
def issue_token(*, user: User, label: str = "") -> IssuedToken:
    """A new bearer token; `label` (the client's User-Agent) tells the owner's tokens apart."""
    secret = "hz_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(secret),
        prefix=secret[:8],
        label=label[:100],
        created_at=timezone.now(),
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
