"""Template filters shared by Huzhu's pages."""

import json
from datetime import datetime
from typing import Any

from django import forms, template
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from huzhu.safety import community

register = template.Library()


@register.filter
def rule_text(code: str) -> str:
    """A community rule in words ("No prescription or controlled medicines."), never its
    code, on pages people read."""
    return community.rule_text(code)  # the rules' one home


@register.filter
def stamp(value: datetime | None) -> str:
    """ "2026-12-07 15:00 UTC+8": in the reader's zone (web/timezones.py), with its offset
    so that nobody mistakes it for another zone's."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    label = "UTC" if minutes == 0 else f"UTC{sign}{minutes // 60}"
    if minutes % 60:
        label += f":{minutes % 60:02d}"
    return f"{local:%Y-%m-%d %H:%M} {label}"


@register.filter
def ago(value: datetime) -> str:
    """ "3 hours ago": one unit is enough to judge how fresh a post is."""
    if (timezone.now() - value).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value, depth=1)}


@register.filter
def has_field_errors(form: forms.BaseForm) -> bool:
    """Whether any single field (not the form as a whole) has an error."""
    return any(name != NON_FIELD_ERRORS for name in form.errors)


@register.simple_tag
def trust_badge(badge: dict[str, Any]) -> str:
    """`{% include "trust/_badge.html" with badge=badge %}`, remembered per badge and
    language: a page of cards shows a handful of distinct badges twenty times, and each
    include rendered a dozen translated nodes. Off under DEBUG, where templates change."""
    if settings.DEBUG:
        return _render_badge(badge)
    key = json.dumps(badge, sort_keys=True, default=str)
    return _remembered_badge(key, get_language() or "", badge)


def _render_badge(badge: dict[str, Any]) -> str:
    return get_template("trust/_badge.html").render({"badge": badge})


_badges: dict[tuple[str, str], str] = {}
_BADGES_KEPT = 4096


def _remembered_badge(key: str, language: str, badge: dict[str, Any]) -> str:
    found = _badges.get((key, language))
    if found is None:
        if len(_badges) >= _BADGES_KEPT:
            _badges.clear()  # badges change slowly; starting over now and then is enough
        found = _badges[(key, language)] = _render_badge(badge)
    return mark_safe(found)  # noqa: S308 - the template's own autoescaped output
