"""On PostgreSQL the audit tables refuse TRUNCATE too (row triggers do not fire on it), and no role but their
owner holds more than SELECT and INSERT on them.

The TRUNCATE trigger lets one case through: the tables' owner (or a superuser) in a transaction that has set
``yuanqu.audit_unlocked`` to ``on`` — the test suite's flush between transactional tests
(core.audit.lock.flush_statements). Any role may set a custom setting, so the setting alone would open
nothing to an application role that owned the tables; the owner could drop the trigger anyway, so letting
the owner through adds nothing it could not already do. An application role that is not the owner is
refused by its privileges first and by the trigger second. ``search_path`` is pinned so that the caller's
functions cannot stand in for the ones the trigger asks.

SQLite has no TRUNCATE: a DELETE without WHERE fires the row triggers of 0002.
"""

from django.db import migrations

TABLES = ("core_objectchange", "core_domainevent")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION yuanqu_audit_no_truncate() RETURNS trigger "
            "LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ "
            "BEGIN "
            "  IF coalesce(current_setting('yuanqu.audit_unlocked', true), '') = 'on' "
            "     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN "
            "    RETURN NULL; "
            "  END IF; "
            "  RAISE EXCEPTION 'audit records cannot be truncated' USING ERRCODE = 'insufficient_privilege'; "
            "END; $$"
        )
        for table in TABLES:
            cursor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION yuanqu_audit_no_truncate()"
            )
            # Roles given more by default privileges before this migration (an application role) keep only
            # SELECT and INSERT.
            cursor.execute(
                "SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END "
                "FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = %s::regclass AND a.grantee <> c.relowner "
                "AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')",
                [table],
            )
            for (grantee,) in cursor.fetchall():
                cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {grantee}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS yuanqu_audit_no_truncate()")


class Migration(migrations.Migration):
    dependencies = [("core", "0008_access_ends_and_batch_changes")]

    operations = [migrations.RunPython(forwards, backwards)]
