from typing import Any

from django.db import migrations, models
from django.utils import timezone


def rerank(apps: Any, schema_editor: Any) -> None:
    """Listed posts take the ranks of posts/ranking.py: offers freshest first, needs past
    their waiting cap below fresh ones."""
    from huzhu.posts.ranking import rank_for

    post_model = apps.get_model("posts", "Post")
    now = timezone.now()
    batch = []
    for post in post_model.objects.filter(rank__isnull=False).iterator(chunk_size=2000):
        post.rank = rank_for(
            kind=post.kind,
            status=post.status,
            hidden_at=post.hidden_at,
            created_at=post.created_at,
            confirmed_at=None,
            tag_bits=post.tag_bits,
            now=now,
        )
        batch.append(post)
        if len(batch) == 2000:
            post_model.objects.bulk_update(batch, ["rank"])
            batch = []
    post_model.objects.bulk_update(batch, ["rank"])


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0008_search_index_include"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(rerank, migrations.RunPython.noop, elidable=True),
    ]
