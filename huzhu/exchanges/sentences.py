"""The sentence each notification says, in the reader's language, contact details masked:
the inbox, the e-mail, the SMS and the push all read it here.

A kind whose sentence a higher app writes (a sanction's notice, from safety) is registered
by that app (`register_notice`, from its AppConfig.ready), so exchanges never imports it.
"""

import html
from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from huzhu.exchanges.models import Notification
from huzhu.posts.models import Post
from huzhu.text.contact import mask_contacts

Kind = Notification.Kind

_TEXTS: dict[str, Promise] = {
    Kind.RESPONSE: gettext_lazy("%(name)s responded to your post “%(title)s”."),
    Kind.ACCEPTED: gettext_lazy("%(name)s accepted your response to “%(title)s”."),
    Kind.DECLINED: gettext_lazy("%(name)s declined your response to “%(title)s”."),
    Kind.CANCELLED: gettext_lazy("%(name)s cancelled the exchange for “%(title)s”."),
    Kind.MESSAGE: gettext_lazy("New messages from %(name)s about “%(title)s”."),
    Kind.HANDED_OVER: gettext_lazy(
        "%(name)s says they handed over “%(title)s”. Did you receive it?"
    ),
    Kind.COMPLETED: gettext_lazy("%(name)s confirmed receiving “%(title)s”. Thank you!"),
    Kind.REVEAL: gettext_lazy(
        "%(name)s would like to share contact details for “%(title)s”. Agree on the exchange "
        "page if you want to."
    ),
    Kind.TRUST_WARNING: gettext_lazy(
        "Your trust level is about to drop because a criterion is no longer met. It stays "
        "as it is for a grace period; your trust page shows what is missing."
    ),
    Kind.DISPUTED: gettext_lazy(
        "%(name)s opened a dispute about “%(title)s”. A moderator will look at it and settle it."
    ),
    Kind.SETTLED: gettext_lazy(
        "A moderator settled the dispute with %(name)s about “%(title)s”. The exchange page "
        "shows the outcome and the reason."
    ),
    # Reporters hear the outcome, never the target nor the moderator (safety/moderation.py).
    Kind.REPORT_UPHELD: gettext_lazy(
        "Thank you. The moderators agreed with your report and acted on it."
    ),
    Kind.REPORT_DISMISSED: gettext_lazy(
        "Thank you. The moderators looked at your report and took no action."
    ),
    Kind.SANCTION: gettext_lazy(
        "A moderator has taken action on your account. Your sanctions page says why and "
        "how to appeal."
    ),
    Kind.REVIEW: gettext_lazy("%(name)s's review of your exchange for “%(title)s” is visible now."),
    Kind.FEEDBACK_LOW: gettext_lazy(
        "Someone rated Huzhu low. The organisers' feedback queue has it."
    ),
    Kind.CHECKIN: gettext_lazy(
        "Is “%(title)s” still needed? Please answer on the post's page, or it will be shown "
        "as “Still needed?”."
    ),
}
# Alerts say what kind of post they found.
_ALERT_TEXTS: dict[str, Promise] = {
    Post.Kind.NEED: gettext_lazy("Someone nearby needs what your alert is about: “%(title)s”."),
    Post.Kind.OFFER: gettext_lazy("Someone nearby offers what your alert is about: “%(title)s”."),
}


_notices: dict[str, Callable[[Notification], str | None]] = {}


def register_notice(kind: str, notice: Callable[[Notification], str | None]) -> None:
    """`notice` writes the sentence of `kind` (None: the notification has nothing to say it
    with, and the usual sentence stands)."""
    _notices[kind] = notice


def describe(notification: Notification, *, escape: bool = False) -> str:
    """The sentence for a notification, in the active language, contact details masked."""
    exchange, post = notification.exchange, notification.post
    name, title = "", ""
    if exchange is not None:
        other = exchange.receiver if exchange.giver_id == notification.user_id else exchange.giver
        name = mask_contacts(other.display_name)
        title = mask_contacts(exchange.post.title)
    elif post is not None:
        title = mask_contacts(post.title)
    if escape:
        name, title = html.escape(name), html.escape(title)
    notice = _notices[notification.kind](notification) if notification.kind in _notices else None
    if notice is not None:
        return html.escape(notice) if escape else notice
    if notification.kind == Kind.ALERT:
        text = _ALERT_TEXTS[post.kind if post is not None else Post.Kind.NEED]
    else:
        text = _TEXTS[notification.kind]
    return str(text) % {"name": name, "title": title}
