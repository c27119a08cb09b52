"""Sign-up, log-in and log-out pages, on top of `accounts.services`; the data download."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from huzhu.accounts import services, two_factor
from huzhu.accounts.erasure import erase_account
from huzhu.accounts.export import export_user
from huzhu.accounts.forms import EraseForm, LoginForm, SignupForm
from huzhu.errors import DomainError
from huzhu.safety import ratelimit
from huzhu.safety.appeal_views import RestrictedAppealForm
from huzhu.web.users import signed_in_user


def next_url(request: HttpRequest) -> str:
    """The `next` page we were given, if it stays on this site; otherwise ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    status = 422 if request.method == "POST" else 200  # re-rendered only with an error
    if request.method == "POST" and form.is_valid():
        address = ratelimit.client_address(request)
        ratelimit.hit("signup_address", address)
        language = get_language()
        try:
            user = services.sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                locale=language if language in services.LOCALES else "zh-hans",
                address=address,
            )
        except DomainError as exc:
            form.add_error(form.field_for_error(exc.field, exc.code), exc.message)
            status = exc.status
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request, _("Welcome, %(name)s. You are logged in.") % {"name": user.display_name}
            )
            return redirect(next_url(request) or settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "next": next_url(request)}
    return render(request, "accounts/signup.html", context, status=status)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    appeal = None  # offered to a suspended or banned person who gave the right password
    ask_code = bool(request.POST.get("code"))  # shown once an account turns out to need it
    if request.method == "POST" and form.is_valid():
        ratelimit.check_login(request, form.cleaned_data["username"])
        try:
            user = services.check_credentials(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
            device = two_factor.check_code(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            ask_code = ask_code or exc.code == "otp_required"
            if exc.code in ("suspended", "banned"):
                appeal = RestrictedAppealForm(initial={"username": form.cleaned_data["username"]})
        else:
            login(request, user)
            otp_login(request, device)  # the session remembers it passed the second factor
            return redirect(next_url(request) or settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "next": next_url(request), "appeal_form": appeal, "ask_code": ask_code}
    return render(request, "accounts/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def export_download(request: HttpRequest) -> HttpResponse:
    """The same data as GET /api/v1/me/export, as a file to keep."""
    user = signed_in_user(request)
    response = JsonResponse(export_user(user), json_dumps_params={"ensure_ascii": False})
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="huzhu-{user.pk}-{stamp}.json"'
    return response


@login_required
def erase(request: HttpRequest) -> HttpResponse:
    """Erase the account, after the person types their password again (or, signed up by
    phone with no password, their display name)."""
    user = signed_in_user(request)
    has_password = user.has_usable_password()
    form = EraseForm(request.POST or None, has_password=has_password)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["password"]
        if has_password and not user.check_password(typed):
            form.add_error("password", _("That is not your password."))
        elif not has_password and typed.strip() != user.display_name:
            form.add_error("password", _("That is not your display name."))
        else:
            erase_account(user=user)
            logout(request)
            messages.success(request, _("Your account and your personal data are erased."))
            return redirect("home")
    return render(request, "accounts/erase.html", {"form": form})
