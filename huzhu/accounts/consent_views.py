"""The consent centre page (/me/consents): a plain form and the history of every change."""

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huzhu.accounts.consents import Consents, consents_of, history_of, update_consents
from huzhu.accounts.forms import ConsentsForm
from huzhu.accounts.models import ConsentChange
from huzhu.web.users import signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def consents_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        form = ConsentsForm(request.POST)
        if form.is_valid():
            update_consents(user=user, consents=Consents(**form.cleaned_data))
            messages.success(request, _("Your choices are saved."))
            return redirect("consents")
    else:
        form = ConsentsForm(initial=asdict(consents_of(user.pk)))
    history = [
        {
            "purpose": ConsentChange.Purpose(change.purpose).label,
            "granted": change.granted,
            "at": change.at,
        }
        for change in history_of(user.pk)
    ]
    return render(request, "accounts/consents.html", {"form": form, "history": history})
