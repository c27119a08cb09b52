"""Background work for exchanges, run by the `huzhu db_worker` process.

Each task that a module enqueues lives beside the work it runs (notifications, texting,
pushing, alerts), so no module imports this one to enqueue and this one imports them. They
are named here too, so a task queued under its old path (huzhu.exchanges.tasks.<name>)
still runs.
"""

from django_tasks import task

from huzhu.exchanges.alerts import fan_out_alerts
from huzhu.exchanges.checkins import run_checkins
from huzhu.exchanges.notifications import email_notifications
from huzhu.exchanges.pushing import push_notification
from huzhu.exchanges.texting import text_notification

__all__ = [
    "check_in_needs",
    "email_notifications",
    "fan_out_alerts",
    "push_notification",
    "text_notification",
]


@task()
def check_in_needs() -> dict[str, int]:
    """The "still needed?" sweeps: ask quiet needs, and mark unanswered ones `unknown`."""
    return run_checkins()
