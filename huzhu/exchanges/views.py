"""Exchange pages: the exchange with its actions and relay thread, responding, the inbox.

Every action is a plain POST form that redirects back, so the pages work without
JavaScript; htmx only polls the thread. Only the two people see an exchange (404 else),
and a moderator while it is disputed or reported: read-only, masked, and logged.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huzhu.accounts.models import User
from huzhu.errors import DomainError, Invalid
from huzhu.exchanges import checkins, disputes, no_shows, presenters, queries, relay, services
from huzhu.exchanges.forms import (
    CancelForm,
    ContestNoShowForm,
    DeclineForm,
    DisputeForm,
    MessageForm,
    NoHandoverForm,
    RespondForm,
)
from huzhu.exchanges.models import Exchange, NoShow, Notification
from huzhu.exchanges.notifications import entry_for, mark_read
from huzhu.exchanges.rows import exchange_row, other_name
from huzhu.labels import quantity_label
from huzhu.posts.queries import access_own_post, access_post
from huzhu.safety import ratelimit
from huzhu.text.contact import mask_contacts
from huzhu.trust import reviews
from huzhu.trust.forms import ReviewForm
from huzhu.web.users import signed_in_user

POLL_SECONDS = 5
HISTORY_REASONS: dict[str, Promise] = {
    "owner": gettext_lazy("by the post's owner"),
    "received": gettext_lazy("received"),
    "no_handover": gettext_lazy("the hand-over did not happen"),
    "disputed": gettext_lazy("dispute opened"),
    "settled": gettext_lazy("settled by a moderator"),
}
DONE: dict[str, Promise] = {
    "accept": gettext_lazy("Accepted. The quantity is set aside for this exchange."),
    "decline": gettext_lazy("Declined."),
    "cancel": gettext_lazy("The exchange is cancelled."),
    "handed-over": gettext_lazy("Thank you. We asked the receiver to confirm."),
    "not-yet": gettext_lazy("Fine: nothing changes. Answer here once it has happened."),
    "contest-no-show": gettext_lazy("Thank you. A moderator will look at it and decide."),
    "complete": gettext_lazy("Thank you for closing the loop."),
    "reveal-contact": gettext_lazy("Noted. Contact details show once you have both agreed."),
    "no-handover": gettext_lazy("Noted: the hand-over did not happen. The exchange is cancelled."),
    "dispute": gettext_lazy("The dispute is open. A moderator will look at it and settle it."),
    "review": gettext_lazy("Thank you for your review."),
}


@dataclass(frozen=True, slots=True)
class HistoryRow:
    status: str
    status_label: str
    reason: str
    note: str  # masked for this viewer by the presenter
    at: datetime


def _history(data: dict[str, Any]) -> list[HistoryRow]:
    """The timeline from the presented exchange, whose notes are masked for this viewer."""
    return [
        HistoryRow(
            status=change["to_status"],
            status_label=str(Exchange.Status(change["to_status"]).label),
            reason=str(HISTORY_REASONS.get(change["reason"], "")),
            note=change["note"],
            at=change["at"],
        )
        for change in data["status_history"]
    ]


def _render(
    request: HttpRequest,
    exchange: Exchange,
    user: User,
    *,
    error: str = "",
    status: int = 200,
    forms: dict[str, Any] | None = None,
) -> HttpResponse:
    data = presenters.exchange_data(exchange, user)
    context = {
        "ex": data,
        "status_label": Exchange.Status(exchange.status).label,
        "amount": quantity_label(exchange.quantity, exchange.post.unit),
        "post_url": reverse("post_detail", args=[exchange.post_id]),
        "history": _history(data),
        "thread": presenters.thread_data(exchange, user),
        "other_name": other_name(exchange, user),
        "message_form": MessageForm(),
        "cancel_form": CancelForm(),
        "decline_form": DeclineForm(),
        "dispute_form": DisputeForm(),
        "no_handover_form": NoHandoverForm(),
        # Only the person it counts against learns of a missed hand-over, to contest it.
        "no_show": NoShow.objects.filter(exchange=exchange, reported_user=user).first(),
        "contest_form": ContestNoShowForm(),
        "poll_seconds": POLL_SECONDS,
        "reviews": reviews.reviews_of(exchange, user),
        "review_form": ReviewForm(),
        "error": error,
        **(forms or {}),
    }
    return render(request, "exchanges/detail.html", context, status=status)


def _mark_exchange_read(user: User, exchange: Exchange) -> None:
    unread = Notification.objects.filter(user=user, exchange=exchange, read_at__isnull=True)
    if unread.exists():  # reading the page is not a write unless there is something to mark
        unread.update(read_at=timezone.now())


def _render_for_moderator(request: HttpRequest, exchange: Exchange, user: User) -> HttpResponse:
    """Read-only and masked: no actions, no contact details, no form to write."""
    data = presenters.exchange_data(exchange, user)
    context = {
        "ex": data,
        "status_label": Exchange.Status(exchange.status).label,
        "amount": quantity_label(exchange.quantity, exchange.post.unit),
        "post_url": reverse("post_detail", args=[exchange.post_id]),
        "history": _history(data),
        "thread": presenters.thread_data(exchange, user),
        "giver_name": mask_contacts(exchange.giver.display_name),
        "receiver_name": mask_contacts(exchange.receiver.display_name),
        "moderating": True,
    }
    return render(request, "exchanges/moderated.html", context)


@login_required
def exchange_detail(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = signed_in_user(request)
    read = queries.access_exchange_to_read(user, exchange_id)
    disputes.record_read(exchange=read.exchange, reader=user, relay_reason=read.relay_reason)
    exchange = read.exchange
    if not disputes.is_participant(exchange, user):
        return _render_for_moderator(request, exchange, user)
    _mark_exchange_read(user, exchange)
    return _render(request, exchange, user)


def _accept(exchange: Exchange, user: User, data: QueryDict) -> str:
    services.accept_exchange(exchange=exchange, actor=user)
    return "accept"


def _decline(exchange: Exchange, user: User, data: QueryDict) -> str:
    form = DeclineForm(data)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.decline_exchange(exchange=exchange, actor=user, reason=reason)
    return "decline"


def _required_reason(form: Form, message: str) -> str:
    """The reason an action must give, or the person's cue to give it."""
    if not form.is_valid():
        raise Invalid(message, field="reason")
    return str(form.cleaned_data["reason"])


def _cancel(exchange: Exchange, user: User, data: QueryDict) -> str:
    reason = _required_reason(CancelForm(data), _("Say briefly why you are cancelling."))
    services.cancel_exchange(exchange=exchange, actor=user, reason=reason)
    return "cancel"


def _reveal_contact(exchange: Exchange, user: User, data: QueryDict) -> str:
    relay.reveal_contact(exchange=exchange, actor=user)
    return "reveal-contact"


def _dispute(exchange: Exchange, user: User, data: QueryDict) -> str:
    reason = _required_reason(DisputeForm(data), _("Say briefly what went wrong."))
    disputes.open_dispute(exchange=exchange, actor=user, reason=reason)
    return "dispute"


def _contest_no_show(exchange: Exchange, user: User, data: QueryDict) -> str:
    reason = _required_reason(ContestNoShowForm(data), _("Say briefly why."))
    no_shows.contest_no_show(exchange=exchange, actor=user, reason=reason)
    return "contest-no-show"


def _handed_over(exchange: Exchange, user: User, data: QueryDict) -> str:
    return _answer_handover("handed-over", exchange, user, data)


def _complete(exchange: Exchange, user: User, data: QueryDict) -> str:
    return _answer_handover("complete", exchange, user, data)


def _review(exchange: Exchange, user: User, data: QueryDict) -> str:
    form = ReviewForm(data)
    if not form.is_valid():
        field = next(iter(form.errors))
        raise Invalid(_("Check the review: %(field)s.") % {"field": form[field].label}, field=field)
    reviews.write_review(exchange=exchange, reviewer=user, **form.cleaned_data)
    return "review"


# The action URLs: each `<action>` of /exchanges/<id>/<action> does one thing, raises
# DomainError when refused, and returns the key of the message in DONE. Any other is a 404.
ACTIONS: dict[str, Callable[[Exchange, User, QueryDict], str]] = {
    "accept": _accept,
    "decline": _decline,
    "cancel": _cancel,
    "handed-over": _handed_over,
    "complete": _complete,
    "reveal-contact": _reveal_contact,
    "dispute": _dispute,
    "contest-no-show": _contest_no_show,
    "review": _review,
}


def _answer_handover(action: str, exchange: Exchange, user: User, data: QueryDict) -> str:
    """ "Yes", "not yet" (nothing changes) or "it did not happen", which counts against the
    other person, so it needs a reason and a confirmation."""
    answer = data.get("handover_happened")
    if answer == "not-yet":
        return "not-yet"
    if answer not in ("yes", "no"):
        raise Invalid(_("Answer whether the hand-over happened."), field="handover_happened")
    form = NoHandoverForm(data)
    if answer == "no" and not form.is_valid():
        raise Invalid(
            _(
                "Say in a few words what happened, and tick the box to confirm: the exchange "
                "is then cancelled and it counts against the other person."
            ),
            field="reason",
        )
    service = services.mark_handed_over if action == "handed-over" else services.complete_exchange
    reason = form.cleaned_data["reason"] if answer == "no" else ""
    service(exchange=exchange, actor=user, handover_happened=answer == "yes", reason=reason)
    return action if answer == "yes" else "no-handover"


def _forms_with_input(action: str, data: QueryDict) -> dict[str, Any]:
    """Forms to show again with what the person typed, after a refusal."""
    if action == "cancel":
        return {"cancel_form": CancelForm(data)}
    if action == "review":
        return {"review_form": ReviewForm(data)}
    if action == "dispute":
        return {"dispute_form": DisputeForm(data)}
    if action in ("handed-over", "complete"):
        return {"no_handover_form": NoHandoverForm(data)}
    if action == "contest-no-show":
        return {"contest_form": ContestNoShowForm(data)}
    return {}


@login_required
@require_POST
def exchange_action(request: HttpRequest, exchange_id: int, action: str) -> HttpResponse:
    user = signed_in_user(request)
    exchange = queries.access_exchange(user, exchange_id)
    run = ACTIONS.get(action)
    if run is None:
        raise Http404
    try:
        done = run(exchange, user, request.POST)
    except DomainError as exc:
        forms = _forms_with_input(action, request.POST)
        exchange = queries.access_exchange(user, exchange_id)
        return _render(request, exchange, user, error=exc.message, status=exc.status, forms=forms)
    messages.success(request, str(DONE[done]))
    return redirect("exchange_detail", exchange_id=exchange_id)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_messages(request: HttpRequest, exchange_id: int) -> HttpResponse:
    """GET: the thread fragment htmx polls. POST: write a message, then back to the page."""
    user = signed_in_user(request)
    exchange = queries.access_exchange(user, exchange_id)
    if request.method == "GET":
        if not request.headers.get("HX-Request"):
            return redirect(reverse("exchange_detail", args=[exchange_id]) + "#thread")
        context = {
            "ex": {"id": exchange.pk},
            "thread": presenters.thread_data(exchange, user),
            "other_name": other_name(exchange, user),
            "poll_seconds": POLL_SECONDS,
        }
        return render(request, "exchanges/_thread.html", context)
    form = MessageForm(request.POST)
    ratelimit.hit("message_account", user.pk)
    try:
        if not form.is_valid():
            raise Invalid(_("Write a message first."), field="body")
        relay.post_message(exchange=exchange, author=user, body=form.cleaned_data["body"])
    except DomainError as exc:
        exchange = queries.access_exchange(user, exchange_id)
        return _render(
            request,
            exchange,
            user,
            error=exc.message,
            status=exc.status,
            forms={"message_form": form},
        )
    return redirect(reverse("exchange_detail", args=[exchange_id]) + "#thread")


@login_required
@require_POST
def respond(request: HttpRequest, post_id: int) -> HttpResponse:
    """The post page's respond form: create the exchange, then show it."""
    user = signed_in_user(request)
    post = access_post(user, post_id)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check how many you can give or would like, and try again."))
        return redirect("post_detail", post_id=post_id)
    ratelimit.hit("respond_account", user.pk)
    try:
        exchange = services.respond_to_post(
            post=post,
            responder=user,
            quantity=form.cleaned_data["quantity"],
            message=form.cleaned_data["message"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("post_detail", post_id=post_id)
    messages.success(request, _("Sent. The post's owner can now accept or decline."))
    return redirect("exchange_detail", exchange_id=exchange.pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    entries = [entry_for(n) for n in queries.notifications_of(user)]
    exchanges = [exchange_row(exchange, user) for exchange in queries.exchanges_of(user)[:20]]
    context = {"entries": entries, "exchanges": exchanges, "unread": queries.unread_count(user)}
    return render(request, "exchanges/inbox.html", context)


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    mark_read(user=signed_in_user(request))
    return redirect("inbox")


@login_required
@require_POST
def post_checkin(request: HttpRequest, post_id: int) -> HttpResponse:
    """The owner answers "still needed?" from the post page (or the link in the e-mail)."""
    user = signed_in_user(request)
    post = access_own_post(user, post_id)
    answer = request.POST.get("answer")
    if answer not in ("still_needed", "not_needed"):
        messages.error(request, _("Answer whether you still need it."))
        return redirect("post_detail", post_id=post_id)
    try:
        checkins.answer_checkin(post=post, actor=user, still_needed=answer == "still_needed")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("post_detail", post_id=post_id)
    if answer == "still_needed":
        messages.success(request, _("Thank you. Your need stays listed."))
    else:
        messages.success(request, _("Thank you. Your post is withdrawn."))
    return redirect("post_detail", post_id=post_id)
