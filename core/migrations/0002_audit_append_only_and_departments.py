"""Audit tables refuse UPDATE and DELETE in the database itself; the district's departments.

On SQLite the trigger asks ``yuanqu_audit_locked()``, a function each connection registers
(core.apps); it answers 1 except inside the test suite's database flush. A connection that
does not know the function (the sqlite3 shell) fails the statement, which is the point.
"""

from django.db import migrations

TABLES = ("core_objectchange", "core_domainevent")


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION yuanqu_audit_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql"
            )
        for table in TABLES:
            if vendor == "sqlite":
                for op in ("UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"WHEN yuanqu_audit_locked() "
                        f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END"
                    )
            elif vendor == "postgresql":
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION yuanqu_audit_append_only()"
                )


def departments(apps, schema_editor):
    from core.reference.departments import ensure_departments

    ensure_departments(apps.get_model("core", "Department"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_triggers, migrations.RunPython.noop),
        migrations.RunPython(departments, migrations.RunPython.noop),
    ]
