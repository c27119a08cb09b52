"""Whether the reader already gave feedback on an exchange (for the exchange page's form)."""

from typing import Any

from django import template

from huzhu.insights.models import Feedback

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_given(context: dict[str, Any], exchange_id: int) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return Feedback.objects.filter(user_id=user.pk, exchange_id=exchange_id).exists()
