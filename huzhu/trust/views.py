"""Pages for verification and the trust level, on top of `trust.verification` and queries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huzhu.errors import DomainError
from huzhu.trust import queries, stories, verification
from huzhu.trust.forms import ConfirmVerificationForm, StartVerificationForm
from huzhu.web.users import signed_in_user


@login_required
def trust_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {
        "trust": queries.overview(user),
        "document": queries.latest_document(user),
        "here": "trust",
    }
    return render(request, "trust/trust.html", context)


def stories_page(request: HttpRequest) -> HttpResponse:
    """Public: published thank-you notes, nobody named, and the community's impact."""
    context = {
        "stories": stories.published_thanks(),
        "helped": stories.community_neighbours_helped(),
        "here": "stories",
    }
    return render(request, "trust/stories.html", context)


@login_required
def verify_start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = StartVerificationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            started = verification.start_verification(
                user=user,
                method=form.cleaned_data["method"],
                address=form.cleaned_data["address"],
                show_phone_on_reveal=form.cleaned_data["show_on_reveal"],
            )
        except DomainError as exc:
            form.add_error("address" if exc.field == "address" else None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("We sent you a code. Type it in below."))
            return redirect("verify_confirm", verification_id=started.pk)
    elif request.method == "POST":
        status = 422
    return render(request, "trust/verify_start.html", {"form": form}, status=status)


@login_required
def verify_confirm(request: HttpRequest, verification_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = queries.access_verification(user, verification_id)
    form = ConfirmVerificationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            verification.confirm_verification(verification=found, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code" if exc.field == "code" else None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Verified. Thank you."))
            return redirect("trust")
    elif request.method == "POST":
        status = 422
    context = {"form": form, "verification": found}
    return render(request, "trust/verify_confirm.html", context, status=status)
