"""Background work for exchanges, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.exchanges.notifications import send_due_email


@task()
def email_notifications(user_id: int) -> bool:
    """Send one person's batched notification e-mail if their window has passed."""
    return send_due_email(user_id=user_id)
