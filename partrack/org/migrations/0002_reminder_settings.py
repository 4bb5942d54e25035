import secrets

from django.db import migrations, models

import partrack.org.models


def give_each_person_a_token(apps, schema_editor):
    Membership = apps.get_model("org", "Membership")
    for membership in Membership.objects.filter(calendar_token__isnull=True):
        membership.calendar_token = secrets.token_urlsafe(32)
        membership.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="email_reminders",
            field=models.BooleanField(
                default=True, verbose_name="nhận nhắc việc qua thư điện tử"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="calendar_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(give_each_person_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="calendar_token",
            field=models.CharField(
                default=partrack.org.models.new_calendar_token, max_length=64, unique=True
            ),
        ),
    ]
