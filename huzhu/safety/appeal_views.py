"""Appeal pages: the person's dialogue, the form for people who cannot log in while
suspended or banned, and the moderators' side, where another moderator decides."""

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huzhu.accounts.models import User
from huzhu.errors import DomainError
from huzhu.safety import appeals, queries, ratelimit
from huzhu.safety.models import Sanction
from huzhu.safety.sanctions import active_restriction
from huzhu.safety.views import staff_only
from huzhu.web.users import signed_in_user

DECISIONS = {"uphold": False, "overturn": True}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RestrictedAppealForm(MessageForm):
    username = forms.CharField(max_length=150, widget=forms.HiddenInput)
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@login_required
def my_appeal(request: HttpRequest, sanction_id: int) -> HttpResponse:
    user = signed_in_user(request)
    sanction = queries.access_own_sanction(user, sanction_id)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appeals.send_appeal_message(
                    user=user, sanction=sanction, body=form.cleaned_data["body"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Sent. The moderators will answer here."))
                return redirect("my_appeal", sanction_id=sanction.pk)
        else:
            status = 422
    return _render_dialogue(request, sanction, form, status)


def _render_dialogue(
    request: HttpRequest, sanction: Sanction, form: forms.Form, status: int
) -> HttpResponse:
    appeal = queries.appeal_of(sanction)
    context = {
        "sanction": queries.sanction_data(sanction, now=sanction.created_at),
        "appeal": queries.appeal_data(appeal) if appeal else None,
        "form": form,
    }
    return render(request, "safety/appeal.html", context, status=status)


@require_POST
def appeal_restricted(request: HttpRequest) -> HttpResponse:
    """The appeal of someone who cannot log in: their password proves who they are."""
    form = RestrictedAppealForm(request.POST)
    if not form.is_valid():
        return render(request, "safety/appeal_restricted.html", {"form": form}, status=422)
    ratelimit.check_login(request, form.cleaned_data["username"])
    user = authenticate(
        request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
    )
    if not isinstance(user, User):
        form.add_error("password", _("Wrong username or password."))
        return render(request, "safety/appeal_restricted.html", {"form": form}, status=422)
    sanction = active_restriction(user.pk)
    if sanction is None:
        messages.info(request, _("Your account is not suspended. Log in as usual."))
        return redirect("login")
    try:
        appeals.send_appeal_message(user=user, sanction=sanction, body=form.cleaned_data["body"])
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "safety/appeal_restricted.html", {"form": form}, status=exc.status)
    appeal = queries.appeal_of(sanction)
    context = {"form": None, "appeal": queries.appeal_data(appeal) if appeal else None}
    return render(request, "safety/appeal_restricted.html", context)


@staff_only
def moderation_appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = queries.access_appeal(appeal_id)
    return _render_console(request, appeal.pk, MessageForm(), 200)


def _render_console(
    request: HttpRequest, appeal_id: int, form: forms.Form, status: int, error: str = ""
) -> HttpResponse:
    appeal = queries.access_appeal(appeal_id)
    context = {
        "appeal": queries.appeal_data(appeal),
        "sanction": appeal.sanction,
        "form": form,
        "error": error,
    }
    return render(request, "safety/moderation_appeal.html", context, status=status)


@staff_only
@require_POST
def moderation_appeal_action(request: HttpRequest, appeal_id: int, action: str) -> HttpResponse:
    """Reply in the dialogue, or decide: uphold or overturn, with the reason in `body`."""
    appeal = queries.access_appeal(appeal_id)
    if action != "reply" and action not in DECISIONS:
        raise Http404
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _render_console(request, appeal.pk, form, 422)
    moderator, body = signed_in_user(request), form.cleaned_data["body"]
    try:
        if action == "reply":
            appeals.add_message(appeal=appeal, author=moderator, body=body, from_moderator=True)
        else:
            appeals.decide_appeal(
                moderator=moderator, appeal=appeal, overturn=DECISIONS[action], reason=body
            )
    except DomainError as exc:
        return _render_console(request, appeal.pk, form, exc.status, error=exc.message)
    messages.success(request, _("Done. The person can read it on their sanctions page."))
    return redirect("moderation_appeal", appeal_id=appeal.pk)
