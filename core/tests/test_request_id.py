"""The platform makes every request id itself: a client's X-Request-ID cannot tie its change to someone
else's request or import batch, and a batch's rollback undoes the batch's changes only."""

import importlib
import json
import types
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from core import audit
from core.importing import jobs
from core.models import ImportStatus, ObjectChange
from core.reference.choices import ChangeAction
from core.runtime.context import end_request, start_request
from core.surfaces import surface_for
from core.tests.test_import import UNIT_HEADER, xlsx
from spaces.models import Unit
from yuanqu.testing import bearer


def test_the_response_carries_the_platforms_own_request_id(world, client_for):
    response = client_for(world.users["officer"]).get("/", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert response["X-Request-ID"] != "chosen-by-the-client"
    assert uuid.UUID(response["X-Request-ID"])


def test_a_change_sent_with_a_batchs_uuid_is_not_undone_by_its_rollback(world, client):
    admin, operator = world.users["admin"], world.users["operator"]
    batch = jobs.batch_create(user=admin, surface=surface_for(Unit), filename="units.xlsx",
                              content=xlsx([UNIT_HEADER, ["a-1", "12", "1290", "100", "办公", ""]]))
    batch = jobs.batch_commit(batch)
    assert batch.status == ImportStatus.COMMITTED, (batch.message, batch.errors)

    # The operator, who may see the batch's id in a shared link, sends it with an unrelated change.
    response = client.patch(f"/api/spaces/units/{world.unit_a2.pk}", data=json.dumps({"asking_rent": "99"}),
                            content_type="application/json", HTTP_X_REQUEST_ID=str(batch.uuid), **bearer(operator))
    assert response.status_code == 200
    assert response["X-Request-ID"] != str(batch.uuid)
    change = ObjectChange.objects.filter(object_id=str(world.unit_a2.pk), content_type__model="unit").latest("id")
    assert change.user == operator and change.request_id == response["X-Request-ID"] and change.batch is None

    assert jobs.batch_rollback(user=admin, instance=batch).undone == 1
    assert not Unit.objects.filter(code="1290").exists()
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.asking_rent == Decimal("99")


def test_change_records_of_batches_before_the_reference_are_given_it(world):
    """The migration's backfill: the batch's own user's records under its uuid are the batch's; a record of
    anyone else under that uuid (a client could have sent it) is not."""
    admin, operator = world.users["admin"], world.users["operator"]
    batch = jobs.batch_create(user=admin, surface=surface_for(Unit), filename="units.xlsx",
                              content=xlsx([UNIT_HEADER, ["a-1", "12", "1291", "100", "办公", ""]]))
    token = start_request(str(batch.uuid))  # as change records were written before the batch reference
    try:
        own = audit.record_change(instance=world.unit_a1, action=ChangeAction.UPDATE, user=admin, before={}, after={})
        forged = audit.record_change(instance=world.unit_a2, action=ChangeAction.UPDATE, user=operator, before={},
                                     after={})
    finally:
        end_request(token)
    migration = importlib.import_module("core.migrations.0008_access_ends_and_batch_changes")

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.fill_batch_references(apps, types.SimpleNamespace(connection=connection, execute=execute))
    assert ObjectChange.objects.get(pk=own.pk).batch_id == batch.pk
    assert ObjectChange.objects.get(pk=forged.pk).batch_id is None
    assert list(jobs.changes_of(batch)) == [ObjectChange.objects.get(pk=own.pk)]
    with pytest.raises(DatabaseError), transaction.atomic():  # the audit table refuses updates again
        ObjectChange.objects.filter(pk=own.pk).update(batch_id=None)
