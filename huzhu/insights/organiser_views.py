"""Organiser pages (staff only; 404 for everyone else, like the moderation console): the
heat map of unmet needs against open offers, and the CSV of posts."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from huzhu.insights.heatmap import PERIOD_DAYS, heat_cells
from huzhu.insights.heatmap_svg import draw, slippy_tile
from huzhu.insights.post_export import csv_lines, post_rows
from huzhu.labels import localised
from huzhu.posts.models import Category
from huzhu.safety.views import staff_only

TILE_ZOOM = 12


class HeatmapFilter(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    days = forms.TypedChoiceField(
        label=_("Posted in the last"),
        coerce=int,
        initial=30,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        categories = [(c.code, localised(c.name_en, c.name_zh)) for c in Category.objects.all()]
        self.fields["category"].choices = [("", _("All categories")), *categories]  # type: ignore[attr-defined]
        # Worded per request: a label made when the module loads stays in that language.
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (days, gettext("%(days)s days") % {"days": days}) for days in PERIOD_DAYS
        ]


def _tiles_url(centre: tuple[float, float]) -> str:
    template = settings.HUZHU_MAP_TILES
    if not template:
        return ""
    z, x, y = slippy_tile(centre, TILE_ZOOM)
    return template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


@staff_only
@require_GET
def heatmap(request: HttpRequest) -> HttpResponse:
    form = HeatmapFilter(request.GET or {"days": 30})
    if not form.is_valid():
        return render(request, "insights/heatmap.html", {"form": form}, status=422)
    centre = settings.HUZHU_DEFAULT_CENTRE
    cells = heat_cells(
        now=timezone.now(), days=form.cleaned_data["days"], category=form.cleaned_data["category"]
    )
    context = {
        "form": form,
        "cells": cells,
        "map": draw(cells, centre),
        "tiles_url": _tiles_url(centre),
    }
    return render(request, "insights/heatmap.html", context)


class PostExportFilter(forms.Form):
    kind = forms.ChoiceField(
        required=False, choices=[("", "—"), ("need", _("Needs")), ("offer", _("Offers"))]
    )
    days = forms.TypedChoiceField(
        coerce=int, initial=30, choices=[(days, days) for days in PERIOD_DAYS]
    )


@staff_only
@require_GET
def posts_csv(request: HttpRequest) -> HttpResponseBase:
    """Posts of the last `days` days as CSV (insights/post_export.py: no exact places)."""
    form = PostExportFilter(request.GET or {"days": 30})
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=422, content_type="text/plain")
    rows = post_rows(
        now=timezone.now(), days=form.cleaned_data["days"], kind=form.cleaned_data["kind"]
    )
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="huzhu-posts.csv"'
    return response
