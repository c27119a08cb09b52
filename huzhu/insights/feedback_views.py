"""Feedback pages: the form (after an exchange or on its own), the organisers' queue (staff
only; 404 for everyone else) and the public "what we improved" log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huzhu.errors import Conflict, Invalid
from huzhu.insights import feedback as service
from huzhu.insights.feedback_forms import FeedbackForm, HandleForm, ImprovementForm
from huzhu.insights.models import Theme
from huzhu.safety import ratelimit
from huzhu.safety.views import staff_only
from huzhu.web.users import signed_in_user


@login_required
def feedback_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = FeedbackForm(initial={"exchange_id": request.GET.get("exchange")})
        return render(request, "insights/feedback.html", {"form": form})
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "insights/feedback.html", {"form": form}, status=422)
    user = signed_in_user(request)
    ratelimit.hit("feedback_account", user.pk)
    data = form.cleaned_data
    draft = service.FeedbackDraft(
        rating=data["rating"],
        text=data["text"],
        theme=data["theme"],
        exchange_id=data["exchange_id"],
    )
    try:
        service.give_feedback(user=user, draft=draft)
    except (Invalid, Conflict) as exc:  # NotFound rises to the 404 page
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return render(request, "insights/feedback.html", {"form": form}, status=exc.status)
    messages.success(request, _("Thank you. Organisers read every piece of feedback."))
    if draft.exchange_id:
        return redirect("exchange_detail", exchange_id=draft.exchange_id)
    return redirect("improvements")


def _render_queue(
    request: HttpRequest, improvement_form: ImprovementForm, status: int = 200
) -> HttpResponse:
    context = {
        "queue": service.organiser_queue()[:100],
        "handle_form": HandleForm(),
        "improvement_form": improvement_form,
    }
    return render(request, "insights/organiser_feedback.html", context, status=status)


@staff_only
@require_GET
def organiser_feedback(request: HttpRequest) -> HttpResponse:
    return _render_queue(request, ImprovementForm())


@staff_only
@require_POST
def organiser_feedback_handle(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = service.access_feedback(feedback_id)
    form = HandleForm(request.POST)
    if not form.is_valid():
        return _render_queue(request, ImprovementForm(), status=422)
    service.handle_feedback(
        organiser=signed_in_user(request),
        feedback=feedback,
        theme=form.cleaned_data["theme"],
        done=form.cleaned_data["done"],
    )
    messages.success(request, _("Saved."))
    return redirect("organiser_feedback")


@staff_only
@require_POST
def organiser_improvement_new(request: HttpRequest) -> HttpResponse:
    form = ImprovementForm(request.POST)
    if not form.is_valid():
        return _render_queue(request, form, status=422)
    service.publish_improvement(organiser=signed_in_user(request), **form.cleaned_data)
    messages.success(request, _("Published in the “what we improved” log."))
    return redirect("improvements")


@require_GET
def improvements_page(request: HttpRequest) -> HttpResponse:
    theme = request.GET.get("theme", "")
    if theme and theme not in Theme.values:
        raise Http404
    context = {
        "entries": service.improvements(theme),
        "theme": theme,
        "themes": Theme.choices,
    }
    return render(request, "insights/improvements.html", context)
