"""Pages for vouching (a member's own) and for verifying organisations (staff only)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huzhu.accounts.models import User
from huzhu.errors import DomainError, NotFound
from huzhu.safety import ratelimit
from huzhu.safety.views import staff_only
from huzhu.trust import organisations, vouching
from huzhu.trust.forms import DecisionForm, OrganisationForm, VouchForm
from huzhu.trust.models import Organisation
from huzhu.web.users import signed_in_user


def _person_by_username(username: str) -> User:
    person = User.objects.filter(username=username.strip(), is_active=True).first()
    if person is None:
        raise NotFound(_("Nobody has that username."), field="username")
    return person


@login_required
def vouches_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = VouchForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # Limited (a 429 page with Retry-After) and refused before the lookup: the answer
        # must not tell who exists.
        ratelimit.hit("vouch_account", user.pk)
        try:
            vouching.refuse_level(user)
            vouchee = _person_by_username(form.cleaned_data["username"])
            vouching.vouch(voucher=user, vouchee=vouchee)
        except DomainError as exc:
            form.add_error(
                "username" if exc.field in ("username", "user_id") else None, exc.message
            )
            status = exc.status
        else:
            messages.success(request, _("You now vouch for %(name)s.") % {"name": vouchee})
            return redirect("vouches")
    elif request.method == "POST":
        status = 422
    context: dict[str, Any] = {
        "form": form,
        "allowance": vouching.allowance_of(user),
        "given": vouching.given_by(user),
        "received": vouching.received_by(user),
        "here": "trust",
    }
    return render(request, "trust/vouches.html", context, status=status)


@login_required
@require_POST
def vouch_withdraw(request: HttpRequest, user_id: int) -> HttpResponse:
    user = signed_in_user(request)
    ratelimit.hit("vouch_account", user.pk)
    vouching.withdraw_vouch(voucher=user, vouchee_id=user_id)
    messages.success(request, _("Your vouch is withdrawn."))
    return redirect("vouches")


def _render_organisations(
    request: HttpRequest, form: OrganisationForm, status: int = 200
) -> HttpResponse:
    listed = Organisation.objects.select_related("user").order_by("name")[:500]
    context = {
        "form": form,
        # One reason form per organisation, each with its own element ids.
        "rows": [(o, DecisionForm(auto_id=f"id_revoke_{o.pk}_%s")) for o in listed],
    }
    return render(request, "trust/moderation_organisations.html", context, status=status)


@staff_only
def organisations_page(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method != "POST":
        return _render_organisations(request, form)
    if not form.is_valid():
        return _render_organisations(request, form, 422)
    data = form.cleaned_data
    try:
        organisations.verify_organisation(
            actor=signed_in_user(request),
            user=_person_by_username(data["username"]),
            kind=data["kind"],
            name=data["name"],
            registration_number=data["registration_number"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render_organisations(request, form, exc.status)
    messages.success(request, _("The organisation is verified."))
    return redirect("moderation_organisations")


@staff_only
@require_POST
def organisation_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    person = vouching.access_person(user_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to withdraw the organisation status."))
        return _render_organisations(request, OrganisationForm(), 422)
    organisations.revoke_organisation(
        actor=signed_in_user(request), user=person, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The organisation status is withdrawn."))
    return redirect("moderation_organisations")
