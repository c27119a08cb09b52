from django.db import migrations, models

from huzhu.posts.catalogue import migrate_catalogue


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0009_post_confirmed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="unit_sizes",
            field=models.JSONField(blank=True, default=dict),
        ),
        # Reload the catalogue for its unit sizes (a box of ibuprofen is 20 tablets).
        migrations.RunPython(migrate_catalogue, migrations.RunPython.noop),
    ]
