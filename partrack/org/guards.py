"""Rules the database itself keeps, for writes that skip the models (update(), bulk_create, SQL).

A membership's unit must belong to the membership's agency. Django cannot state a CHECK across
two tables, so triggers do, on SQLite and PostgreSQL alike: inserting or updating a membership
into another agency's unit is refused, and so is moving a unit that has people to another agency.
They are created by a migration and again after every `migrate` (SQLite drops a table's
triggers when a later migration rebuilds that table).
"""

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MESSAGE = "membership_unit_in_agency: the unit belongs to another agency"

SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS membership_unit_in_agency_insert
    BEFORE INSERT ON org_membership FOR EACH ROW
    WHEN NEW.unit_id IS NOT NULL
        AND NEW.agency_id IS NOT (SELECT agency_id FROM org_unit WHERE id = NEW.unit_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS membership_unit_in_agency_update
    BEFORE UPDATE OF unit_id, agency_id ON org_membership FOR EACH ROW
    WHEN NEW.unit_id IS NOT NULL
        AND NEW.agency_id IS NOT (SELECT agency_id FROM org_unit WHERE id = NEW.unit_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS unit_agency_keeps_memberships
    BEFORE UPDATE OF agency_id ON org_unit FOR EACH ROW
    WHEN EXISTS (
        SELECT 1 FROM org_membership WHERE unit_id = NEW.id AND agency_id != NEW.agency_id
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION org_membership_unit_in_agency() RETURNS trigger AS $$
    BEGIN
        IF NEW.unit_id IS NOT NULL AND NEW.agency_id IS DISTINCT FROM (
            SELECT agency_id FROM org_unit WHERE id = NEW.unit_id FOR SHARE
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS membership_unit_in_agency ON org_membership",
    """
    CREATE TRIGGER membership_unit_in_agency
    BEFORE INSERT OR UPDATE OF unit_id, agency_id ON org_membership
    FOR EACH ROW EXECUTE FUNCTION org_membership_unit_in_agency()
    """,
    f"""
    CREATE OR REPLACE FUNCTION org_unit_agency_keeps_memberships() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM org_membership WHERE unit_id = NEW.id AND agency_id <> NEW.agency_id
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS unit_agency_keeps_memberships ON org_unit",
    """
    CREATE TRIGGER unit_agency_keeps_memberships
    BEFORE UPDATE OF agency_id ON org_unit
    FOR EACH ROW EXECUTE FUNCTION org_unit_agency_keeps_memberships()
    """,
]

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS membership_unit_in_agency_insert",
        "DROP TRIGGER IF EXISTS membership_unit_in_agency_update",
        "DROP TRIGGER IF EXISTS unit_agency_keeps_memberships",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS membership_unit_in_agency ON org_membership",
        "DROP TRIGGER IF EXISTS unit_agency_keeps_memberships ON org_unit",
        "DROP FUNCTION IF EXISTS org_membership_unit_in_agency()",
        "DROP FUNCTION IF EXISTS org_unit_agency_keeps_memberships()",
    ],
}


def detach_units_outside_agency(connection):
    """Take people out of units of another agency (before the triggers guard it); their ids.

    Such a membership is the hole the triggers close: the person keeps their agency and loses
    the foreign unit, and the migration prints who, for the administrator to place them again.
    """
    outside = """
        SELECT m.id FROM org_membership m JOIN org_unit u ON u.id = m.unit_id
        WHERE u.agency_id <> m.agency_id ORDER BY m.id
    """
    with connection.cursor() as cursor:
        cursor.execute(outside)
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            placeholders = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"UPDATE org_membership SET unit_id = NULL WHERE id IN ({placeholders})", ids
            )
    return ids


def install(connection):
    """Create the triggers (idempotent); a database we do not know keeps only the model check."""
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection):
    with connection.cursor() as cursor:
        for statement in DROP.get(connection.vendor, []):
            cursor.execute(statement)


def install_after_migrate(using, plan=None, **kwargs):
    """post_migrate: put the triggers back if a migration rebuilt a table (SQLite)."""
    connection = connections[using]
    # Only once the migration that brings them is applied (and not after it was rolled back).
    applied = MigrationRecorder(connection).applied_migrations()
    if any(app == "org" and name.endswith("_membership_unit_in_agency") for app, name in applied):
        install(connection)
