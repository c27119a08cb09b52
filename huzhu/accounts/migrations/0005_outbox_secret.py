from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_password_reset")]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="secret",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="secret_expires_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
    ]
