"""Load the shipped catalogue (posts/data/catalogue.json). Re-running it updates in place."""

from django.db import migrations

from huzhu.posts.catalogue import migrate_catalogue


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(migrate_catalogue, migrations.RunPython.noop)]
