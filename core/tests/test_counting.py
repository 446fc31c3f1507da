"""Cached list counts are never older than the last write."""

import io
from decimal import Decimal

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext, isolate_apps
from openpyxl import Workbook

from core.importing import jobs
from core.models import ApiToken
from core.surfaces import counting, discover, surface_for
from spaces.models import Unit
from yuanqu.testing import PASSWORD


def header_count(client):
    return client.get("/spaces/units/").context["page"].paginator.count


def test_a_list_counts_once_until_the_data_change(world, client_for):
    client = client_for(world.users["officer"])
    assert header_count(client) == Unit.objects.count()
    expected = Unit.objects.count()
    with CaptureQueriesContext(connection) as queries:
        assert header_count(client) == expected
    assert not any("COUNT(*)" in q["sql"] and "spaces_unit" in q["sql"] for q in queries.captured_queries)

    surface_for(Unit).create(user=world.users["officer"], model=Unit, data={
        "building": world.building_a, "floor": world.floor_a, "code": "1299", "area": Decimal("50"),
        "use": "office", "status": "vacant"})
    assert header_count(client) == Unit.objects.count()


def test_a_bulk_import_moves_the_version_on(world, client_for):
    client = client_for(world.users["officer"])
    before = header_count(client)
    workbook = Workbook()
    workbook.active.append(["楼宇编码", "楼层", "房号", "面积"])
    workbook.active.append(["a-1", "12", "1298", "80"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = jobs.batch_create(user=world.users["officer"], surface=surface_for(Unit), filename="u.xlsx",
                              content=buffer.getvalue())
    jobs.batch_commit(batch)
    assert header_count(client) == before + 1


def test_scoped_counts_are_cached_per_scope(world, client_for):
    officer = header_count(client_for(world.users["officer"]))
    operator = client_for(world.users["operator"]).get("/spaces/units/").context["page"].paginator.count
    assert operator == Unit.objects.for_user(world.users["operator"]).count() < officer


def test_only_writes_to_the_data_invalidate(world):
    version = counting.data_version()
    SessionStore().create()  # every request may save its session
    ApiToken.objects.create(user=world.users["officer"], prefix="x", digest="d" * 64)
    assert counting.data_version() == version
    world.users["officer"].save()  # a user's role decides their scope
    assert counting.data_version() != version


def test_a_login_keeps_the_counts(world, client):
    version = counting.data_version()
    assert client.login(username="t_officer", password=PASSWORD)
    assert counting.data_version() == version


def test_every_model_with_pages_is_data_and_so_are_its_links():
    from django.apps import apps

    from core.models import BaseModel

    surfaces = discover()
    assert len(surfaces) >= 10
    for model in [*surfaces, *(m for m in apps.get_models() if issubclass(m, BaseModel))]:
        assert counting.is_data(model), model
        for field in model._meta.many_to_many:
            assert counting.is_data(field.remote_field.through), field


def test_the_project_apps_models_are_data_unless_they_say_otherwise():
    from django.apps import apps
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    from core.models import DomainEvent, ImportBatch, LoginFailures, ObjectChange, User

    assert counting.is_data(apps.get_model("enterprises", "QualificationRule"))  # no BaseModel, still data
    assert counting.is_data(User)
    for model in (ObjectChange, DomainEvent, LoginFailures, ApiToken, ImportBatch, Session, DBTaskResult):
        assert not counting.is_data(model), model


@isolate_apps("django.contrib.humanize", "demo")
def test_a_new_apps_model_moves_the_version_on_without_being_listed(db):
    from django.db import models
    from django.db.models.signals import post_save

    from core.models import BaseModel

    class Permit(BaseModel):  # a BaseModel wherever it is declared
        class Meta:
            app_label = "humanize"

    class Quota(models.Model):  # any model of a project app
        class Meta:
            app_label = "demo"

    class Cache(models.Model):  # a library's own table
        class Meta:
            app_label = "humanize"

    for model in (Permit, Quota):
        version = counting.data_version()
        post_save.send(sender=model, instance=model(), created=True)
        assert counting.data_version() != version, model
    version = counting.data_version()
    post_save.send(sender=Cache, instance=Cache(), created=True)
    assert counting.data_version() == version


def test_sessions_logins_and_audit_rows_keep_the_counts(world, client):
    from core import audit
    from core.reference.choices import ChangeAction

    version = counting.data_version()
    assert not client.login(username="t_officer", password="wrong")  # a LoginFailures row
    assert client.login(username="t_officer", password=PASSWORD)
    client.get("/spaces/units/")
    audit.record_event("core.token.create", user=world.users["officer"])
    audit.record_change(instance=world.unit_a1, action=ChangeAction.UPDATE, user=world.users["officer"],
                        before={}, after={})
    assert counting.data_version() == version
