"""The public periodic transparency reports: a list, and one page per report."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huzhu.insights.models import TransparencyReport

REPORTS_SHOWN = 120  # ten years of months; older reports stay in the database


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    reports = TransparencyReport.objects.all()[:REPORTS_SHOWN]
    return render(request, "insights/report_list.html", {"reports": reports})


@require_GET
def report_detail(request: HttpRequest, period: str) -> HttpResponse:
    report = TransparencyReport.objects.filter(period=period).first()
    if report is None:
        raise Http404
    figures = report.figures
    context = {
        "report": report,
        "threshold": figures["threshold"],
        "posts": figures["posts"],
        "reports": figures["reports"],
        "sanctions": figures["sanctions"],
        "appeals": figures["appeals"],
        "actions": figures["actions"],
    }
    return render(request, "insights/report_detail.html", context)
