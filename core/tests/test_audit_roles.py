"""On PostgreSQL the role the application connects as may only SELECT and INSERT the audit tables: it can
neither empty, change, drop nor unguard them, while every write it makes is still audited.

The application role is made here and granted exactly what the production notes say (``manage.py
grant_app_role``, run as the owner of the tables: the suite's own role, which ran the migrations). Creating a
role needs the throwaway server's superuser (scripts/pg-test-server.sh: ``postgres``, trusted on 127.0.0.1).
"""

import contextlib
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse
from psycopg import errors, sql

from core.audit.lock import flush_statements
from core.importing import jobs
from core.models import DomainEvent, ObjectChange
from core.services import object_update
from core.surfaces import surface_for
from enterprises import services as enterprise_services
from spaces.models import Floor, Unit

# Database roles, privileges and TRUNCATE are PostgreSQL's; SQLite has none (docs/architecture.md).
pytestmark = pytest.mark.postgresql

AUDIT_TABLES = ("core_objectchange", "core_domainevent")
SUPERUSER = "postgres"


def connect(user):
    params = connection.get_connection_params()
    return psycopg.connect(host=params.get("host") or "127.0.0.1", port=params.get("port") or 5432, user=user,
                           dbname=connection.settings_dict["NAME"], autocommit=True)


@pytest.fixture
def app_role(transactional_db):
    """A login role granted what docs/architecture.md tells a deployment to grant; dropped afterwards."""
    role = f"yuanqu_app_{uuid.uuid4().hex[:8]}"
    with connect(SUPERUSER) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        call_command("grant_app_role", role, verbosity=0)
        yield role
    finally:
        connections["default"].close()
        with connect(SUPERUSER) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [role])
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@contextlib.contextmanager
def django_connected_as(role):
    """The application itself (ORM, services, views) connected as ``role``."""
    default = connections["default"]
    saved = default.settings_dict["USER"]
    default.close()
    default.settings_dict["USER"] = role
    try:
        yield
    finally:
        default.close()
        default.settings_dict["USER"] = saved


def insert_event(db, name="probe"):
    return db.execute(
        "INSERT INTO core_domainevent (time, user_name, request_id, name, object_id, object_repr, data) "
        "VALUES (now(), 'probe', '', %s, '', '', '{}') RETURNING id", [name]).fetchone()[0]


REFUSED = {
    "truncate": "TRUNCATE core_domainevent",
    "truncate both": "TRUNCATE core_objectchange, core_domainevent",
    "truncate through a cascade": "TRUNCATE django_content_type CASCADE",
    "disable the triggers": "ALTER TABLE core_objectchange DISABLE TRIGGER ALL",
    "disable one trigger": "ALTER TABLE core_domainevent DISABLE TRIGGER core_domainevent_append_only",
    "drop a trigger": "DROP TRIGGER core_domainevent_no_truncate ON core_domainevent",
    "replace the trigger function": "CREATE OR REPLACE FUNCTION yuanqu_audit_no_truncate() RETURNS trigger "
                                    "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$",
    "skip triggers as a replica": "SET session_replication_role = replica",
    "update": "UPDATE core_domainevent SET name = 'tampered'",
    "delete": "DELETE FROM core_domainevent",
    "delete the changes": "DELETE FROM core_objectchange",
    "drop": "DROP TABLE core_domainevent",
    "rename": "ALTER TABLE core_objectchange RENAME TO core_objectchange_old",
}


@pytest.mark.parametrize("attempt", REFUSED)
def test_the_application_role_cannot_empty_change_or_unguard_the_audit_tables(app_role, attempt):
    with connect(app_role) as db:
        kept = insert_event(db)
        db.execute("SELECT set_config('yuanqu.audit_unlocked', 'on', false)")  # the flush's setting opens nothing
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute(REFUSED[attempt])
        assert db.execute("SELECT name FROM core_domainevent WHERE id = %s", [kept]).fetchone() == ("probe",)


def test_the_application_role_may_insert_and_read_the_audit_tables(app_role, world):
    with connect(app_role) as db:
        kept = insert_event(db, "first")
        assert insert_event(db, "second") > kept
        assert db.execute("SELECT count(*) FROM core_domainevent WHERE name IN ('first', 'second')").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM core_objectchange").fetchone()[0] >= 0
        db.execute("GRANT TRUNCATE, UPDATE ON core_domainevent TO CURRENT_USER")  # a warning: nothing granted
        for table in AUDIT_TABLES:
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
                assert db.execute("SELECT has_table_privilege(%s, %s)", [table, privilege]).fetchone() == (False,)


def test_the_truncate_trigger_refuses_a_role_that_was_granted_truncate_by_mistake(app_role):
    with connect(SUPERUSER) as admin:
        admin.execute(sql.SQL("GRANT TRUNCATE ON core_domainevent TO {}").format(sql.Identifier(app_role)))
    with connect(app_role) as db:
        kept = insert_event(db)
        db.execute("SELECT set_config('yuanqu.audit_unlocked', 'on', false)")
        with pytest.raises(errors.InsufficientPrivilege, match="audit records cannot be truncated"):
            db.execute("TRUNCATE core_domainevent")
        assert db.execute("SELECT count(*) FROM core_domainevent WHERE id = %s", [kept]).fetchone() == (1,)


@pytest.mark.django_db
def test_the_truncate_trigger_refuses_the_owner_in_an_ordinary_session():
    DomainEvent.objects.create(name="probe")
    for statement in ("TRUNCATE core_domainevent", "TRUNCATE core_objectchange"):
        with pytest.raises(DatabaseError, match="audit records cannot be truncated"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the row's deferred checks, not the trigger
                cursor.execute(statement)
    assert DomainEvent.objects.filter(name="probe").exists()


@pytest.mark.django_db
def test_the_test_suites_flush_lets_the_owner_empty_the_audit_tables():
    DomainEvent.objects.create(name="probe")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in flush_statements(connection, ["TRUNCATE core_domainevent"]):
                cursor.execute(statement)
        assert not DomainEvent.objects.exists()
        transaction.set_rollback(True)
    assert DomainEvent.objects.filter(name="probe").exists()


def test_the_application_connected_as_its_role_still_writes_and_audits(app_role, world, client_for):
    officer = world.users["officer"]
    with django_connected_as(app_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (app_role,)
        object_update(user=officer, instance=world.park_a, data={"address": "福田区福华路1号"})
        enterprise_services.contact_reveal(user=officer, instance=world.contact_a)

        client = client_for(world.users["operator"])
        response = client.post(reverse("spaces:floor_add"), {"building": world.building_a.pk, "number": 9, "name": ""})
        assert response.status_code == 302

        content = "楼宇编码,楼层,房号,面积（㎡）\na-1,12,1288,120\na-1,12,1289,130\n".encode()
        batch = jobs.batch_create(user=officer, surface=surface_for(Unit), filename="units.csv", content=content)
        batch = jobs.batch_commit(batch)
        assert batch.counts["create"] == 2, batch.message

        assert ObjectChange.objects.filter(content_type__model="park", object_id=str(world.park_a.pk)).exists()
        assert DomainEvent.objects.filter(name="enterprises.contact.reveal", user_name="t_officer").exists()
        floor = Floor.objects.get(building=world.building_a, number=9)
        assert ObjectChange.objects.filter(content_type__model="floor", object_id=str(floor.pk), action="create",
                                           user_name="t_operator").exists()
        units = Unit.objects.filter(code__in=["1288", "1289"])
        assert ObjectChange.objects.filter(request_id=str(batch.uuid), action="create").count() == units.count() == 2


def test_grant_app_role_refuses_to_make_the_owner_or_its_member_the_application_role(app_role):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="owner"):
        call_command("grant_app_role", connection.settings_dict["USER"], verbosity=0)
    with connect(SUPERUSER) as admin:
        admin.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(connection.settings_dict["USER"]),
                                                        sql.Identifier(app_role)))
    with pytest.raises(CommandError, match="member of the role that owns"):
        call_command("grant_app_role", app_role, verbosity=0)


@pytest.mark.django_db
def test_the_print_option_shows_the_statements_the_production_notes_list(capsys):
    call_command("grant_app_role", "yuanqu_app", print_only=True)
    printed = capsys.readouterr().out
    assert 'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "core_domainevent", "core_objectchange" FROM ' \
           '"yuanqu_app", PUBLIC' in printed
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "yuanqu_app"' in printed

