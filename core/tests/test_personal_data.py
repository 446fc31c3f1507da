"""Personal data (a contact's name and mobile) never leaves the server in full except through the audited reveal:
not in the edit form, not in the Django admin, the API or exports; a mask sent back keeps the stored value."""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import DomainEvent, ObjectChange
from core.services import object_update
from yuanqu.testing import bearer

FULL_NAME, FULL_MOBILE = "张三丰", "13812345678"


class FormValues(HTMLParser):
    """The values a browser would send back for the form's inputs, as the page renders them."""

    def __init__(self):
        super().__init__()
        self.values, self._textarea = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("checkbox", "submit"):
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def form_values(html: str) -> dict:
    parser = FormValues()
    parser.feed(html)
    return parser.values


def edit_url(contact):
    return reverse("enterprises:contact_edit", args=[contact.pk])


@pytest.mark.parametrize("role", ["operator", "officer", "admin"])
def test_the_contact_edit_form_shows_the_name_and_mobile_masked_to_every_role(world, client_for, role):
    response = client_for(world.users[role]).get(edit_url(world.contact_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert FULL_MOBILE not in html and FULL_NAME not in html
    values = form_values(html)
    assert values["name"] == "张**" and values["mobile"] == "138****5678"
    assert "保持不变则保留原值" in html


def test_the_edit_form_stays_masked_after_an_audited_reveal(world, client_for):
    officer = client_for(world.users["officer"])
    revealed = officer.post(reverse("enterprises:contact_reveal", args=[world.contact_a.pk])).content.decode()
    assert FULL_MOBILE in revealed and DomainEvent.objects.filter(name="enterprises.contact.reveal").count() == 1
    html = officer.get(edit_url(world.contact_a)).content.decode()
    assert FULL_MOBILE not in html and FULL_NAME not in html


@pytest.mark.parametrize("role", ["operator", "officer"])
def test_saving_the_edit_form_unchanged_keeps_the_stored_name_and_mobile(world, client_for, role):
    client = client_for(world.users[role])
    data = form_values(client.get(edit_url(world.contact_a)).content.decode())
    data["title"] = "总经理"
    response = client.post(edit_url(world.contact_a), data)
    assert response.status_code == 302, response.content.decode()
    world.contact_a.refresh_from_db()
    assert (world.contact_a.name, world.contact_a.mobile, world.contact_a.title) == (FULL_NAME, FULL_MOBILE, "总经理")
    change = ObjectChange.objects.get(content_type__model="contact", action="update")
    assert set(change.data_after) - {"title"} == {key for key in change.data_before if key != "title"}
    assert [name for name, _before, _after in change.diff()] == ["title"]


def test_a_new_mobile_typed_over_the_mask_replaces_the_stored_one(world, client_for):
    client = client_for(world.users["operator"])
    data = form_values(client.get(edit_url(world.contact_a)).content.decode())
    data["mobile"] = "139 0000 1111"
    assert client.post(edit_url(world.contact_a), data).status_code == 302
    world.contact_a.refresh_from_db()
    assert (world.contact_a.name, world.contact_a.mobile) == (FULL_NAME, "13900001111")


def test_an_emptied_mobile_is_emptied(world, client_for):
    client = client_for(world.users["officer"])
    data = form_values(client.get(edit_url(world.contact_a)).content.decode())
    data["mobile"] = ""
    assert client.post(edit_url(world.contact_a), data).status_code == 302
    world.contact_a.refresh_from_db()
    assert world.contact_a.mobile == "" and world.contact_a.name == FULL_NAME


@pytest.mark.parametrize(("field", "value", "label"), [("mobile", "138****5679", "手机号码"), ("name", "张**丰", "名称")])
def test_a_partly_edited_mask_is_refused_naming_the_field(world, client_for, field, value, label):
    client = client_for(world.users["officer"])
    data = form_values(client.get(edit_url(world.contact_a)).content.decode())
    data[field] = value
    response = client.post(edit_url(world.contact_a), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{label}：请输入完整的值" in html
    assert FULL_MOBILE not in html and FULL_NAME not in html
    world.contact_a.refresh_from_db()
    assert (world.contact_a.name, world.contact_a.mobile) == (FULL_NAME, FULL_MOBILE)


def test_the_api_keeps_the_stored_mobile_when_sent_its_mask(world, client):
    url = f"/api/enterprises/contacts/{world.contact_a.pk}"
    response = client.patch(url, {"mobile": "138****5678", "title": "总经理"}, content_type="application/json",
                            **bearer(world.users["officer"]))
    assert response.status_code == 200, response.content
    assert FULL_MOBILE not in response.content.decode() and FULL_NAME not in response.content.decode()
    world.contact_a.refresh_from_db()
    assert world.contact_a.mobile == FULL_MOBILE and world.contact_a.title == "总经理"


def test_the_admin_change_record_and_event_pages_mask_personal_data(world, client_for):
    admin_user = world.users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    object_update(user=world.users["officer"], instance=world.contact_a, data={"mobile": "13900001111"})
    change = ObjectChange.objects.get(content_type__model="contact", action="update")
    client = client_for(admin_user)
    html = client.get(reverse("admin:core_objectchange_change", args=[change.pk])).content.decode()
    assert "138****5678" in html and "139****1111" in html
    assert FULL_MOBILE not in html and "13900001111" not in html
    listing = client.get(reverse("admin:core_objectchange_changelist")).content.decode()
    assert FULL_NAME not in listing and "13900001111" not in listing

    client.post(reverse("enterprises:contact_reveal", args=[world.contact_a.pk]))
    event = DomainEvent.objects.get(name="enterprises.contact.reveal")
    html = client.get(reverse("admin:core_domainevent_change", args=[event.pk])).content.decode()
    assert html.count("张**") >= 1 and FULL_NAME not in html and "13900001111" not in html


def test_contact_exports_and_lists_are_masked(world, client_for):
    client = client_for(world.users["officer"])
    text = b"".join(client.get(reverse("enterprises:contact_export"), {"format": "csv"}).streaming_content)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    data = b"".join(client.get(reverse("enterprises:contact_export"), {"format": "xlsx"}).streaming_content)
    sheet = [list(row) for row in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]
    for table in (rows, sheet):
        cells = [str(cell) for row in table for cell in row]
        assert FULL_MOBILE not in cells and FULL_NAME not in cells
        assert [table[1][0], table[1][3]] == ["张**", "138****5678"]
    page = client.get(reverse("enterprises:contact_list")).content.decode()
    assert FULL_MOBILE not in page and FULL_NAME not in page


def test_an_import_preview_masks_personal_data(world, monkeypatch):
    """Contacts have no import today; any surface with personal fields that gets one previews them masked."""
    from core.importing import jobs
    from core.importing.spec import ImportSpec
    from core.surfaces import surface_for
    from enterprises import surfaces
    from enterprises.models import Contact

    monkeypatch.setattr(surfaces.contact, "importer", ImportSpec(
        key=("enterprise", "title"), columns={"enterprise": surfaces.ENTERPRISE}))
    code = world.tenant_a.credit_code
    content = xlsx_bytes([["企业", "名称", "职务", "手机号码"],
                          [code, FULL_NAME, "行政经理", "13900001111"], [code, "李四海", "出纳", "13700002222"]])
    batch = jobs.batch_check(jobs.batch_create(user=world.users["officer"], surface=surface_for(Contact),
                                               filename="contacts.xlsx", content=content))
    assert batch.counts["update"] == 1 and batch.counts["create"] == 1, (batch.message, batch.errors)
    shown = str(batch.samples)
    assert "138****5678" in shown and "139****1111" in shown and "李**" in shown and "137****2222" in shown
    for full in (FULL_MOBILE, "13900001111", "李四海", "13700002222"):
        assert full not in shown


def shows_personal_field(model, path: str) -> bool:
    """Whether a column path ("mobile", "contact.mobile", "enterprise__name") ends on a personal field."""
    for part in path.replace("__", ".").split("."):
        if model is None:
            return False
        if part in getattr(model, "personal_fields", ()):
            return True
        try:
            model = model._meta.get_field(part).related_model
        except Exception:
            return False
    return False


def test_no_list_or_export_shows_a_personal_field_unmasked():
    from core.surfaces import discover
    from enterprises.models import Contact

    assert shows_personal_field(Contact, "mobile") and not shows_personal_field(Contact, "masked_mobile")
    for surface in discover().values():
        for column in surface.columns:
            for path in filter(None, (column.name, column.export)):
                assert not shows_personal_field(surface.model, path), f"{surface.name}: {path}"
