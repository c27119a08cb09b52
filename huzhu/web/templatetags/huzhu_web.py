"""Template filters shared by Huzhu's pages."""

from datetime import datetime

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


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
