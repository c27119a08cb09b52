"""Background work for posts, run by the `huzhu db_worker` process."""

from django_tasks import task

from huzhu.posts.services import expire_due_posts


@task()
def expire_posts() -> int:
    return expire_due_posts()
