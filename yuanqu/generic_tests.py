"""Generic tests, after NetBox's ViewTestCases: a model's test class declares its sample data and what each
role may do, and inherits every standard test of the pages, the exports, the import and the API.

A model with a Surface gets one class, in its app's ``tests/test_generic.py``::

    class TestFloor(ModelTests):
        model = Floor
        expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "", "expert": ""}
        update = {"name": "空中大堂"}

        def sample(self, world, side, **overrides): ...      # a new floor of side "a" or "b"
        def create_data(self, world, side): ...              # the add form's POST data
        def import_row(self, world, obj): ...                # a spreadsheet row that applies ``update`` to obj

Side "a" is what park operator A and enterprise A manage (the ``world`` fixture builds both sides); side "b"
is the other operator's. ``expected`` is written out in the test, letters "v"iew, "a"dd, "c"hange, "d"elete
per role, and not read from the model: a test must fail when the model's permissions change. Which sides a
role sees when it may view is ``scope`` (unrestricted roles see both, restricted roles side "a").

Every inherited test runs for each of the five roles (and each side where it matters), POSTs real writes and
checks the database: created, changed or deleted, with its change record; or refused (403 without the
permission, 404 outside the scope, 400 for data outside the scope) with the object as it was and no change
record. ``core/tests/test_generic.py`` fails naming any model of the surface registry without such a class.

The world is built once per class, in a transaction rolled back when the class is done; each test runs in a
savepoint inside it (pytest-django's ``db``), so every test finds the world as it was built. The world's
Python objects are shared by the class's tests: a test must not change them (build a sample instead).

``sample(world, side, **overrides)`` is also the hook for tests of a model's declared actions: it makes a new
object of that side in the state the overrides give, saved as it is, without the services, so that any state
can be set up. Outside the class: ``sample(world, Lease, "a", status=LeaseStatus.TERMINATED, terminated_on=…)``.
"""

import io
import json
from decimal import Decimal
from html import escape

import pytest
from django.db import transaction
from django.forms import CheckboxInput
from django.urls import NoReverseMatch, reverse

from core import audit
from core.access.permissions import in_scope
from core.importing import jobs, reading
from core.models import ImportBatch, ObjectChange
from core.reference import spreadsheets
from core.reference.choices import ChangeAction, ImportStatus
from core.reference.validators import organisation_code_check_char
from core.surfaces import surface_for
from core.surfaces.exports import export_value

from .testing import bearer, build_world

ROLES = ("admin", "officer", "leader", "operator", "enterprise", "expert")
SIDES = ("a", "b")
UNRESTRICTED = ("admin", "officer", "leader")

OUT_OF_SCOPE = "不在您的管理范围内"  # the 404 page
NO_PERMISSION = "您无权执行此操作"  # the 403 page
OUT_OF_SCOPE_IN_IMPORTS = "不在您管理的范围内"  # an import row naming something out of scope


def credit_code(number: int) -> str:
    """A valid unified social credit code, different for each ``number`` (the embedded organisation code and
    the final character carry their check characters)."""
    from stdnum.cn import uscc

    body = f"{number:08d}"
    head = "91440300" + body + organisation_code_check_char(body)
    return head + uscc.calc_check_digit(head)


def form_values(form) -> dict:
    """What a browser posts for an unchanged form: each enabled field's shown value (ids, dates as written,
    masks for personal data), a ticked checkbox as "on", an unticked one left out."""
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.name] = "on"
        elif value is None:
            data[bound.name] = ""
        elif isinstance(value, (list, tuple)):
            data[bound.name] = [str(v) for v in value]
        else:
            data[bound.name] = str(value)
    return data


def assert_field_messages(response) -> None:
    """A refused form names each field it refuses on the page, in Chinese ("楼宇：选择一个有效的选项…")."""
    form = response.context["form"]
    fields = [name for name in form.errors if name != "__all__"]
    assert fields, form.errors
    page = response.content.decode()
    for name in fields:
        assert f"{escape(str(form.fields[name].label))}：" in page, name
        assert all(chinese(message) for message in form.errors[name]), form.errors[name]


def assert_api_field_messages(response) -> None:
    """A refused API request names each field, its label and a Chinese message ("楼宇：…")."""
    errors = response.json()["errors"]
    assert errors and all(e["field"] and e["label"] for e in errors), errors
    for error in errors:
        label, _colon, message = error["message"].partition("：")
        assert label == error["label"] and chinese(message), error


def chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in str(text))


def as_posted(value):
    if isinstance(value, (list, tuple)):
        return [as_posted(v) for v in value]
    if hasattr(value, "pk"):
        return str(value.pk)
    return "" if value is None else str(value)


def as_json(value):
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal) or hasattr(value, "isoformat"):
        return str(value)
    return value


def workbook(row: dict) -> bytes:
    """An .xlsx with the row's headers and its one row (written as every workbook is, by core.reference.spreadsheets)."""
    book = spreadsheets.Book()
    sheet = book.sheet("导入")
    sheet.append(list(row))
    sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def exported_keys(response, fmt: str) -> set[str]:
    """The first column of an export's rows (its header left out), as text, read as an import reads a file."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    (_name, rows), *_others = reading.read_sheets(data, f"export.{fmt}")
    return {"" if row[0] is None else str(row[0]) for row in rows[1:] if row}


class ModelTests:
    """Inherit, declare the model, ``expected``, ``update`` and the sample data; every test below comes along."""

    model = None
    # role → what it may do with the model: "v"iew, "a"dd, "c"hange, "d"elete. Written out, never computed.
    expected: dict[str, str] = {}
    # role → the sides it sees when it may view; unrestricted roles see "ab", restricted ones "a" unless said.
    scope: dict[str, str] = {}
    # The sides a new object can be made on by the add form and the API: "a" alone when the model has no
    # place outside a scope to put one (an enterprise an operator records is its own).
    create_sides = "ab"
    # field → the value an edit (form, API and import) gives the sample; checked in the database afterwards.
    update: dict = {}

    # ----- what each model's class declares ---------------------------------------------------------------------
    def sample(self, world, side: str, **overrides):
        """A new object on ``side`` ("a": operator A's and enterprise A's; "b": operator B's), with no other record
        pointing at it (so that it can be deleted), the overrides applied. Samples of "a" and "b" differ in the
        first column of the model's list."""
        raise NotImplementedError

    def create_data(self, world, side: str) -> dict:
        """The add form's data for a new object on ``side`` (it may first make what the object needs, e.g. a
        vacant unit for a lease). Values: text, numbers, dates, objects (their ids) or lists of those."""
        raise NotImplementedError

    def api_create_data(self, world, side: str) -> dict:
        """The JSON an API client posts for a new object on ``side``; by default the form's data."""
        return self.create_data(world, side)

    def import_row(self, world, obj) -> dict | None:
        """{header: cell} of a spreadsheet row that finds ``obj`` by its natural key and gives it ``update``
        (None: the model has no import)."""
        return None

    # ----- what follows from the declarations ------------------------------------------------------------------
    @classmethod
    def declares_import(cls) -> bool:
        return cls.import_row is not ModelTests.import_row

    @property
    def surface(self):
        return surface_for(self.model)

    def may(self, role: str, letter: str) -> bool:
        return letter in self.expected[role]

    def sides_seen(self, role: str) -> str:
        return self.scope.get(role, "ab" if role in UNRESTRICTED else "a")

    def sees(self, role: str, side: str) -> bool:
        return self.may(role, "v") and side in self.sides_seen(role)

    def refusal(self, role: str, side: str, letter: str) -> int | None:
        """The status refusing ``letter`` on a sample of ``side``: 404 when the role does not see it, 403 when it
        sees it but may not; None when allowed."""
        if not self.sees(role, side):
            return 404
        if not self.may(role, letter):
            return 403
        return None

    def url(self, action: str, *args) -> str:
        return reverse(self.surface.url_name(action), args=args)

    def api_url(self, pk=None) -> str:
        base = f"/api/{self.surface.app_label}/{self.surface.slug}"
        return base if pk is None else f"{base}/{pk}"

    def pks(self) -> set:
        return set(self.model._default_manager.values_list("pk", flat=True))

    def stored(self, obj) -> dict:
        """The object's stored fields and links, as its change records show them."""
        return audit.snapshot(self.model._default_manager.get(pk=obj.pk))

    def changes_of(self, obj, action: str):
        return ObjectChange.objects.filter(content_type__app_label=self.model._meta.app_label,
                                           content_type__model=self.model._meta.model_name,
                                           object_id=str(obj.pk), action=action)

    def assert_updated(self, obj, user):
        fresh = self.model._default_manager.get(pk=obj.pk)
        for name, value in self.update.items():
            assert getattr(fresh, name) == value, (name, getattr(fresh, name), value)
        assert self.changes_of(obj, ChangeAction.UPDATE).filter(user_name=user.username).exists()

    def edit_data(self, obj, user) -> dict:
        """The edit form as the user's browser would post it, with ``update`` typed in."""
        form = self.surface.form(instance=obj, user=user)
        return {**form_values(form), **{name: as_posted(value) for name, value in self.update.items()}}

    def key_of(self, obj) -> str:
        """The object's cell in the first column of the list's export."""
        value = export_value(obj, self.surface.columns[0])
        return "" if value is None else str(value)

    # ----- the world, built once per class -----------------------------------------------------------------------
    @pytest.fixture(scope="class")
    @classmethod
    def world(cls, django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = build_world()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    @pytest.fixture(autouse=True)
    def _in_a_savepoint(self, world, db):
        """Each test's writes are undone after it (pytest-django's ``db``, inside the class's transaction)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.declares_import():  # a model without an import has no import tests (a class may also set a
            cls.test_import = cls.test_export_imports_back_unchanged = None  # test to None to leave it out, saying why)

    def pytest_generate_tests(self, metafunc):
        names = metafunc.fixturenames
        if "role" in names:
            metafunc.parametrize("role", ROLES)
        if "side" in names:
            metafunc.parametrize("side", SIDES)
        if "new_side" in names:
            metafunc.parametrize("new_side", list(self.create_sides))

    # ----- the declaration itself ----------------------------------------------------------------------------------
    def test_declares_every_role_and_a_surface(self):
        assert self.surface is not None, f"{self.model.__name__} has no Surface"
        assert sorted(self.expected) == sorted(ROLES), "write out the letters of every role"
        assert all(set(letters) <= set("vacd") for letters in self.expected.values())
        assert self.update, "declare the update an edit makes"
        assert self.declares_import() == (self.surface.importer is not None), (
            "declare import_row exactly when the surface has an importer")
        if not self.declares_import():
            with pytest.raises(NoReverseMatch):
                self.url("import")

    def test_sample_takes_overrides(self, world):
        """The hook that tests of actions use to make an object in a given state: the overrides are stored."""
        obj = self.sample(world, "a", **self.update)
        fresh = self.model._default_manager.get(pk=obj.pk)
        assert {name: getattr(fresh, name) for name in self.update} == self.update

    # ----- pages -------------------------------------------------------------------------------------------------
    def test_list(self, world, client_for, role):
        a, b = self.sample(world, "a"), self.sample(world, "b")
        response = client_for(world.users[role]).get(self.url("list"), {"per_page": 100})
        if not self.may(role, "v"):
            assert response.status_code == 403
            assert NO_PERMISSION in response.content.decode()
            return
        assert response.status_code == 200
        page = response.content.decode()
        for obj, side in ((a, "a"), (b, "b")):
            assert (f'href="{obj.get_absolute_url()}"' in page) is self.sees(role, side), (side, "listed")

    def test_detail(self, world, client_for, role, side):
        obj = self.sample(world, side)
        client = client_for(world.users[role])
        response = client.get(obj.get_absolute_url())
        changes = client.get(self.url("changes", obj.pk))
        if self.sees(role, side):
            assert (response.status_code, changes.status_code) == (200, 200)
            assert escape(str(obj)) in response.content.decode()
        else:
            assert (response.status_code, changes.status_code) == (404, 404)
            assert OUT_OF_SCOPE in response.content.decode()

    def test_create(self, world, client_for, role, new_side):
        user = world.users[role]
        client = client_for(user)
        url = self.url("add")
        shown = client.get(url).status_code
        data = {name: as_posted(value) for name, value in self.create_data(world, new_side).items()}
        before, records = self.pks(), ObjectChange.objects.count()
        response = client.post(url, data)
        new = self.pks() - before
        if not self.may(role, "a"):
            assert (shown, response.status_code) == (403, 403)
            assert NO_PERMISSION in response.content.decode()
        elif new_side not in self.sides_seen(role):
            assert (shown, response.status_code) == (200, 400)
            assert_field_messages(response)
        else:
            assert shown == 200
            assert response.status_code == 302, response.context["form"].errors if response.context else response
            assert len(new) == 1
            created = self.model._default_manager.get(pk=new.pop())
            assert response["Location"] == created.get_absolute_url()
            assert self.changes_of(created, ChangeAction.CREATE).filter(user_name=user.username).exists()
            assert in_scope(user, created)
            return
        assert not new and ObjectChange.objects.count() == records

    def test_edit(self, world, client_for, role, side):
        user = world.users[role]
        obj = self.sample(world, side)
        client = client_for(user)
        url = self.url("edit", obj.pk)
        refusal = self.refusal(role, side, "c")
        assert client.get(url).status_code == (refusal or 200)
        data = self.edit_data(obj, user)
        before, records = self.stored(obj), ObjectChange.objects.count()
        response = client.post(url, data)
        if refusal:
            assert response.status_code == refusal
            assert self.stored(obj) == before and ObjectChange.objects.count() == records
            return
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        assert response["Location"] == obj.get_absolute_url()
        self.assert_updated(obj, user)

    def test_delete(self, world, client_for, role, side):
        user = world.users[role]
        obj = self.sample(world, side)
        client = client_for(user)
        url = self.url("delete", obj.pk)
        refusal = self.refusal(role, side, "d")
        assert client.get(url).status_code == (refusal or 200)
        records = ObjectChange.objects.count()
        response = client.post(url)
        exists = self.model._default_manager.filter(pk=obj.pk).exists()
        if refusal:
            assert response.status_code == refusal
            assert exists and ObjectChange.objects.count() == records
            return
        assert response.status_code == 302, response.context.get("errors") if response.context else response
        assert response["Location"] == self.url("list")
        assert not exists
        assert self.changes_of(obj, ChangeAction.DELETE).filter(user_name=user.username).exists()

    # ----- export and import -----------------------------------------------------------------------------------------
    def test_export(self, world, client_for, role):
        a, b = self.sample(world, "a"), self.sample(world, "b")
        assert self.key_of(a) != self.key_of(b), "samples of a and b must differ in the list's first column"
        client = client_for(world.users[role])
        for fmt in ("xlsx", "csv"):
            response = client.get(self.url("export"), {"format": fmt})
            if not self.may(role, "v"):
                assert response.status_code == 403
                continue
            assert response.status_code == 200
            keys = exported_keys(response, fmt)
            for obj, side in ((a, "a"), (b, "b")):
                assert (self.key_of(obj) in keys) is self.sees(role, side), (fmt, side, keys)

    def test_import(self, world, client_for, role, side):
        """The import page, the check and the commit: rows update what the role may change in its scope; a row
        out of the scope is an error of its row, and nothing is written."""
        user = world.users[role]
        obj = self.sample(world, side)
        row = self.import_row(world, obj)
        client = client_for(user)
        upload = io.BytesIO(workbook(row))
        upload.name = "导入.xlsx"
        before, records = self.stored(obj), ObjectChange.objects.count()
        response = client.post(self.url("import"), {"file": upload})
        if not (self.may(role, "a") or self.may(role, "c")):
            assert response.status_code == 403
            assert not ImportBatch.objects.exists()
            return
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        batch = ImportBatch.objects.get(user=user)
        assert batch.status == ImportStatus.CHECKED, (batch.message, batch.errors)
        client.post(reverse("import_commit", args=[batch.pk]))
        batch.refresh_from_db()
        if self.refusal(role, side, "c"):
            assert batch.status != ImportStatus.COMMITTED
            assert batch.counts["error"] == 1
            if not self.sees(role, side):
                assert OUT_OF_SCOPE_IN_IMPORTS in json.dumps(batch.errors, ensure_ascii=False), batch.errors
            assert self.stored(obj) == before and ObjectChange.objects.count() == records
            return
        assert batch.status == ImportStatus.COMMITTED, (batch.message, batch.errors)
        assert batch.counts["update"] == 1, batch.counts
        self.assert_updated(obj, user)
        assert self.changes_of(obj, ChangeAction.UPDATE).filter(request_id=str(batch.uuid)).exists()

    def test_export_imports_back_unchanged(self, world, client_for):
        """An officer exports the list, and imports the file back: every row is found, none changes."""
        self.sample(world, "a"), self.sample(world, "b")
        officer = world.users["officer"]
        response = client_for(officer).get(self.url("export"), {"format": "xlsx"})
        content = b"".join(response.streaming_content) if response.streaming else response.content
        batch = jobs.batch_check(jobs.batch_create(user=officer, surface=self.surface, filename="导出.xlsx",
                                                   content=content))
        assert batch.status == ImportStatus.CHECKED, batch.message
        assert batch.counts["error"] == 0, batch.errors
        assert (batch.counts["create"], batch.counts["update"]) == (0, 0), batch.samples
        assert batch.counts["unchanged"] == self.model._default_manager.count()

    # ----- the API --------------------------------------------------------------------------------------------------
    def test_api_list(self, world, client, role):
        a, b = self.sample(world, "a"), self.sample(world, "b")
        response = client.get(self.api_url(), {"page_size": 500}, **bearer(world.users[role]))
        if not self.may(role, "v"):
            assert response.status_code == 403
            return
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        for obj, side in ((a, "a"), (b, "b")):
            assert (obj.pk in ids) is self.sees(role, side), side

    def test_api_get(self, world, client, role, side):
        obj = self.sample(world, side)
        response = client.get(self.api_url(obj.pk), **bearer(world.users[role]))
        if self.sees(role, side):
            assert response.status_code == 200 and response.json()["id"] == obj.pk
        else:
            assert response.status_code == 404

    def test_api_create(self, world, client, role, new_side):
        user = world.users[role]
        headers = bearer(user)
        payload = {name: as_json(value) for name, value in self.api_create_data(world, new_side).items()}
        before, records = self.pks(), ObjectChange.objects.count()
        empty = client.post(self.api_url(), data="{}", content_type="application/json", **headers)
        response = client.post(self.api_url(), data=json.dumps(payload), content_type="application/json", **headers)
        new = self.pks() - before
        if not self.may(role, "a"):
            assert (empty.status_code, response.status_code) == (403, 403)
        else:
            assert empty.status_code == 400  # an empty body: every required field named
            assert_api_field_messages(empty)
            if new_side not in self.sides_seen(role):
                assert response.status_code == 400
                assert_api_field_messages(response)
            else:
                assert response.status_code == 201, response.content.decode()
                assert new == {response.json()["id"]}
                created = self.model._default_manager.get(pk=response.json()["id"])
                assert self.changes_of(created, ChangeAction.CREATE).filter(user_name=user.username).exists()
                assert in_scope(user, created)
                return
        assert not new and ObjectChange.objects.count() == records

    def test_api_update(self, world, client, role, side):
        user = world.users[role]
        obj = self.sample(world, side)
        payload = {name: as_json(value) for name, value in self.update.items()}
        before, records = self.stored(obj), ObjectChange.objects.count()
        response = client.patch(self.api_url(obj.pk), data=json.dumps(payload), content_type="application/json",
                                **bearer(user))
        refusal = self.refusal(role, side, "c")
        if refusal:
            assert response.status_code == refusal
            assert self.stored(obj) == before and ObjectChange.objects.count() == records
            return
        assert response.status_code == 200, response.content.decode()
        self.assert_updated(obj, user)

    def test_api_delete(self, world, client, role, side):
        user = world.users[role]
        obj = self.sample(world, side)
        records = ObjectChange.objects.count()
        response = client.delete(self.api_url(obj.pk), **bearer(user))
        exists = self.model._default_manager.filter(pk=obj.pk).exists()
        refusal = self.refusal(role, side, "d")
        if refusal:
            assert response.status_code == refusal
            assert exists and ObjectChange.objects.count() == records
            return
        assert response.status_code == 204, response.content.decode()
        assert not exists
        assert self.changes_of(obj, ChangeAction.DELETE).filter(user_name=user.username).exists()


def sample(world, model, side: str = "a", **overrides):
    """A new object of ``model`` on ``side``, in the state the overrides give, made as the model's generic test
    class makes its samples: where a test of a declared action starts from (e.g. a lease in each source state)."""
    return declared_classes()[model]().sample(world, side, **overrides)


def models_without_class(declared: dict | None = None) -> list[str]:
    """The models of the surface registry that no generic test class declares."""
    from core.surfaces import discover

    declared = declared_classes() if declared is None else declared
    return sorted(model._meta.label for model in discover() if model not in declared)


def declared_classes() -> dict:
    """{model: its generic test class}, from every app's ``tests/test_generic.py``."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tests.test_generic")
    found, pending = {}, list(ModelTests.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.model is not None:
            found[cls.model] = cls
    return found
