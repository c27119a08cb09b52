"""Reload the catalogue: it now lists the prescription and controlled medicines the rules
engine refuses to see shared (antibiotics, antivirals, opioids, sedatives)."""

from django.db import migrations

from huzhu.posts.catalogue import migrate_catalogue


class Migration(migrations.Migration):
    dependencies = [("posts", "0003_search_indexes_cover_filters")]
    operations = [migrations.RunPython(migrate_catalogue, migrations.RunPython.noop)]
