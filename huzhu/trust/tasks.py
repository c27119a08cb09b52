"""Background work for trust, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.trust.services import recompute_all


@task()
def recompute_levels() -> int:
    """Nightly: time-based criteria (account age, recent activity, demotions) move on."""
    return recompute_all()
