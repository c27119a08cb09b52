"""The exchange panel on the post page: respond to a post, or see its responses."""

from typing import Any

from django import template

from huzhu.exchanges import queries
from huzhu.exchanges.checkins import pending_checkin
from huzhu.exchanges.forms import RespondForm
from huzhu.exchanges.lifecycle import LIVE
from huzhu.exchanges.matching import matches_for
from huzhu.exchanges.rows import exchange_row
from huzhu.posts.models import Post
from huzhu.web.cards import PostCard, card_for
from huzhu.web.users import viewer

register = template.Library()


@register.inclusion_tag("exchanges/_post_panel.html", takes_context=True)
def exchange_panel(context: dict[str, Any], card: PostCard) -> dict[str, Any]:
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
        # Pledging to a need: what it still asks for; asking for an offer: one, not all.
        initial = left if card.kind == "need" else min(left, 1)
        panel["form"] = RespondForm(initial={"quantity": initial})
        panel["form"].fields["quantity"].max_value = left
        panel["form"].fields["quantity"].widget.attrs["max"] = left
    return panel


@register.inclusion_tag("exchanges/_checkin.html", takes_context=True)
def checkin_panel(context: dict[str, Any], card: PostCard) -> dict[str, Any]:
    """For the owner: "still needed?" while a question waits or the post is `unknown`."""
    panel = {"show": False, "post_id": card.id, "csrf_token": context.get("csrf_token")}
    if not card.is_own:
        return panel
    post = Post.objects.get(pk=card.id)
    asked = post.status == Post.Status.OPEN and pending_checkin(post) is not None
    panel["show"] = post.status == Post.Status.UNKNOWN or asked
    panel["unknown"] = post.status == Post.Status.UNKNOWN
    return panel


@register.inclusion_tag("exchanges/_matches.html", takes_context=True)
def match_panel(context: dict[str, Any], card: PostCard) -> dict[str, Any]:
    """For the owner: people nearby who could help (a need) or who need this (an offer)."""
    panel: dict[str, Any] = {"show": False, "kind": card.kind}
    user = viewer(context["request"])
    if not card.is_own or not user.is_authenticated:
        return panel
    matches = matches_for(Post.objects.select_related("category").get(pk=card.id))
    panel["show"] = card.status in (Post.Status.OPEN, Post.Status.PLEDGED)
    panel["cards"] = [card_for(m.post, user, m.distance_km) for m in matches]
    return panel
