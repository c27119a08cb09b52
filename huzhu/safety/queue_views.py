"""Console actions on the queues beyond reports: held posts and low reviews (staff only;
everyone else gets 404, as for the rest of the console)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huzhu.errors import DomainError
from huzhu.exchanges import no_shows
from huzhu.exchanges.models import Exchange
from huzhu.safety import held, queries, review_checks
from huzhu.safety.forms import ActionForm, LiftForm
from huzhu.safety.models import Report
from huzhu.safety.views import render_target, staff_only
from huzhu.trust.queries import access_review_for_moderation
from huzhu.web.users import signed_in_user

HELD_ACTIONS = ("release", "reject")


@staff_only
@require_POST
def held_action(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    """Release a held post into the listings, or reject it citing a rule."""
    target = queries.access_target(Report.Target.POST, post_id)
    if action not in HELD_ACTIONS:
        raise Http404
    form = ActionForm(request.POST)
    if not form.is_valid():
        return render_target(request, target, form, status=422)
    moderator, reason = signed_in_user(request), form.cleaned_data["reason"]
    try:
        if action == "release":
            held.release_held_post(moderator=moderator, post_id=post_id, reason=reason)
        else:
            rule = form.cleaned_data.get("rule") or ""
            held.reject_held_post(moderator=moderator, post_id=post_id, rule=rule, reason=reason)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return render_target(request, target, form, status=exc.status)
    messages.success(request, _("Done. The action is in the audit log."))
    return redirect("moderation_queue")


@staff_only
@require_POST
def review_handled(request: HttpRequest, review_id: int) -> HttpResponse:
    """A moderator has looked at a low review: it leaves the queue, and the audit log says so."""
    moderator = signed_in_user(request)
    review = access_review_for_moderation(moderator, review_id)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: it is kept in the audit log."))
        return redirect("moderation_queue")
    try:
        review_checks.handle_low_review(
            moderator=moderator, review=review, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("moderation_queue")
    messages.success(request, _("Done. The action is in the audit log."))
    return redirect("moderation_queue")


NO_SHOW_ACTIONS = ("overturn", "uphold")


@staff_only
@require_POST
def no_show_decide(request: HttpRequest, exchange_id: int, action: str) -> HttpResponse:
    """Uphold or overturn a contested missed hand-over, with a reason."""
    if action not in NO_SHOW_ACTIONS:
        raise Http404
    exchange = Exchange.objects.filter(pk=exchange_id).first()
    if exchange is None:
        raise Http404
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: it is kept in the audit log."))
        return redirect("moderation_queue")
    try:
        no_shows.decide_no_show(
            exchange=exchange,
            moderator=signed_in_user(request),
            overturn=action == "overturn",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("moderation_queue")
    messages.success(request, _("Done. The person's level follows the decision."))
    return redirect("moderation_queue")
