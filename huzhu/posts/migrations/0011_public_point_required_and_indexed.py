"""Every post has its public point now: require it, and index it for search in place of
the exact point (the same indexes as 0008, reading public_lat/public_lng)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("posts", "0010_fill_public_points")]

    operations = [
        migrations.AlterField("post", "public_lat", models.FloatField()),
        migrations.AlterField("post", "public_lng", models.FloatField()),
        migrations.RemoveIndex(
            model_name='post',
            name='post_listed_h3',
        ),
        migrations.RemoveIndex(
            model_name='post',
            name='post_listed_r5',
        ),
        migrations.RemoveIndex(
            model_name='post',
            name='post_listed_r6',
        ),
        migrations.RemoveIndex(
            model_name='post',
            name='post_listed_r7',
        ),
        migrations.RemoveIndex(
            model_name='post',
            name='post_listed_r8',
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(condition=models.Q(('rank__isnull', False)), fields=['h3_r9', 'public_lat', 'public_lng', 'tag_bits', 'item', 'category', 'kind'], include=('closes_at', 'rank', 'id'), name='post_listed_h3'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(condition=models.Q(('rank__isnull', False)), fields=['cell_r5', 'rank', 'id', 'tag_bits', 'item', 'category', 'kind'], include=('closes_at', 'public_lat', 'public_lng'), name='post_listed_r5'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(condition=models.Q(('rank__isnull', False)), fields=['cell_r6', 'rank', 'id', 'tag_bits', 'item', 'category', 'kind'], include=('closes_at', 'public_lat', 'public_lng'), name='post_listed_r6'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(condition=models.Q(('rank__isnull', False)), fields=['cell_r7', 'rank', 'id', 'tag_bits', 'item', 'category', 'kind'], include=('closes_at', 'public_lat', 'public_lng'), name='post_listed_r7'),
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(condition=models.Q(('rank__isnull', False)), fields=['cell_r8', 'rank', 'id', 'tag_bits', 'item', 'category', 'kind'], include=('closes_at', 'public_lat', 'public_lng'), name='post_listed_r8'),
        ),
    ]
