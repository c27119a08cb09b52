"""The page to sign in or sign up with a phone number: ask for a code, then type it."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huzhu.accounts.models import User
from huzhu.accounts.phone_forms import PhoneCodeForm, PhoneForm
from huzhu.accounts.services import LOCALES
from huzhu.accounts.views import next_url
from huzhu.errors import DomainError
from huzhu.safety import appeals, ratelimit
from huzhu.safety import queries as safety_queries
from huzhu.safety.appeal_views import MessageForm
from huzhu.safety.sanctions import active_restriction
from huzhu.trust import phone_signin

APPEAL_KEY = "phone_appeal"
APPEAL_SECONDS = 30 * 60


def phone_login(request: HttpRequest) -> HttpResponse:
    """Step one (no `code` field posted) sends a code; step two signs in or signs up."""
    language = get_language() or ""
    locale = language if language in LOCALES else "zh-hans"
    context: dict[str, object] = {"next": next_url(request)}
    if request.method == "POST" and "code" in request.POST:
        form: PhoneForm = PhoneCodeForm(request.POST)
        if form.is_valid():
            address = ratelimit.client_address(request)
            ratelimit.hit("phone_confirm_address", address)
            try:
                signed_in = phone_signin.confirm_code(
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                    display_name=form.cleaned_data["display_name"],
                    locale=locale,
                    address=address,
                )
            except phone_signin.RestrictedSignIn as exc:
                # Proven by the code: this browser may appeal for that account a while.
                request.session[APPEAL_KEY] = [exc.user_id, time.time() + APPEAL_SECONDS]
                form.add_error(None, exc.message)
                context["appeal"] = True
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                login(request, signed_in.user, backend=settings.AUTHENTICATION_BACKENDS[0])
                welcome = (
                    _("Welcome, %(name)s. Your account is ready and you are logged in.")
                    if signed_in.created
                    else _("Welcome back, %(name)s.")
                )
                messages.success(request, welcome % {"name": signed_in.user.display_name})
                return redirect(next_url(request) or settings.LOGIN_REDIRECT_URL)
        context.update(form=form, step="code")
    elif request.method == "POST":
        form = PhoneForm(request.POST)
        if form.is_valid():
            ratelimit.hit("phone_code_address", ratelimit.client_address(request))
            try:
                phone_signin.request_code(phone=form.cleaned_data["phone"], locale=locale)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                code_form = PhoneCodeForm(initial={"phone": form.cleaned_data["phone"]})
                context.update(form=code_form, step="code", sent=phone_signin.sent_message())
                return render(request, "accounts/phone_login.html", context)
        context.update(form=form, step="phone")
    else:
        context.update(form=PhoneForm(), step="phone")
    form_errors = getattr(context["form"], "errors", None)
    status = 422 if form_errors else 200
    return render(request, "accounts/phone_login.html", context, status=status)


@require_http_methods(["GET", "POST"])
def phone_appeal(request: HttpRequest) -> HttpResponse:
    """The appeal of a suspended or banned person who signed in by phone: the code they
    typed just now proves who they are (there is no password to ask for)."""
    user_id, until = request.session.get(APPEAL_KEY) or (0, 0.0)
    user = User.objects.filter(pk=user_id, is_active=True).first() if until > time.time() else None
    sanction = active_restriction(user.pk) if user is not None else None
    if user is None or sanction is None:
        return redirect("phone_login")
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                body = form.cleaned_data["body"]
                appeals.send_appeal_message(user=user, sanction=sanction, body=body)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                return redirect("phone_appeal")
        else:
            status = 422
    appeal = safety_queries.appeal_of(sanction)
    context = {
        "form": form,
        "form_action": reverse("phone_appeal"),
        "appeal": safety_queries.appeal_data(appeal) if appeal else None,
    }
    return render(request, "safety/appeal_restricted.html", context, status=status)
