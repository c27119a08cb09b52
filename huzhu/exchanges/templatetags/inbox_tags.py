"""The unread count beside "Inbox" in the navigation, on every page."""

from django import template

from huzhu.accounts.models import User
from huzhu.exchanges import queries

register = template.Library()


@register.simple_tag
def unread_count(user: object) -> int:
    return queries.unread_count(user) if isinstance(user, User) else 0
