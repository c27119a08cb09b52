"""Background work for accounts, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.accounts import delivery
from huzhu.accounts.outbox_retention import tend


@task()
def tend_outbox() -> list[int]:
    """Blank expired codes out of the development outbox and delete day-old messages."""
    return list(tend())


@task()
def deliver(delivery_id: int) -> str:
    """Send one queued SMS or e-mail through its gateway (accounts/delivery.py)."""
    return delivery.send(delivery_id)
