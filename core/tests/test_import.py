"""Importing spreadsheets: real files made here, through the same code the page, the worker and the
command use."""

import csv
import datetime
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.importing import jobs
from core.models import DomainEvent, ImportBatch, ImportStatus, ObjectChange
from core.surfaces import surface_for
from enterprises.models import Enterprise, Qualification
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Unit

UNIT_HEADER = ["楼宇编码", "楼层", "房号", "面积（㎡）", "用途", "租金"]


def xlsx(rows, *, title=None, group=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    if group:
        sheet.append(group)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def run(world, model, content, filename="data.xlsx", user="admin", commit=True, valid_only=False):
    batch = jobs.batch_create(user=world.users[user], surface=surface_for(model), filename=filename,
                              content=content, valid_only=valid_only)
    return jobs.batch_commit(batch) if commit else jobs.batch_check(batch)


def messy_units(world):
    return xlsx([
        UNIT_HEADER,
        ["a-1", "12F", "1203", "3,500㎡", "办公", "120元/㎡·月"],
        [None, None, None, None, None, None],
        ["ａ－１", "１２", "1204 ", "1.2万", "研发", "８８"],
        ["a-1", "12F", "1203", "3,500㎡", "办公", "120元/㎡·月"],  # the same row again
        ["a-1", 12, 1205.0, "  250\n", " 办公", None],
    ], title="2026年 科技楼A座 单元台账")


def test_messy_xlsx_is_read_checked_and_committed(world):
    batch = run(world, Unit, messy_units(world), commit=False)
    assert batch.status == ImportStatus.CHECKED, batch.message
    assert batch.counts == {"create": 3, "update": 0, "unchanged": 0, "duplicate": 1, "error": 0, "total": 4}
    assert not Unit.objects.filter(code="1203").exists()  # a preview keeps nothing

    batch = jobs.batch_commit(batch)
    assert batch.status == ImportStatus.COMMITTED
    unit = Unit.objects.get(building=world.building_a, code="1203")
    assert (unit.floor, unit.area, unit.use, unit.asking_rent) == (world.floor_a, Decimal("3500"), "office",
                                                                   Decimal("120"))
    assert Unit.objects.get(code="1204").area == Decimal("12000")
    assert Unit.objects.get(code="1204").use == "research"
    assert Unit.objects.get(code="1205").area == Decimal("250")
    # The unit service's rule applies: a new vacant unit starts its vacancy clock.
    assert unit.status == UnitStatus.VACANT and unit.vacant_since == datetime.date.today()
    # Searchable like one typed in by hand.
    assert Unit.objects.filter(search_text__contains="1203").exists()


def test_importing_the_same_file_twice_changes_nothing(world):
    content = messy_units(world)
    run(world, Unit, content)
    changes = ObjectChange.objects.count()
    again = run(world, Unit, content)
    assert again.counts["create"] == 0 and again.counts["update"] == 0 and again.counts["unchanged"] == 3
    assert ObjectChange.objects.count() == changes


def test_update_by_natural_key_and_blank_cells_keep_values(world):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1202", "", "", "99"]])
    batch = run(world, Unit, content, commit=False)
    assert batch.counts["update"] == 1
    assert batch.samples[0]["fields"] == [["挂牌租金（元/㎡/月）", "150", "99"]]
    jobs.batch_commit(batch)
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.asking_rent == Decimal("99") and world.unit_a2.area == Decimal("200.00")
    change = ObjectChange.objects.get(request_id=str(batch.uuid))
    assert change.data_before["asking_rent"] == "150.00" and change.data_after["asking_rent"] == "99"


def test_title_rows_and_merged_headings_above_the_header(world):
    content = xlsx([
        ["楼宇编码", "楼层", "单元编号", "建筑面积", "用途"],
        ["a-1", "12", "1210", "100", "办公"],
    ], title="台账", group=["位置", None, None, "面积信息", None])
    batch = run(world, Unit, content, commit=False)
    assert batch.counts["create"] == 1 and batch.counts["error"] == 0, batch.errors
    assert batch.ignored_columns == []


def test_header_merged_down_over_two_rows_with_sub_headings(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["楼宇编码", "楼层", "房号", "面积", "租赁信息", None])
    sheet.append([None, None, None, None, "用途", "租金"])
    for col in "ABCD":
        sheet.merge_cells(f"{col}1:{col}2")
    sheet.merge_cells("E1:F1")
    sheet.append(["a-1", "12", "1211", "100", "研发", "95"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = run(world, Unit, buffer.getvalue())
    assert batch.counts["create"] == 1 and batch.counts["error"] == 0, (batch.message, batch.errors)
    unit = Unit.objects.get(code="1211")
    assert (unit.area, unit.use, unit.asking_rent) == (Decimal("100"), "research", Decimal("95"))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_utf8_and_gbk(world, encoding):
    content = csv_bytes([UNIT_HEADER, ["a-1", "12", "1220", "1,000", "办公", ""]], encoding)
    batch = run(world, Unit, content, filename="units.csv")
    assert batch.status == ImportStatus.COMMITTED, batch.message
    assert Unit.objects.get(code="1220").area == Decimal("1000")


def test_errors_name_row_and_column_in_chinese(world):
    content = xlsx([UNIT_HEADER,
                    ["a-1", "12", "1230", "abc", "仓库", ""],
                    ["a-1", "99", "1231", "100", "办公", ""],
                    ["zz-9", "1", "1232", "100", "办公", ""]])
    batch = run(world, Unit, content, commit=False)
    assert batch.counts["error"] == 3
    by_line = {e["line"]: dict(e["errors"]) for e in batch.errors}
    assert "“abc”不是数字" in by_line[2]["面积（㎡）"]
    assert "仓库" in by_line[2]["用途"] and "办公" in by_line[2]["用途"]
    assert "99" in by_line[3]["楼层"]
    assert "zz-9" in by_line[4]["楼宇"]


def test_any_error_commits_nothing(world):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1240", "100", "办公", ""], ["a-1", "12", "1241", "-5", "办公", ""]])
    batch = run(world, Unit, content)
    assert batch.status == ImportStatus.REFUSED
    assert "1" in batch.message
    assert not Unit.objects.filter(code__in=["1240", "1241"]).exists()
    assert not ObjectChange.objects.filter(request_id=str(batch.uuid)).exists()


def test_valid_only_imports_the_rest_and_the_error_workbook_explains(world):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1240", "100", "办公", ""], ["a-1", "12", "1241", "-5", "办公", ""]],
                   title="台账")
    batch = run(world, Unit, content, valid_only=True)
    assert batch.status == ImportStatus.COMMITTED
    assert Unit.objects.filter(code="1240").exists() and not Unit.objects.filter(code="1241").exists()
    sheet = load_workbook(os.path.join(batch.error_file.storage.location, batch.error_file.name)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == tuple(UNIT_HEADER) and rows[0][-1] == "错误原因" and rows[0][-2] == "原行号"
    assert rows[1][2] == "1241" and rows[1][-2] == 4
    assert "面积（㎡）" in rows[1][-1]
    area_cell = sheet.cell(row=2, column=4)
    assert area_cell.fill.fgColor.rgb.endswith("FFC7CE")  # the bad cell is highlighted
    assert not sheet.cell(row=2, column=3).fill.fgColor.rgb.endswith("FFC7CE")


def test_conflicting_repeats_of_a_key_are_errors(world):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1250", "100", "办公", ""], ["a-1", "12", "1250", "200", "办公", ""]])
    batch = run(world, Unit, content, commit=False)
    assert batch.counts["error"] == 1 and "第 2 行" in batch.errors[0]["errors"][0][1]


def test_operator_imports_only_into_its_own_parks(world):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1260", "100", "办公", ""], ["b-1", "3", "360", "100", "办公", ""],
                    ["b-1", "3", "301", "999", "办公", ""]])
    batch = run(world, Unit, content, user="operator")
    assert batch.status == ImportStatus.REFUSED
    errors = {e["line"]: dict(e["errors"]) for e in batch.errors}
    assert "不在您管理的范围内" in errors[3]["楼宇"] and "不在您管理的范围内" in errors[4]["楼宇"]
    world.unit_b1.refresh_from_db()
    assert world.unit_b1.area == Decimal("300.00")


def test_leader_and_enterprise_users_may_not_import(world, client_for):
    for name in ("leader", "enterprise"):
        client = client_for(world.users[name])
        assert client.get(reverse("spaces:unit_import")).status_code == 403
        assert client.post(reverse("spaces:unit_import"),
                           {"file": io.BytesIO(messy_units(world))}).status_code == 403
    assert not ImportBatch.objects.exists()


def test_template_has_chinese_headers_example_and_instructions(world, client_for):
    response = client_for(world.users["operator"]).get(reverse("spaces:unit_import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, notes = workbook.worksheets[0], workbook.worksheets[1]
    headers = [c.value for c in data[1]]
    assert headers[:3] == ["楼宇 *", "楼层 *", "单元号 *"]
    assert data["A2"].value == "DEMO-P01-A"
    assert notes.title == "填写说明"
    area_note = next(row for row in notes.iter_rows(values_only=True) if row[0] == "面积（㎡）")
    assert area_note[1] == "是" and "1.2万" in area_note[2]
    assert "允许值" in [s.title for s in workbook.worksheets]
    # The template, filled below its example row, imports; the example row itself is skipped.
    data.append(["a-1", "12", "1270", "100", "办公"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = run(world, Unit, buffer.getvalue(), user="operator", commit=False)
    assert batch.counts["create"] == 1 and batch.counts["error"] == 0, batch.errors


def test_enterprises_by_credit_code_aliases_and_wan_yuan(world):
    content = xlsx([["企业名称", "信用代码", "所属行业", "成立日期", "注册资本"],
                    ["深圳新导入科技有限公司", "91440101MA5CJQ4N59", "应用软件开发", "2019年3月15日", "500万"],
                    ["荣耀终端有限公司", "９１４４０３００１９２２０３８２１６", "6511", 43800, "1.2亿"]])
    batch = run(world, Enterprise, content)
    assert batch.status == ImportStatus.COMMITTED, (batch.message, batch.errors)
    assert batch.counts["create"] == 1 and batch.counts["update"] == 1
    new = Enterprise.objects.get(credit_code="91440101MA5CJQ4N59")
    assert new.established_on == datetime.date(2019, 3, 15) and new.registered_capital == Decimal("500")
    world.tenant_a.refresh_from_db()
    assert world.tenant_a.registered_capital == Decimal("12000")
    assert world.tenant_a.established_on == datetime.date(2019, 12, 1)


def test_enterprise_with_a_bad_credit_code_is_an_error(world):
    content = xlsx([["企业名称", "统一社会信用代码"], ["坏代码公司", "91440300MA5FUB5E0X"]])
    batch = run(world, Enterprise, content, commit=False)
    assert batch.counts["error"] == 1 and "统一社会信用代码" in dict(batch.errors[0]["errors"])


def lease_file(world, start, units="1202"):
    return xlsx([["统一社会信用代码", "楼宇编码", "单元号", "合同编号", "起租日", "到期日", "租金"],
                 [world.tenant_b.credit_code, "a-1", units, "HT-IMP-1", start, "2030-12-31", "130"]])


def test_lease_import_runs_the_lease_rules_and_rolls_back(world):
    today = datetime.date.today()
    overlapping = run(world, Lease, lease_file(world, today.isoformat(), "1201、1202"), commit=False)
    assert overlapping.counts["error"] == 1
    assert "1201" in dict(overlapping.errors[0]["errors"])["单元"]

    batch = run(world, Lease, lease_file(world, today.isoformat()))
    assert batch.status == ImportStatus.COMMITTED, (batch.message, batch.errors)
    lease = Lease.objects.get(contract_number="HT-IMP-1")
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.LEASED and lease.leased_area == Decimal("200.00")
    assert run(world, Lease, lease_file(world, today.isoformat())).counts["unchanged"] == 1

    undone = jobs.batch_rollback(user=world.users["admin"], instance=batch).undone
    assert undone == 2  # the lease, and the unit it leased
    assert not Lease.objects.filter(contract_number="HT-IMP-1").exists()
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.VACANT
    batch.refresh_from_db()
    assert batch.status == ImportStatus.ROLLED_BACK
    assert DomainEvent.objects.filter(name="core.import.rollback").exists()


def test_rollback_refused_once_something_else_changed_the_rows(world, client_for):
    batch = run(world, Unit, xlsx([UNIT_HEADER, ["a-1", "12", "1280", "100", "办公", ""]]))
    unit = Unit.objects.get(code="1280")
    surface_for(Unit).update(user=world.users["officer"], instance=unit,
                             data={"building": unit.building, "floor": unit.floor, "code": "1280",
                                   "area": Decimal("120"), "use": "office", "asking_rent": None,
                                   "government_owned": False, "status": UnitStatus.VACANT})
    assert jobs.rollback_blockers(batch)
    response = client_for(world.users["admin"]).post(reverse("import_rollback", args=[batch.pk]), follow=True)
    assert "导入后被修改" in response.content.decode()
    assert Unit.objects.filter(code="1280").exists()


def test_only_the_administrator_rolls_back(world, client_for):
    batch = run(world, Unit, xlsx([UNIT_HEADER, ["a-1", "12", "1281", "100", "办公", ""]]), user="operator")
    assert client_for(world.users["operator"]).post(reverse("import_rollback", args=[batch.pk])).status_code == 403
    assert Unit.objects.filter(code="1281").exists()
    client_for(world.users["admin"]).post(reverse("import_rollback", args=[batch.pk]))
    assert not Unit.objects.filter(code="1281").exists()
    deleted = ObjectChange.objects.filter(action="delete", object_repr__contains="1281").get()
    assert deleted.user == world.users["admin"]


def test_every_imported_change_is_audited_under_its_batch(world):
    batch = run(world, Unit, messy_units(world))
    records = ObjectChange.objects.filter(request_id=str(batch.uuid))
    assert records.count() == 3
    assert set(records.values_list("user_name", flat=True)) == {"t_admin"}
    assert records.filter(content_type=ContentType.objects.get_for_model(Unit), action="create").count() == 3
    assert DomainEvent.objects.filter(name="core.import.commit", data__batch=str(batch.uuid)).exists()


def test_upload_preview_and_commit_through_the_pages(world, client_for):
    client = client_for(world.users["operator"])
    upload = io.BytesIO(messy_units(world))
    upload.name = "台账.xlsx"
    response = client.post(reverse("spaces:unit_import"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "已检查" in page and "确认导入" in page and "1203" in page
    client.post(reverse("import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert "已导入" in client.get(reverse("import_list")).content.decode()
    # Another operator does not see the batch.
    other = client_for(world.users["operator_b"])
    assert other.get(batch.get_absolute_url()).status_code == 404
    assert other.post(reverse("import_commit", args=[batch.pk])).status_code == 404


def test_upload_refuses_other_file_types_with_a_chinese_message(world, client_for):
    upload = io.BytesIO(b"hello")
    upload.name = "notes.txt"
    response = client_for(world.users["officer"]).post(reverse("spaces:unit_import"), {"file": upload})
    assert response.status_code == 400 and "请上传 .xlsx 或 .csv 文件" in response.content.decode()


def test_a_file_without_the_key_columns_is_refused_whole(world):
    batch = run(world, Unit, xlsx([["名称", "备注"], ["x", "y"]]), commit=False)
    assert batch.status == ImportStatus.REFUSED and "楼宇" in batch.message


def test_command_line_dry_run_commit_and_template(world, tmp_path, capsys):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([UNIT_HEADER, ["a-1", "12", "1290", "100", "办公", ""], ["a-1", "12", "1291", "x", "办公", ""]]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_data", "unit", str(path), "--dry-run", "--user", "t_officer")
    assert exit_info.value.code == 1
    output = capsys.readouterr().out
    assert "created 1" in output and "errors 1" in output
    assert (tmp_path / "units.errors.xlsx").exists()
    assert not Unit.objects.filter(code="1290").exists()
    with pytest.raises(SystemExit):
        call_command("import_data", "unit", str(path), "--user", "t_officer")
    assert not Unit.objects.filter(code="1290").exists()
    call_command("import_data", "units", str(path), "--valid-only", "--user", "t_officer")
    assert Unit.objects.filter(code="1290").exists()
    template = tmp_path / "t.xlsx"
    call_command("import_data", "--template", "lease", str(template))
    headers = [c.value for c in load_workbook(template).active[1]]
    assert headers[:3] == ["企业 *", "楼宇 *", "单元 *"]


def test_command_line_exit_code_in_a_real_process(tmp_path):
    """The documented contract: non-zero when nothing was committed (here: the model is unknown)."""
    result = subprocess.run([sys.executable, "manage.py", "import_data", "nosuchmodel", str(tmp_path / "x.xlsx")],
                            capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                                os.path.abspath(__file__)))))
    assert result.returncode != 0 and "Unknown model" in result.stderr


def test_commit_checks_again_when_data_changed_since_the_preview(world):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1300", "100", "办公", ""]])
    batch = run(world, Unit, content, commit=False)
    assert batch.counts["create"] == 1
    # Meanwhile someone records the same unit by hand.
    surface_for(Unit).create(user=world.users["officer"], model=Unit, data={
        "building": world.building_a, "floor": world.floor_a, "code": "1300", "area": Decimal("90"),
        "use": "office", "status": UnitStatus.VACANT})
    batch = jobs.batch_commit(batch)
    assert batch.status == ImportStatus.COMMITTED
    assert batch.counts["create"] == 0 and batch.counts["update"] == 1  # checked again, not a duplicate insert
    assert Unit.objects.get(code="1300").area == Decimal("100")
    assert not os.path.exists(jobs._checked_path(batch))


def test_a_new_unit_cannot_be_imported_as_leased(world):
    batch = run(world, Unit, xlsx([UNIT_HEADER + ["状态"], ["a-1", "12", "1310", "100", "办公", "", "已出租"]]),
                commit=False)
    assert batch.counts["error"] == 1 and "状态" in dict(batch.errors[0]["errors"])


def test_buildings_by_name_unless_the_name_is_shared(world):
    from spaces.models import Building, Floor

    content = xlsx([UNIT_HEADER, ["科技楼A座", "12", "1320", "100", "办公", ""]])
    assert run(world, Unit, content, commit=False).counts["create"] == 1
    twin = Building.objects.create(park=world.park_a, code="a-2", name="科技楼A座")
    Floor.objects.create(building=twin, number=12)
    batch = run(world, Unit, content, commit=False)
    assert batch.counts["error"] == 1
    assert "对应 2 条记录，请改填编码" in dict(batch.errors[0]["errors"])["楼宇"]
    # A name keeps its inner spaces.
    Building.objects.filter(pk=twin.pk).update(name="科技楼 B座")
    spaced = xlsx([UNIT_HEADER, ["科技楼 B座", "12", "1321", "100", "办公", ""]])
    assert run(world, Unit, spaced, commit=False).counts["create"] == 1
    # A code always wins over a name.
    assert run(world, Unit, xlsx([UNIT_HEADER, ["a-2", "12", "1320", "100", "办公", ""]]),
               commit=False).counts["create"] == 1


def test_operator_imported_tenants_are_registered_by_its_operator(world):
    content = xlsx([["企业名称", "统一社会信用代码"], ["运营方导入的租户", "91440101MA5CJQ4N59"]])
    batch = run(world, Enterprise, content, user="operator")
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    created = Enterprise.objects.get(credit_code="91440101MA5CJQ4N59")
    assert created.registered_by == world.op_a
    assert Enterprise.objects.for_user(world.users["operator"]).filter(pk=created.pk).exists()
    # An enterprise outside the operator's scope is not changed through an import.
    outside = xlsx([["企业名称", "统一社会信用代码"], ["改名", world.tenant_b.credit_code]])
    batch = run(world, Enterprise, outside, user="operator", commit=False)
    assert batch.counts["error"] == 1 and "不在您管理的范围内" in batch.errors[0]["errors"][0][1]


def test_qualifications_import_with_validity_from_the_rule_in_force(world):
    content = xlsx([["统一社会信用代码", "资质类型", "证书编号", "发证日期"],
                    [world.tenant_a.credit_code, "国家高新技术企业", "GR202344200001", "2023年11月15日"]])
    batch = run(world, Qualification, content)
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    qualification = Qualification.objects.get(certificate_number="GR202344200001")
    assert qualification.enterprise == world.tenant_a
    assert qualification.valid_until == datetime.date(2026, 11, 14)


def test_the_administrator_follows_a_batch_to_its_change_records(world, client_for):
    batch = run(world, Unit, messy_units(world), user="operator")
    client = client_for(world.users["admin"])
    page = client.get(batch.get_absolute_url()).content.decode()
    link = f"/changes/?request_id={batch.uuid}"
    assert link in page
    listed = client.get(link).content.decode()
    assert listed.count("1203") >= 1 and "1204" in listed and "1201" not in listed


def test_old_import_files_are_pruned_and_the_history_stays(world, client_for):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1240", "100", "办公", ""], ["a-1", "12", "1241", "-5", "办公", ""]])
    committed = run(world, Unit, content, valid_only=True)  # has an upload and an error workbook
    checked = run(world, Unit, xlsx([UNIT_HEADER, ["a-1", "12", "1250", "90", "办公", ""]]), commit=False)
    recent = run(world, Unit, xlsx([UNIT_HEADER, ["a-1", "12", "1260", "90", "办公", ""]]), commit=False)
    files = [committed.file.path, committed.error_file.path, checked.file.path, jobs._checked_path(checked)]
    assert all(os.path.exists(path) for path in files)
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=200)
    ImportBatch.objects.filter(pk__in=[committed.pk, checked.pk]).update(created=long_ago)

    call_command("import_prune", "--days", "180", stdout=io.StringIO())

    assert not any(os.path.exists(path) for path in files)
    committed.refresh_from_db()
    checked.refresh_from_db()
    recent.refresh_from_db()
    assert not committed.file and not committed.error_file and committed.count("create") == 1
    assert ObjectChange.objects.filter(request_id=str(committed.uuid)).exists()
    assert recent.file and os.path.exists(recent.file.path)
    assert not jobs.may_commit(checked) and jobs.may_commit(recent)
    assert DomainEvent.objects.filter(name="core.import.prune").get().data["batches"] == 2
    page = client_for(world.users["admin"]).get(reverse("import_detail", args=[checked.pk])).content.decode()
    assert 'data-testid="pruned"' in page and 'data-testid="commit"' not in page
    assert client_for(world.users["admin"]).get(reverse("import_errors", args=[committed.pk])).status_code == 404
    out = io.StringIO()
    call_command("import_prune", stdout=out)  # nothing left to remove
    assert "0 个导入批次" in out.getvalue()


def test_only_the_uploader_is_offered_the_valid_rows_of_a_checked_file(world, client_for):
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1290", "100", "办公", ""], ["a-1", "12", "1291", "-5", "办公", ""]])
    batch = run(world, Unit, content, user="officer", commit=False)
    url = reverse("import_detail", args=[batch.pk])
    assert 'data-testid="commit-valid"' in client_for(world.users["officer"]).get(url).content.decode()
    page = client_for(world.users["leader"]).get(url).content.decode()  # leaders see every batch
    assert 'data-testid="commit-valid"' not in page and 'data-testid="rollback"' not in page
    assert reverse("spaces:unit_import") not in page  # nor "upload another file": leaders import nothing
    assert client_for(world.users["leader"]).post(reverse("import_commit", args=[batch.pk]),
                                                  {"valid_only": "1"}).status_code == 403
    assert not Unit.objects.filter(code="1290").exists()


def test_a_row_reports_every_error_in_one_upload(world):
    """A cell that cannot be read does not hide what the form says about the row's other cells."""
    content = xlsx([UNIT_HEADER, ["a-1", "12", "1250", "abc", "办公", "-5"]])
    batch = run(world, Unit, content, commit=False)
    errors = dict(batch.errors[0]["errors"])
    assert "“abc”不是数字" in errors["面积（㎡）"]  # a reading error
    assert "大于或等于0" in errors["挂牌租金（元/㎡/月）"]  # and the form's error on another column, in the same upload


def test_the_preview_shows_yes_and_no_in_chinese(world):
    content = xlsx([["楼宇编码", "楼层", "房号", "政府产业用房"], ["a-1", "12", "1202", "是"]])
    batch = run(world, Unit, content, commit=False)
    assert batch.samples[0]["fields"] == [["政府产业用房", "否", "是"]]  # not False → True


def test_a_rolled_back_batch_says_what_was_rolled_back(world, client_for):
    batch = run(world, Unit, xlsx([UNIT_HEADER, ["a-1", "12", "1282", "100", "办公", ""],
                                   ["a-1", "12", "1202", "", "", "99"]]))
    client = client_for(world.users["admin"])
    client.post(reverse("import_rollback", args=[batch.pk]))
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "新增的 1 条记录已删除，修改的 1 条记录已恢复原值" in page
    assert "已新增，回滚时已删除" in page and "已修改，回滚时已恢复" in page
    assert "将新增" not in page and "将修改" not in page
