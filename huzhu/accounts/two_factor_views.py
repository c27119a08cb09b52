"""The staff page that turns on two-factor log-in (404 for everyone else, like the console)."""

from base64 import b32encode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huzhu.accounts import two_factor
from huzhu.accounts.roles import is_moderator
from huzhu.errors import DomainError
from huzhu.web.users import signed_in_user


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("The code the app shows now"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not is_moderator(user):
        raise Http404
    if two_factor.confirmed_device(user) is not None:
        return render(request, "accounts/two_factor.html", {"enabled": True})
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.confirm_device(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, _("Two-factor log-in is on."))
            return redirect("two_factor")
    device = two_factor.pending_device(user=user)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otpauth_uri": device.config_url,
    }
    return render(request, "accounts/two_factor.html", context)
