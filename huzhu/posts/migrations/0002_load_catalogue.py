"""Load the shipped catalogue (posts/data/catalogue.json). Re-running it updates in place."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def load(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from huzhu.posts.catalogue import load_catalogue, read_catalogue_file

    load_catalogue(
        read_catalogue_file(),
        category_model=apps.get_model("posts", "Category"),
        item_model=apps.get_model("posts", "Item"),
        alias_model=apps.get_model("posts", "ItemAlias"),
    )


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
