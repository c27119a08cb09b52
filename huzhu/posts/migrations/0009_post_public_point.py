"""The public point every non-owner observable is computed from (posts/public_point.py),
added empty; 0010 fills it and re-derives the search cells from it, 0011 requires it and
moves the search indexes onto it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("posts", "0008_search_index_include")]

    operations = [
        migrations.AddField("post", "public_lat", models.FloatField(null=True)),
        migrations.AddField("post", "public_lng", models.FloatField(null=True)),
    ]
