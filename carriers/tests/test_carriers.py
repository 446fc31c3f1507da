"""Innovation carriers: the upgrade that keeps a history of levels, revocation, what a form may not set, and the
live counts by level, kind, zone and year, as each role sees them."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from carriers import selectors, services
from carriers.choices import CarrierStatus
from carriers.models import Carrier
from core.actions import Refused
from core.models import DomainEvent, ObjectChange
from spaces.models import Building, Park, Zone

D = datetime.date


def carrier(world, code, *, level="municipal", kind="key_lab", side="a", approved=D(2018, 5, 1), **fields):
    values = {"code": code, "name": f"载体{code}", "kind": kind, "level": level, "approved_on": approved,
              "host_enterprise": world.on(side).tenant, "zone": world.area, "building": world.on(side).building}
    return Carrier.objects.create(**{**values, **fields})


def upgrade(world, instance, **inputs):
    values = {"level": "provincial", "approved_on": D(2022, 11, 18), "code": f"{instance.code}-S",
              "name": "广东省新型显示重点实验室", "approval_document": "粤科函〔2022〕1186号", **inputs}
    return services.carrier_upgrade(user=world.users["officer"], instance=instance, **values)


@pytest.mark.django_db
def test_an_upgrade_records_the_successor_and_keeps_both_in_the_history(world, client_for):
    first = carrier(world, "K1", target_level="national")
    second = upgrade(world, first)
    first.refresh_from_db()
    assert (first.status, first.ended_on, first.end_reason) == (CarrierStatus.UPGRADED, D(2022, 11, 18), "升级为省级")
    assert (second.level, second.status, second.upgraded_from, second.host_enterprise) == (
        "provincial", "operating", first, world.tenant_a)
    assert second.target_level == "national"  # still sought: national is above provincial
    assert first.history() == [first, second] == second.history()
    third = upgrade(world, second, level="national", approved_on=D(2024, 3, 1), code="K1-N", name="国家新型显示重点实验室")
    assert third.target_level == ""  # reached
    assert [c.level for c in third.history()] == ["municipal", "provincial", "national"]
    assert DomainEvent.objects.filter(name="carriers.carrier.upgrade").count() == 2
    assert ObjectChange.objects.filter(object_id=str(second.pk), action="create").exists()
    page = client_for(world.users["officer"]).get(first.get_absolute_url()).content.decode()
    assert page.count('data-testid="history-step"') == 3
    assert "已升级" in page and "国家新型显示重点实验室" in page and "粤科函〔2022〕1186号" in page


@pytest.mark.django_db
def test_an_upgrade_goes_higher_from_an_operating_carrier_and_needs_a_free_code(world):
    first = carrier(world, "K2", level="provincial")
    with pytest.raises(ValidationError) as error:
        upgrade(world, first, level="municipal")
    assert "升级的级别须高于载体现有级别" in str(error.value.message_dict["level"])
    carrier(world, "TAKEN")
    with pytest.raises(ValidationError) as error:
        upgrade(world, first, level="national", code="TAKEN")
    assert "code" in error.value.message_dict
    with pytest.raises(Refused, match="已是最高级别"):
        upgrade(world, carrier(world, "K3", level="national"), level="national")
    preparing = carrier(world, "K4", status=CarrierStatus.PREPARING)
    with pytest.raises(Refused, match="不能"):
        upgrade(world, preparing)
    first.refresh_from_db()
    assert first.status == CarrierStatus.OPERATING and Carrier.objects.filter(upgraded_from__isnull=False).count() == 0


@pytest.mark.django_db
def test_revoking_needs_a_reason_and_a_day_after_the_approval(world):
    target = carrier(world, "R1")
    officer = world.users["officer"]
    with pytest.raises(ValidationError) as error:
        services.carrier_revoke(user=officer, instance=target, ended_on=D(2023, 1, 1), end_reason=" ")
    assert "请填写原因" in str(error.value.message_dict["end_reason"])
    with pytest.raises(ValidationError) as error:
        services.carrier_revoke(user=officer, instance=target, ended_on=D(2017, 1, 1), end_reason="评估不合格")
    assert "不能早于批准日期" in str(error.value.message_dict["ended_on"])
    services.carrier_revoke(user=officer, instance=target, ended_on=D(2023, 1, 1), end_reason="评估不合格")
    target.refresh_from_db()
    assert (target.status, target.ended_on, target.end_reason) == ("revoked", D(2023, 1, 1), "评估不合格")
    assert selectors.current_carriers(user=officer).filter(pk=target.pk).count() == 0
    with pytest.raises(ValidationError):  # its status stays as the action left it
        services.carrier_update(user=officer, instance=target, data={"status": "operating"})


@pytest.mark.django_db
def test_a_form_neither_ends_a_carrier_nor_places_it_outside_its_zone(world, client_for):
    officer = world.users["officer"]
    data = {"code": "N1", "name": "深圳市新型显示重点实验室", "kind": "key_lab", "level": "municipal",
            "approved_on": D(2021, 3, 15), "host_institution": "深圳大学", "building": world.building_a}
    with pytest.raises(ValidationError) as error:
        services.carrier_create(user=officer, data={**data, "status": "revoked", "ended_on": D(2022, 1, 1)})
    assert "须通过相应操作办理" in str(error.value.message_dict["status"])
    created = services.carrier_create(user=officer, data=data)
    assert created.zone == world.building_a.park.zone  # from its building, as no zone was named
    elsewhere = Zone.objects.create(code="meilin", name="梅林片区", kind="area", parent=world.zone)
    with pytest.raises(ValidationError) as error:
        services.carrier_create(user=officer, data={**data, "code": "N2", "zone": elsewhere})
    assert "不在梅林片区内" in str(error.value.message_dict["building"])
    response = client_for(officer).post("/carriers/carriers/add/", {
        "code": "N3", "name": "无依托载体", "kind": "key_lab", "level": "municipal", "status": "operating",
        "approved_on": "2021-03-15", "zone": world.area.pk, "host_enterprise": "", "host_institution": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "请填写依托主体" in page and not Carrier.objects.filter(code="N3").exists()


@pytest.fixture
def counted(world):
    """Side a: 3 operating (two municipal key labs, one provincial centre), one revoked, one upgraded into a
    provincial successor. Side b: one national platform in another zone, one being set up."""
    meilin = Zone.objects.create(code="meilin", name="梅林片区", kind="area", parent=world.zone)
    park = Park.objects.create(code="meilin-park", name="梅林科创园", zone=meilin, operator=world.op_b)
    building = Building.objects.create(park=park, code="ML1", name="梅林大厦")
    carrier(world, "A1", approved=D(2020, 3, 1))
    carrier(world, "A2", approved=D(2020, 4, 1))
    carrier(world, "A3", level="provincial", kind="engineering_centre", approved=D(2019, 1, 1))
    carrier(world, "A4", approved=D(2016, 1, 1), status="revoked", ended_on=D(2019, 12, 31), end_reason="撤销")
    upgrade(world, carrier(world, "A5", approved=D(2017, 1, 1)), approved_on=D(2020, 9, 1))
    carrier(world, "B1", level="national", kind="research_platform", side="b", zone=meilin, building=building,
            approved=D(2020, 6, 1))
    carrier(world, "B2", level="district", side="b", status="preparing", approved=D(2021, 6, 1))
    return meilin


@pytest.mark.django_db
def test_the_counts_are_live_and_follow_the_scope(world, counted, client_for):
    counts = selectors.carrier_counts(user=world.users["officer"])
    assert counts.total == 6  # A1 A2 A3 A5-S B1 B2: the revoked and the upgraded one do not count
    assert dict(counts.by_level) == {"municipal": 2, "provincial": 2, "national": 1, "district": 1}
    assert counts.municipal_or_above == 5
    assert counts.by_level_kind[("provincial", "key_lab")] == 1 and counts.by_level_kind[("municipal", "key_lab")] == 2
    assert [(name, total) for _id, name, _levels, total in counts.by_zone] == [("河套深港科技创新合作区", 5),
                                                                               ("梅林片区", 1)]
    # Approved each year, whatever became of them: 2020 has A1, A2, B1 and the upgrade's successor.
    assert [(year, total, upgrades) for year, _levels, total, upgrades in counts.by_year] == [
        (2021, 1, 0), (2020, 4, 1), (2019, 1, 0), (2017, 1, 0), (2016, 1, 0)]
    assert counts.new_in(2020) == 4 and counts.new_in(2018) == 0
    operator = selectors.carrier_counts(user=world.users["operator"])
    assert operator.total == 4 and operator.new_in(2020) == 3  # side a only: its parks' buildings
    enterprise = selectors.carrier_counts(user=world.users["enterprise"])
    assert enterprise.total == 4  # the carriers its enterprise hosts
    page = client_for(world.users["operator"]).get("/carriers/counts/").content.decode()
    assert 'data-testid="carriers-total">4<' in page and "梅林片区" not in page
    page = client_for(world.users["leader"]).get("/carriers/counts/").content.decode()
    assert 'data-testid="carriers-municipal-or-above">5<' in page and "梅林片区" in page and "其中升级" in page
    assert client_for(world.users["expert"]).get("/carriers/counts/").status_code == 403


@pytest.mark.django_db
def test_the_counts_export_to_a_sheet_of_labelled_rows(world, counted, client_for):
    response = client_for(world.users["officer"]).get("/carriers/counts/export/?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:2] == ["表", "行"] and header[-1] == "合计"
    by_zone = {row[1]: row[-1] for row in rows if row[0] == "现有载体：按片区"}
    assert by_zone == {"河套深港科技创新合作区": 5, "梅林片区": 1}
    years = {row[1]: row[-1] for row in rows if row[0] == "当年获批"}
    assert years["2020"] == 4 and years["2016"] == 1
    assert DomainEvent.objects.filter(name="core.export", data__report="carrier_counts").exists()


@pytest.mark.django_db
def test_the_history_shows_only_the_designations_the_user_may_see(world, client_for):
    """A successor moved to operator A's building: A sees it, but not its predecessor in operator B's."""
    earlier = carrier(world, "H1", side="b")
    later = upgrade(world, earlier)
    Carrier.objects.filter(pk=later.pk).update(building=world.building_a)
    page = client_for(world.users["operator"]).get(later.get_absolute_url()).content.decode()
    assert page.count('data-testid="history-step"') == 1 and earlier.name not in page
    officer_page = client_for(world.users["officer"]).get(later.get_absolute_url()).content.decode()
    assert officer_page.count('data-testid="history-step"') == 2
