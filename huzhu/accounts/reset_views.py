"""Forgot-password pages: ask for a code by verified e-mail or phone, then choose a new
password.

The first page answers every address with the same words (trust/reset.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huzhu.accounts.reset_forms import ResetConfirmForm, ResetForm
from huzhu.errors import DomainError
from huzhu.safety import ratelimit
from huzhu.trust import reset


def password_reset(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST or None)
    sent = ""
    if request.method == "POST" and form.is_valid():
        try:
            address = reset.canonical_address(form.cleaned_data["address"])
        except DomainError as exc:
            form.add_error("address", exc.message)
        else:
            ratelimit.check_reset(request, address)
            reset.request_reset(address=address)
            sent = reset.sent_message()
            form = ResetForm()
    status = 422 if form.errors else 200
    return render(request, "accounts/reset.html", {"form": form, "sent": sent}, status=status)


def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    form = ResetConfirmForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        ratelimit.hit("reset_confirm_address", ratelimit.client_address(request))
        try:
            reset.confirm_reset(
                code=form.cleaned_data["code"], password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your new password is set. Log in with it."))
            return redirect("login")
    status = 422 if form.errors else 200
    return render(request, "accounts/reset_confirm.html", {"form": form}, status=status)
