"""Give every existing post its public point and index it by that point, not the exact one.

A migration of its own: PostgreSQL refuses to alter a table with pending updates in the
same transaction, and 0011 alters it.
"""

from typing import Any

from django.db import migrations

BATCH = 2000
FIELDS = ["public_lat", "public_lng", "h3_r9", "cell_r5", "cell_r6", "cell_r7", "cell_r8"]


def fill(apps: Any, schema_editor: Any) -> None:
    from huzhu.posts.public_point import location_fields

    Post = apps.get_model("posts", "Post")
    posts = Post.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(
            posts.filter(pk__gt=last).only("pk", "owner_id", "lat", "lng", "area_precision_m")[
                :BATCH
            ]
        )
        if not batch:
            return
        for post in batch:
            fields = location_fields(post.owner_id, post.lat, post.lng, post.area_precision_m)
            for name in FIELDS:
                setattr(post, name, fields[name])
        Post.objects.using(schema_editor.connection.alias).bulk_update(batch, FIELDS)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("posts", "0009_post_public_point")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
