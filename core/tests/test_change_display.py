"""Change records as people read them (core/audit/changes.py): names for ids within the viewer's scope, labels for
codes, no empty or internal fields, times in the district's time zone."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import audit
from core.audit.changes import readable_changes
from core.models import ObjectChange, User
from core.reference.choices import ChangeAction
from core.services import object_update
from enterprises.models import Contact
from leasing import services as lease_services
from spaces import services as space_services
from spaces.models import Floor, Unit

TODAY = datetime.date.today()


def change_cells(page: str) -> list[list[str]]:
    """The rows of the page's change-record table, as the text of their cells."""
    table = re.search(r'<table[^>]*data-testid="change-records".*?</table>', page, re.S).group(0)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def field_values(page: str) -> dict[str, tuple[str, str]]:
    """{field label: (before, after)} of the page's change records (the newest record wins)."""
    found = {}
    for cells in reversed(change_cells(page)):
        if len(cells) >= 6:  # the record's first row: time, user, action, field, before, after, request id
            cells = cells[3:6]
        elif len(cells) == 3:
            pass
        else:
            continue
        found[cells[0]] = (cells[1], cells[2])
    return found


def new_lease(world, units):
    return lease_services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_a, "units": units, "start_date": TODAY + datetime.timedelta(days=400),
        "end_date": TODAY + datetime.timedelta(days=800), "monthly_rent": Decimal("120"),
        "contract_number": "HT-NEW-1"})


def test_the_enterprise_reads_its_leases_park_and_units_by_name(world, client_for):
    lease = new_lease(world, [world.unit_a2])
    page = client_for(world.users["enterprise"]).get(reverse("leasing:lease_changes", args=[lease.pk])).content.decode()
    values = field_values(page)
    assert values["园区"] == ("—", world.park_a.name)
    assert values["单元"] == ("—", "科技楼A座 1202")
    assert values["企业"] == ("—", world.tenant_a.name)
    assert not re.search(r"#\d", page)


def test_an_object_outside_the_viewers_scope_reads_not_visible_never_an_id(world, client_for):
    # The lease held another operator's unit before it moved to unit 1202 of operator A's building.
    audit.record_change(instance=world.lease_a, action=ChangeAction.UPDATE, user=world.users["officer"],
                        before={"units": [world.unit_b1.pk], "park": world.park_b.pk},
                        after={"units": [world.unit_a1.pk], "park": world.park_a.pk})
    for role in ("enterprise", "operator"):
        page = client_for(world.users[role]).get(world.lease_a.get_absolute_url()).content.decode()
        values = field_values(page)
        assert values["单元"] == ("（无权查看）", "科技楼A座 1201"), role
        assert values["园区"] == ("（无权查看）", world.park_a.name), role
        assert world.park_b.name not in page and "时尚大厦" not in page
        assert f"#{world.unit_b1.pk}" not in page and f"#{world.park_b.pk}" not in page
    officer = field_values(client_for(world.users["officer"]).get(world.lease_a.get_absolute_url()).content.decode())
    assert officer["单元"] == ("时尚大厦 301", "科技楼A座 1201")
    assert officer["园区"] == (world.park_b.name, world.park_a.name)


def test_names_cost_one_query_per_model_whatever_the_number_of_records(world):
    floor = Floor.objects.create(building=world.building_a, number=30)

    def records(n):
        units = [Unit.objects.create(building=world.building_a, floor=floor, code=f"Q{n}-{i}", area=Decimal("10"))
                 for i in range(n)]
        for unit in units:
            audit.record_change(instance=world.lease_a, action=ChangeAction.UPDATE, user=world.users["officer"],
                                before={"units": [world.unit_a1.pk], "park": world.park_b.pk},
                                after={"units": [unit.pk], "park": world.park_a.pk})
        return list(ObjectChange.objects.filter(object_id=str(world.lease_a.pk)).order_by("-id")[:n])

    def queries(changes):
        with CaptureQueriesContext(connection) as captured:
            rows = readable_changes(changes, user=world.users["operator"], instance=world.lease_a)
        assert all("#" not in f.after for row in rows for f in row.fields)
        return len(captured)

    assert queries(records(2)) == queries(records(20))


def test_choices_and_yes_no_read_as_labels(world, client_for):
    unit = Unit.objects.get(pk=world.unit_a2.pk)
    space_services.unit_update(user=world.users["officer"], instance=unit,
                               data={"status": "reserved", "government_owned": True})
    audit.record_change(instance=unit, action=ChangeAction.UPDATE, user=None,
                        before={"status": "reserved"}, after={"status": "leased"})
    page = client_for(world.users["officer"]).get(reverse("spaces:unit_changes", args=[unit.pk])).content.decode()
    values = field_values(page)
    assert values["政府产业用房"] == ("否", "是")
    assert values["状态"] == ("已预留", "已出租")
    for code in ("leased", "reserved", "vacant", "True", "False"):
        assert f">{code}<" not in page


def test_a_create_shows_only_filled_fields_and_no_internal_ones(world, client_for):
    admin = client_for(world.users["admin"])
    response = admin.post(reverse("user_add"), {"username": "new_officer", "display_name": "新经办人", "email": "",
                                                "role": "bureau_officer", "is_active": "on",
                                                "password": "Yq-long-enough-2026"})
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="new_officer")
    page = admin.get(reverse("user_detail", args=[account.pk])).content.decode()
    values = field_values(page)
    for internal in ("密码", "上次登录", "职员状态", "超级用户状态", "组", "用户权限"):
        assert internal not in values, internal
    assert "电子邮件地址" not in values  # left empty
    assert values["用户名"] == ("—", "new_officer") and values["角色"] == ("—", "经办人")
    joined = account.date_joined.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert values["加入日期"] == ("—", joined)
    assert "+00:00" not in page


def test_record_times_are_in_the_district_time_zone(world, client_for):
    change = audit.record_change(instance=world.park_a, action=ChangeAction.UPDATE, user=world.users["officer"],
                                 before={"name": "旧名"}, after={"name": world.park_a.name})
    when = datetime.datetime(2026, 6, 30, 22, 5, tzinfo=datetime.UTC)  # stored in UTC
    row = readable_changes([ObjectChange(time=when, content_type_id=change.content_type_id, object_id="1",
                                         action="update", data_before={}, data_after={})],
                           user=world.users["officer"])[0]
    assert row.time == "2026-07-01 06:05:00"
    page = client_for(world.users["admin"]).get(reverse("change_list")).content.decode()
    shown = change.time.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert shown in page and "旧名 → " + world.park_a.name in re.sub(r"<[^>]+>", "", page)


def test_personal_data_is_masked_through_the_models_hook(world, client_for, monkeypatch):
    contact = Contact.objects.get(pk=world.contact_a.pk)
    object_update(user=world.users["officer"], instance=contact, data={"mobile": "13900001111", "title": "总经理"})
    url = reverse("enterprises:contact_changes", args=[contact.pk])
    client = client_for(world.users["officer"])
    values = field_values(client.get(url).content.decode())
    assert values["手机号码"] == ("138****5678", "139****1111")
    monkeypatch.setattr(Contact, "audit_masked", {"title": lambda value: value[0] + "**"}, raising=False)
    values = field_values(client.get(url).content.decode())
    assert values["职务"] == ("行**", "总**")
