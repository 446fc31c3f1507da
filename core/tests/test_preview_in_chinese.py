"""An import preview names every value in Chinese, the record's key included: a qualification's kind is its
label (国家高新技术企业), never its code (high_tech)."""

import io

from openpyxl import Workbook

from core.importing import jobs
from core.surfaces import surface_for
from enterprises.models import Qualification


def test_a_qualifications_key_shows_its_kind_by_name(world):
    workbook = Workbook()
    workbook.active.append(["统一社会信用代码", "类型", "发证日期"])
    workbook.active.append([world.tenant_a.credit_code, "国家高新技术企业", "2025-11-15"])
    content = io.BytesIO()
    workbook.save(content)
    batch = jobs.batch_create(user=world.users["officer"], surface=surface_for(Qualification), filename="q.xlsx",
                              content=content.getvalue())
    batch = jobs.batch_check(batch)
    [sample] = batch.samples
    assert sample["action"] == "create"
    assert "国家高新技术企业" in sample["key"] and "high_tech" not in sample["key"]
    assert world.tenant_a.name in sample["key"]
