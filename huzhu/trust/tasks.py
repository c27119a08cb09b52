"""Background work for trust, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.trust.services import recompute_all
from huzhu.trust.verification import forget_unconfirmed


@task()
def recompute_levels() -> int:
    """Nightly: time-based criteria (account age, recent activity, demotions) move on, and
    codes that were never confirmed are forgotten."""
    forget_unconfirmed()
    return recompute_all()
