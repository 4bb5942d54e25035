from django.db import migrations


def install(apps, schema_editor):
    from partrack.org import guards

    detached = guards.detach_units_outside_agency(schema_editor.connection)
    if detached:
        Membership = apps.get_model("org", "Membership")
        people = Membership.objects.filter(pk__in=detached).values_list("user__username", flat=True)
        print(
            "\n  Taken out of a unit of another agency (place them again in the admin): "
            + ", ".join(people)
        )
    guards.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from partrack.org import guards

    guards.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("org", "0003_agency_signature")]

    operations = [migrations.RunPython(install, uninstall)]
