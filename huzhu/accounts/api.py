"""Accounts API: sign-up, bearer tokens, password reset, and who am I."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status

from huzhu.accounts import services, tokens, two_factor
from huzhu.accounts.auth import BearerAuth, api_auth, caller
from huzhu.accounts.consents import Consents, consents_of, history_of, update_consents
from huzhu.accounts.erasure import erase_account
from huzhu.accounts.export import export_user
from huzhu.accounts.models import User
from huzhu.accounts.schemas import (
    ConsentsIn,
    ConsentsOut,
    DetailOut,
    ExportOut,
    MeOut,
    PhoneConfirmIn,
    PhoneIn,
    PhoneTokenOut,
    ResetConfirmIn,
    ResetIn,
    SignupIn,
    SignupOut,
    TokenIn,
    TokenInfoOut,
    TokenOut,
)
from huzhu.posts.schemas import ErrorOut
from huzhu.safety import ratelimit
from huzhu.trust import phone_signin
from huzhu.trust import reset as password_reset

router = Router(tags=["accounts"])


@router.post("/auth/signup", response={201: SignupOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def signup(request: HttpRequest, payload: SignupIn) -> Status[dict[str, Any]]:
    address = ratelimit.client_address(request)
    ratelimit.hit("signup_address", address)
    user = services.sign_up(**payload.dict(), address=address)
    return Status(201, {"id": user.pk, "username": user.username})


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    description="403 `suspended` or `banned` while a sanction is in force, saying until when. "
    "401 `otp_required` when the account has two-factor log-in and `otp` is missing or wrong. "
    "429 after ten attempts for one account from one address.",
)
def token(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    ratelimit.check_login(request, payload.username)
    user = services.check_credentials(username=payload.username, password=payload.password)
    two_factor.check_code(user=user, code=payload.otp)
    label = request.headers.get("User-Agent", "")
    return {"token": services.issue_token(user=user, label=label).secret}


@router.post(
    "/auth/phone",
    response={202: DetailOut, 422: ErrorOut, 429: ErrorOut},
    summary="Sign in or sign up by phone: send a code by SMS",
    description="Answers 202 with the same words whether or not the number has an account. "
    "429 with Retry-After: a code went to this number a moment ago, too many went to it "
    "this hour, or too many came from your address.",
)
def phone_code(request: HttpRequest, payload: PhoneIn) -> Status[dict[str, str]]:
    ratelimit.hit("phone_code_address", ratelimit.client_address(request))
    language = get_language()
    phone_signin.request_code(phone=payload.phone, locale=language or "zh-hans")
    return Status(202, {"detail": phone_signin.sent_message()})


@router.post(
    "/auth/phone/confirm",
    response={200: PhoneTokenOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Sign in or sign up by phone with the SMS code",
    description="Signs in the account this phone verifies, or creates one that is "
    "phone-verified (`created: true`; one phone, one account). 422 `invalid_code` or a "
    "wrong code (each wrong code uses a try); 409 for an expired, replaced or exhausted "
    "code; 403 `suspended` or `banned` while a sanction is in force.",
)
def phone_confirm(request: HttpRequest, payload: PhoneConfirmIn) -> dict[str, Any]:
    address = ratelimit.client_address(request)
    ratelimit.hit("phone_confirm_address", address)
    signed_in = phone_signin.confirm_code(**payload.dict(), address=address)
    return {"token": services.issue_token(user=signed_in.user).secret, "created": signed_in.created}


@router.post(
    "/auth/reset",
    response={202: DetailOut, 422: ErrorOut, 429: ErrorOut},
    summary="Forgot password: send a code to a verified e-mail address or phone number",
    description="Answers 202 with the same words whether or not an account has this "
    "verified address; only such an account receives a code (single use, expiring), by "
    "e-mail or by SMS. 422 for something that is neither an e-mail address nor a number.",
)
def reset(request: HttpRequest, payload: ResetIn) -> Status[dict[str, str]]:
    ratelimit.check_reset(request, password_reset.canonical_address(payload.address))
    password_reset.request_reset(address=payload.address)
    return Status(202, {"detail": password_reset.sent_message()})


@router.post(
    "/auth/reset/confirm",
    response={200: DetailOut, 422: ErrorOut, 429: ErrorOut},
    summary="Choose a new password with the code sent by e-mail or SMS",
    description="422 `invalid_code` for a wrong, used or expired code. Success ends every "
    "session and revokes every API token of the account.",
)
def reset_confirm(request: HttpRequest, payload: ResetConfirmIn) -> dict[str, str]:
    ratelimit.hit("reset_confirm_address", ratelimit.client_address(request))
    password_reset.confirm_reset(code=payload.code, password=payload.password)
    return {"detail": _("Your new password is set. Log in with it.")}


@router.delete("/auth/token", auth=BearerAuth(), response={204: None, 401: ErrorOut})
def revoke(request: HttpRequest) -> Status[None]:
    """Revoke the bearer token this request carries."""
    services.revoke_token(token=request.api_token)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get(
    "/me/tokens",
    auth=api_auth,
    response={200: list[TokenInfoOut], 401: ErrorOut},
    summary="Your API tokens that still work",
    description="Each with when it was issued and last used (stamped at most hourly), "
    "the client that asked for it, and when it expires if unused "
    "(`HUZHU_TOKEN_IDLE_DAYS` after its last use). Never the token itself.",
)
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    current = getattr(request, "api_token", None)
    return [
        {
            "id": token.pk,
            "label": token.label,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "expires_at": tokens.expires_at(token),
            "current": current is not None and current.pk == token.pk,
        }
        for token in tokens.tokens_of(caller(request))
    ]


@router.delete(
    "/me/tokens/{token_id}",
    auth=api_auth,
    response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Revoke one of your API tokens",
    description="404 for a token that is not yours, or no longer works.",
)
def revoke_own_token(request: HttpRequest, token_id: int) -> Status[None]:
    services.revoke_token(token=tokens.access_own_token(caller(request), token_id))
    return Status(204, None)


@router.get("/me", auth=api_auth, response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "locale": user.locale,
        "date_joined": user.date_joined.isoformat(),
    }


@router.get(
    "/me/export",
    auth=api_auth,
    response={200: ExportOut, 401: ErrorOut},
    summary="Download everything Huzhu keeps about you",
    description="Your profile, posts (with their exact locations), exchanges (the other "
    "person as a pseudonym), the messages you wrote, notifications, preferences, alerts, "
    "reviews (others' with contact details masked), no-shows recorded about you, reports "
    "you filed, your sanctions and appeals, and your feedback on the platform; "
    "nobody else's personal data.",
)
def export(request: HttpRequest) -> dict[str, Any]:
    return export_user(caller(request))


@router.delete(
    "/me",
    auth=api_auth,
    response={204: None, 401: ErrorOut, 403: ErrorOut},
    summary="Erase your account and your personal data",
    description="Ends every session and token at once, cancels live exchanges, withdraws "
    "listed posts and erases what you wrote; posts and exchanges stay as anonymous records. "
    "It cannot be undone.",
)
def erase_me(request: HttpRequest) -> Status[None]:
    erase_account(user=caller(request))
    return Status(204, None)


def _consents_data(user: User) -> dict[str, Any]:
    history = [
        {"purpose": change.purpose, "granted": change.granted, "at": change.at}
        for change in history_of(user.pk)
    ]
    return {**asdict(consents_of(user.pk)), "history": history}


@router.get(
    "/me/consents",
    auth=api_auth,
    response={200: ConsentsOut, 401: ErrorOut},
    summary="What you allow, and every change you made",
    description="Every purpose is off until you turn it on. Notification e-mails are "
    "chosen at /me/notification-preferences.",
)
def get_consents(request: HttpRequest) -> dict[str, Any]:
    return _consents_data(caller(request))


@router.put(
    "/me/consents",
    auth=api_auth,
    response={200: ConsentsOut, 401: ErrorOut, 422: ErrorOut},
    summary="Allow or refuse each purpose",
    description="Every field is required. Each change is recorded with its time. Turning "
    "the feed off deletes what it stored; refusing the use of your activity deletes what "
    "was learned from your offers.",
)
def put_consents(request: HttpRequest, payload: ConsentsIn) -> dict[str, Any]:
    user = caller(request)
    update_consents(user=user, consents=Consents(**payload.dict()))
    return _consents_data(user)
