"""The moderation console (staff only; everyone else gets 404, as if it did not exist), the
public moderation log, and a person's own sanctions page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huzhu.accounts.models import User
from huzhu.accounts.roles import is_moderator
from huzhu.errors import Conflict, DomainError
from huzhu.exchanges.no_shows import contested_no_shows
from huzhu.safety import moderation, posting, queries, sale_model, sanctions
from huzhu.safety.forms import ActionForm, LiftForm
from huzhu.safety.fraud import fraud_signals
from huzhu.safety.models import Report, Sanction
from huzhu.trust.queries import low_reviews_to_check
from huzhu.web.users import signed_in_user, viewer

View = Callable[..., HttpResponseBase]  # HttpResponseBase: a CSV may stream
SANCTIONS = {"warn": Sanction.Kind.WARN, "suspend": Sanction.Kind.SUSPEND, "ban": Sanction.Kind.BAN}
ACTIONS = ("dismiss", "uphold", "restore", *SANCTIONS)


def staff_only(view: View) -> View:
    """404 for anyone but an active staff member: the console's existence is not public."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_moderator(viewer(request)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        "queue": queries.report_queue(),
        "hidden": queries.hidden_posts(),
        "held": queries.held_posts(),
        "low_reviews": low_reviews_to_check(limit=queries.QUEUE_LIMIT),
        "signals": fraud_signals(),
        "appeals": queries.open_appeals(),
        "no_shows": contested_no_shows(limit=queries.QUEUE_LIMIT),
    }
    return render(request, "safety/queue.html", context)


def render_target(
    request: HttpRequest, target: queries.Target, form: ActionForm, status: int = 200
) -> HttpResponse:
    context = {
        "target": target,
        "reports": queries.reports_on(target.target_type, target.target_id),
        "audit": queries.audit_of(target.target_type, target.target_id),
        "sanctions": queries.sanctions_of(target.person) if target.person else [],
        "form": form,
        "lift_form": LiftForm(),
        "actions": ACTIONS,
        "held_message": posting.held_message(target.post.held_reason) if target.post else "",
        # What the sale model makes of a post (held by it or not), with the n-grams that
        # drove the score: a moderator sees why, not only that.
        "sale_score": sale_model.score(f"{target.post.title}\n{target.post.body}")
        if target.post
        else None,
    }
    return render(request, "safety/target.html", context, status=status)


@staff_only
def target_detail(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    return render_target(request, queries.access_target(target_type, target_id), ActionForm())


@staff_only
@require_POST
def target_action(
    request: HttpRequest, target_type: str, target_id: int, action: str
) -> HttpResponse:
    target = queries.access_target(target_type, target_id)
    if action not in ACTIONS:
        raise Http404
    form = ActionForm(request.POST)
    if not form.is_valid():
        return render_target(request, target, form, status=422)
    try:
        _act(signed_in_user(request), target, action, form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return render_target(request, target, form, status=exc.status)
    messages.success(request, _("Done. The action is in the audit log."))
    return redirect("moderation_target", target_type=target_type, target_id=target_id)


def _act(moderator: User, target: queries.Target, action: str, data: dict[str, Any]) -> None:
    reason, rule = data["reason"], data.get("rule") or ""
    target_type, target_id = target.target_type, target.target_id
    if action == "dismiss":
        moderation.dismiss_reports(
            moderator=moderator, target_type=target_type, target_id=target_id, reason=reason
        )
    elif action == "uphold":
        moderation.uphold_reports(
            moderator=moderator,
            target_type=target_type,
            target_id=target_id,
            rule=rule,
            reason=reason,
        )
    elif action == "restore":
        if target.post is None:
            raise Conflict(_("Only posts are hidden and restored."), code="not_a_post")
        moderation.restore_post(moderator=moderator, post_id=target.target_id, reason=reason)
    elif target.person is None:
        raise Conflict(_("Nobody to sanction: the author has left."), code="no_person")
    else:
        sanctions.impose_sanction(
            moderator=moderator,
            user=target.person,
            kind=SANCTIONS[action],
            rule=rule,
            reason=reason,
            days=data.get("days"),
        )


@staff_only
@require_POST
def lift(request: HttpRequest, sanction_id: int) -> HttpResponse:
    sanction = queries.access_sanction(sanction_id)
    form = LiftForm(request.POST)
    back = redirect("moderation_target", target_type=Report.Target.USER, target_id=sanction.user_id)
    if not form.is_valid():
        messages.error(request, _("Give a reason to lift a sanction."))
        return render_target(
            request, queries.access_target(Report.Target.USER, sanction.user_id), ActionForm(), 422
        )
    try:
        sanctions.lift_sanction(
            moderator=signed_in_user(request), sanction=sanction, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return back
    messages.success(request, _("The sanction is lifted."))
    return back


def public_log(request: HttpRequest) -> HttpResponse:
    return render(request, "safety/log.html", {"entries": queries.public_log()})


@login_required
def my_sanctions(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    now = timezone.now()
    context = {
        "sanctions": [queries.sanction_data(s, now=now) for s in queries.sanctions_of(user)],
        "reports": Report.objects.filter(reporter=user).order_by("-created_at")[:50],
    }
    return render(request, "safety/my_sanctions.html", context)
