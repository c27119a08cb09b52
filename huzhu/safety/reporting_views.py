"""Reporting from the web: a post or a message in one's own exchange, to the moderators.

The same service as `POST /api/v1/reports` (reports.py decides what may be reported, the
weight and the auto-hide); the page only carries the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huzhu.errors import DomainError, Invalid
from huzhu.exchanges.models import Message
from huzhu.safety import ratelimit
from huzhu.safety.forms import ReportForm
from huzhu.safety.models import Report
from huzhu.safety.reports import check_reportable, file_report
from huzhu.web.users import signed_in_user

# What the web lets a person report; people are reported through the API.
WEB_TARGETS = (Report.Target.POST, Report.Target.MESSAGE)


def _back(target_type: str, target_id: int) -> str:
    """Where the reporter came from: the post, or the exchange the message is in."""
    if target_type == Report.Target.POST:
        return reverse("post_detail", args=[target_id])
    exchange_id = Message.objects.values_list("exchange_id", flat=True).get(pk=target_id)
    return reverse("exchange_detail", args=[exchange_id])


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    if target_type not in WEB_TARGETS:
        raise Http404
    user = signed_in_user(request)
    form: ReportForm | None = ReportForm(request.POST if request.method == "POST" else None)
    error, status = "", 200
    try:
        # Only what the person can see exists for them; their own things get a clear no.
        check_reportable(user, target_type, target_id)
    except Invalid as exc:
        error, status, form = exc.message, exc.status, None
    if form is not None and request.method == "POST":
        if not form.is_valid():
            status = 422
        else:
            ratelimit.hit("report_account", user.pk)  # a 429 page with Retry-After
            try:
                file_report(
                    reporter=user,
                    target_type=target_type,
                    target_id=target_id,
                    **form.cleaned_data,
                )
            except DomainError as exc:
                error, status = exc.message, exc.status
                if isinstance(exc, Invalid) and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
            else:
                messages.success(
                    request,
                    _("Thank you. The moderators will look at it and tell you what they decide."),
                )
                return redirect(_back(target_type, target_id))
    context = {
        "form": form,
        "error": error,
        "target_type": target_type,
        "back": _back(target_type, target_id),
    }
    return render(request, "safety/report.html", context, status=status)
