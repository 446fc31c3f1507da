"""The import templates' example rows are rows the import accepts: a newcomer copies them first."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from core.importing import jobs
from core.models import ImportStatus
from core.surfaces import surface_for
from enterprises.models import Enterprise


def test_the_enterprise_templates_own_example_row_passes_its_import(world, client_for, monkeypatch):
    officer = world.users["officer"]
    template = client_for(officer).get(reverse("enterprises:enterprise_import_template")).content
    example_row = [cell.value for cell in load_workbook(io.BytesIO(template)).worksheets[0][2]]
    assert any(example_row), "the template has an example row"
    surface = surface_for(Enterprise)
    # The import skips a row equal to the example; read the template as if the row were the user's own.
    monkeypatch.setattr(surface.importer, "example", {})
    batch = jobs.batch_check(jobs.batch_create(user=officer, surface=surface, filename="企业导入模板.xlsx",
                                               content=template))
    assert batch.status == ImportStatus.CHECKED, batch.message
    assert batch.counts["error"] == 0, batch.errors
    assert batch.counts["create"] == 1
