from django.db import migrations


def install(apps, schema_editor):
    from partrack.org import guards

    guards.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from partrack.org import guards

    guards.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("org", "0003_agency_signature")]

    operations = [migrations.RunPython(install, uninstall)]
