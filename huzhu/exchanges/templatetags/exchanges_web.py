"""The exchange panel on the post page: respond to a post, or see its responses."""

from typing import Any

from django import template

from huzhu.exchanges import queries
from huzhu.exchanges.forms import RespondForm
from huzhu.exchanges.lifecycle import LIVE
from huzhu.web.cards import PostCard
from huzhu.web.users import viewer

register = template.Library()


@register.inclusion_tag("exchanges/_post_panel.html", takes_context=True)
def exchange_panel(context: dict[str, Any], card: PostCard) -> dict[str, Any]:
    from huzhu.exchanges.views import exchange_row

    request = context["request"]
    user = viewer(request)
    left = card.quantity - card.quantity_reserved
    panel: dict[str, Any] = {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "post_id": card.id,
        "kind": card.kind,
        "is_own": card.is_own,
        "signed_in": user.is_authenticated,
        "rows": [],
        "can_respond": False,
    }
    if not user.is_authenticated:
        return panel
    exchanges = list(queries.exchanges_of(user, post_id=card.id))
    panel["rows"] = [exchange_row(exchange, user) for exchange in exchanges]
    live = any(exchange.status in LIVE for exchange in exchanges)
    if not card.is_own and card.is_listed and left > 0 and not live:
        panel["can_respond"] = True
        panel["form"] = RespondForm(initial={"quantity": min(left, 1)})
        panel["form"].fields["quantity"].max_value = left
        panel["form"].fields["quantity"].widget.attrs["max"] = left
    return panel
