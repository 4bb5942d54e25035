"""Two indexes for the task list across agencies at the national size (150,000 tasks).

- (due_date DESC NULLS LAST, id DESC): the list sorted latest first. The (due_date, id) index
  read backwards gives NULLS FIRST, so without this one PostgreSQL sorted every task of the
  country for each page (870 ms on the benchmark machine; 0.5 ms with it).
- A trigram index on search_text (PostgreSQL's pg_trgm): the diacritic-blind search is
  `LIKE '%word%'` on that column, which no B-tree serves; with trigrams the words of three
  letters or more pick the rows from the index instead of reading every task.

PostgreSQL only: SQLite keeps its full scan (a single agency's size). Where the database role
may not create the extension (pg_trgm is a trusted extension from PostgreSQL 13, so a
database's owner may), the trigram index is left out and the search still works, slower.
"""

from django.db import migrations, transaction


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS province_task_due_date_desc_id "
            "ON plans_task (due_date DESC NULLS LAST, id DESC)"
        )
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no right to create it: go without the index
            return
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS province_task_search_trgm "
            "ON plans_task USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS province_task_search_trgm")
        cursor.execute("DROP INDEX IF EXISTS province_task_due_date_desc_id")


class Migration(migrations.Migration):
    dependencies = [("province", "0002_report_requests")]

    operations = [migrations.RunPython(create, drop)]
