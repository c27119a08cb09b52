"""Background work for accounts, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.accounts.outbox_retention import tend


@task()
def tend_outbox() -> list[int]:
    """Blank expired codes out of the development outbox and delete day-old messages."""
    return list(tend())
