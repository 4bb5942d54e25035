from django.db import migrations, models

from partrack.org.models import EVERY_UNIT_PHRASES
from partrack.vietnamese import fold_body_name


def mark_every_unit_tasks(apps, schema_editor):
    """Tasks already saved whose coordinators are "every unit of the agency"."""
    Task = apps.get_model("plans", "Task")
    marked = [
        task.pk
        for task in Task.objects.only("pk", "coordinating_names").iterator()
        if any(fold_body_name(name) in EVERY_UNIT_PHRASES for name in task.coordinating_names)
    ]
    Task.objects.filter(pk__in=marked).update(every_unit_coordinates=True)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_change_after_acceptance"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="every_unit_coordinates",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_every_unit_tasks, migrations.RunPython.noop),
    ]
