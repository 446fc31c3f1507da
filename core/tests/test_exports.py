"""List pages export their rows — scope, filters and sort included — to .xlsx and .csv with Chinese headers."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import DomainEvent


def xlsx_rows(response):
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_unit_export_has_the_tables_columns_in_chinese_and_the_users_scope(world, client_for):
    response = client_for(world.users["operator"]).get(reverse("spaces:unit_export"), {"format": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:4] == ["单元号", "楼宇", "楼层", "面积（㎡）"]
    codes = sorted(row[0] for row in rows[1:])
    assert codes == ["1101", "1201", "1202"]  # not operator B's unit 301
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["1201"][1] == "科技楼A座" and by_code["1201"][2] == "12F"
    assert by_code["1201"][3] == 600 and by_code["1201"][6] == "已出租"


def test_export_follows_the_filters_and_sort(world, client_for):
    client = client_for(world.users["officer"])
    rows = csv_rows(client.get(reverse("spaces:unit_export"), {"format": "csv", "status": "leased", "sort": "-area"}))
    assert [row[0] for row in rows[1:]] == ["1201", "301"]


def test_lease_export_joins_units_and_uses_labels(world, client_for):
    rows = csv_rows(client_for(world.users["enterprise"]).get(reverse("leasing:lease_export"), {"format": "csv"}))
    assert len(rows) == 2 and rows[1][0] == "HT-A-001" and rows[1][2] == "科技楼A座 1201" and rows[1][-1] == "生效中"


def test_contacts_export_masked(world, client_for):
    rows = csv_rows(client_for(world.users["officer"]).get(reverse("enterprises:contact_export"), {"format": "csv"}))
    assert "13812345678" not in str(rows) and "138****5678" in str(rows)


def test_export_is_recorded_and_refused_where_the_list_is(world, client_for):
    client_for(world.users["officer"]).get(reverse("spaces:unit_export"), {"format": "csv", "status": "vacant"})
    event = DomainEvent.objects.get(name="core.export")
    assert event.data["model"] == "spaces.unit" and event.data["rows"] == 1 and "status=vacant" in event.data["query"]
    assert client_for(world.users["enterprise"]).get(reverse("spaces:unit_export")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_rows(world, client_for, fmt):
    from core.tests.test_query_counts import grow

    client = client_for(world.users["operator"])
    client.get(reverse("leasing:lease_export"), {"format": fmt})

    def run():
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(reverse("leasing:lease_export"), {"format": fmt}).streaming_content)
        return len(queries)

    grow(world, 2)
    small = run()
    grow(world, 30)
    assert run() == small
