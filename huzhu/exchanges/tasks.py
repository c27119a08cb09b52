"""Background work for exchanges, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.exchanges.alerts import notify_matching_alerts
from huzhu.exchanges.checkins import run_checkins
from huzhu.exchanges.notifications import send_due_email
from huzhu.exchanges.pushing import send_push
from huzhu.exchanges.texting import send_text


@task()
def email_notifications(user_id: int) -> bool:
    """Send one person's batched notification e-mail if their window has passed."""
    return send_due_email(user_id=user_id)


@task()
def text_notification(notification_id: int) -> str:
    """Text one notification to a phone-verified person, if it still needs it."""
    return send_text(notification_id)


@task()
def push_notification(notification_id: int) -> str:
    """Push one notification to the person's subscribed browsers."""
    return send_push(notification_id)


@task()
def fan_out_alerts(post_id: int) -> int:
    """Notify the owners of the saved alerts a new post matches."""
    return notify_matching_alerts(post_id=post_id)


@task()
def check_in_needs() -> dict[str, int]:
    """The "still needed?" sweeps: ask quiet needs, and mark unanswered ones `unknown`."""
    return run_checkins()
