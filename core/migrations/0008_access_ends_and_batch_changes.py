"""Change records name the import batch that made them (its rollback selects them by it, no longer by a
request id a client could send); a user's session epoch, part of each session's hash; every API token
expires.

Change records written by a batch before this migration carry the batch's uuid as request id: those of the
batch's own user, from its upload on, are given the batch reference. A client could have sent that uuid as
its X-Request-ID; such a record of anyone else stays without a reference and is never undone by the batch.
The audit tables refuse UPDATE, so their triggers are set aside for this one statement per batch (only when
there is something to fill).
"""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import F

import core.models


def fill_token_expiry(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created") + datetime.timedelta(days=settings.YUANQU_TOKEN_DAYS))


def fill_batch_references(apps, schema_editor):
    from core.audit.lock import audit_unlocked

    ImportBatch = apps.get_model("core", "ImportBatch")
    ObjectChange = apps.get_model("core", "ObjectChange")
    batches = [(b.pk, str(b.uuid), b.user_id, b.created) for b in ImportBatch.objects.all()]
    todo = [b for b in batches if ObjectChange.objects.filter(request_id=b[1]).exists()]
    if not todo:
        return
    connection = schema_editor.connection
    table = connection.ops.quote_name(ObjectChange._meta.db_table)
    if connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        with audit_unlocked():
            for pk, uuid, user_id, created in todo:
                ObjectChange.objects.filter(request_id=uuid, user_id=user_id, time__gte=created,
                                            batch__isnull=True).update(batch_id=pk)
    finally:
        if connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def restore_sqlite_triggers(apps, schema_editor):
    """Going back, SQLite rebuilds the change-record table without the batch column, and drops its append-only
    triggers with it: they are put back as migration 0002 made them."""
    if schema_editor.connection.vendor != "sqlite":
        return
    table = "core_objectchange"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        present = {name for (name,) in cursor.fetchall()}
        for op in ("UPDATE", "DELETE"):
            if f"{table}_no_{op.lower()}" not in present:
                cursor.execute(f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                               f"WHEN yuanqu_audit_locked() "
                               f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END")


class Migration(migrations.Migration):
    dependencies = [("core", "0007_import_runs")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddField(
            model_name="objectchange",
            name="batch",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=models.DO_NOTHING, related_name="+", to="core.importbatch",
                                    verbose_name="import batch"),
        ),
        migrations.AddField(
            model_name="user",
            name="session_epoch",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill_token_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=core.models.token_expiry, verbose_name="expires at"),
        ),
        migrations.RunPython(fill_batch_references, migrations.RunPython.noop),
    ]
