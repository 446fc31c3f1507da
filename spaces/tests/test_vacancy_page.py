"""The long-vacancy page (长期空置): filtered by park and operator within the user's scope, paged past any
number of rows, exported with its filters."""

import csv
import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from spaces.choices import UnitStatus
from spaces.models import Unit

LONG_AGO = datetime.date.today() - datetime.timedelta(days=400)


def codes(response):
    return [u.code for u in response.context["units"]]


def vacant_in_b(world, code="302"):
    return Unit.objects.create(building=world.building_b, floor=world.floor_b, code=code, area=Decimal("80"),
                               status=UnitStatus.VACANT, vacant_since=LONG_AGO)


def many_vacant(world, n):
    Unit.objects.bulk_create([
        Unit(building=world.building_a, floor=world.floor_a, code=f"V{i:03d}", area=Decimal("50"),
             status=UnitStatus.VACANT, vacant_since=LONG_AGO + datetime.timedelta(days=i % 30))
        for i in range(n)
    ])


def test_officer_filters_units_and_buildings_by_park_and_operator(world, client_for):
    vacant_in_b(world)
    client = client_for(world.users["officer"])
    url = reverse("spaces:long_vacancy")
    assert sorted(codes(client.get(url))) == ["1202", "302"]
    by_park = client.get(url, {"park": world.park_b.pk})
    assert codes(by_park) == ["302"] and [b.name for b in by_park.context["buildings"]] == ["时尚大厦"]
    by_operator = client.get(url, {"operator": world.op_a.pk, "months": 12})
    assert codes(by_operator) == ["1202"] and [b.name for b in by_operator.context["buildings"]] == ["科技楼A座"]
    assert f'href="?operator={world.op_a.pk}&months=6"' in by_operator.content.decode()  # the filter is kept


def test_an_operator_is_offered_only_its_own_parks_and_operator(world, client_for):
    vacant_in_b(world)
    client = client_for(world.users["operator"])
    url = reverse("spaces:long_vacancy")
    form = client.get(url).context["filterset"].form
    assert list(form.fields["operator"].queryset) == [world.op_a]
    assert list(form.fields["park"].queryset) == [world.park_a]
    for other in ({"operator": world.op_b.pk}, {"park": world.park_b.pk}):
        response = client.get(url, other)
        assert codes(response) == ["1202"] and [b.name for b in response.context["buildings"]] == ["科技楼A座"]
    export = client.get(reverse("spaces:long_vacancy_export"), {"park": world.park_b.pk, "format": "csv"})
    assert "302" not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_the_page_reaches_every_unit_past_200(world, client_for):
    many_vacant(world, 250)
    client = client_for(world.users["officer"])
    url = reverse("spaces:long_vacancy")
    seen, number = [], 1
    while True:
        response = client.get(url, {"park": world.park_a.pk, "page": number})
        assert response.context["unit_count"] == 251
        seen += codes(response)
        if not response.context["units"].has_next():
            break
        assert f'href="?park={world.park_a.pk}&page={number + 1}"' in response.content.decode()
        number += 1
    assert number == 3 and len(seen) == 251 == len(set(seen))


def test_export_has_every_filtered_unit_and_building(world, client_for):
    many_vacant(world, 250)
    vacant_in_b(world)
    client = client_for(world.users["officer"])
    url = reverse("spaces:long_vacancy_export")
    response = client.get(url, {"park": world.park_a.pk, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("单元", "楼宇", "园区")
    assert len(rows) == 1 + 251 and {row[2] for row in rows[1:]} == {world.park_a.name}
    response = client.get(url, {"operator": world.op_b.pk, "format": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["302"]
    response = client.get(url, {"list": "buildings", "format": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {(line[0], line[2]) for line in lines[1:]} == {("科技楼A座", "251"), ("时尚大厦", "1")}
