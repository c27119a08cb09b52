"""Background work for posts, run by the `huzhu db_worker` process."""

from django.utils import timezone
from django_tasks import task

from huzhu.posts import ranking
from huzhu.posts.services import expire_due_posts


@task()
def expire_posts() -> int:
    return expire_due_posts()


@task()
def sink_stale_needs() -> int:
    return ranking.sink_stale_needs(now=timezone.now())
