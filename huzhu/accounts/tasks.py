"""Background work for accounts, run by the `huzhu db_worker` process.

`deliver` lives beside the sending it runs (delivery.py enqueues it); it is named here too so
a delivery queued under its old path (huzhu.accounts.tasks.deliver) still runs.
"""

from django_tasks import task

from huzhu.accounts.delivery import deliver
from huzhu.accounts.outbox_retention import tend

__all__ = ["deliver", "tend_outbox"]


@task()
def tend_outbox() -> list[int]:
    """Blank expired codes out of the development outbox and delete day-old messages."""
    return list(tend())
