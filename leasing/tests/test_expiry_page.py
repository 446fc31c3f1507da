"""The lease-expiry page (到期租约): filtered by park and operator within the user's scope, paged past any
number of rows, exported with its filters."""

import csv
import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from core.models import DomainEvent
from core.surfaces.exports import EXPORT
from leasing.models import Lease

TODAY = datetime.date.today()


def ending_soon(world, lease, days):
    Lease.objects.filter(pk=lease.pk).update(end_date=TODAY + datetime.timedelta(days=days))


def contracts(response):
    return [lease.contract_number for lease in response.context["page"]]


def many_leases(world, n):
    Lease.objects.bulk_create([
        Lease(enterprise=world.tenant_a, park=world.park_a, contract_number=f"HT-MANY-{i:03d}",
              start_date=TODAY - datetime.timedelta(days=300), end_date=TODAY + datetime.timedelta(days=1 + i % 80),
              monthly_rent=Decimal("100"), leased_area=Decimal("10"))
        for i in range(n)
    ])


def test_officer_filters_by_park_and_by_operator(world, client_for):
    ending_soon(world, world.lease_b, 20)
    client = client_for(world.users["officer"])
    url = reverse("leasing:expiry_queue")
    assert sorted(contracts(client.get(url))) == ["HT-A-001", "HT-B-001"]
    assert contracts(client.get(url, {"park": world.park_a.pk})) == ["HT-A-001"]
    assert contracts(client.get(url, {"operator": world.op_b.pk})) == ["HT-B-001"]
    assert contracts(client.get(url, {"operator": world.op_b.pk, "park": world.park_a.pk})) == []
    cards = client.get(url, {"operator": world.op_b.pk}).context["cards"]
    assert [c["count"] for c in cards] == [1, 1, 1] and cards[0]["area"] == Decimal("300.00")


def test_an_operator_is_offered_only_its_own_parks_and_operator(world, client_for):
    ending_soon(world, world.lease_b, 20)
    client = client_for(world.users["operator"])
    url = reverse("leasing:expiry_queue")
    form = client.get(url).context["filterset"].form
    assert list(form.fields["operator"].queryset) == [world.op_a]
    assert list(form.fields["park"].queryset) == [world.park_a]
    # Another operator's ids are not choices: the page stays within the operator's own leases.
    assert contracts(client.get(url, {"operator": world.op_b.pk})) == ["HT-A-001"]
    assert contracts(client.get(url, {"park": world.park_b.pk})) == ["HT-A-001"]
    export = client.get(reverse("leasing:expiry_export"), {"operator": world.op_b.pk, "format": "csv"})
    assert "HT-B-001" not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_the_page_reaches_every_row_past_200(world, client_for):
    many_leases(world, 230)
    client = client_for(world.users["officer"])
    url = reverse("leasing:expiry_queue")
    first = client.get(url, {"park": world.park_a.pk})
    assert first.context["page"].paginator.count == 231
    seen = []
    number = 1
    while True:
        response = client.get(url, {"park": world.park_a.pk, "page": number})
        seen += contracts(response)
        if not response.context["page"].has_next():
            break
        assert f'href="?park={world.park_a.pk}&page={number + 1}"' in response.content.decode()  # filter kept
        number += 1
    assert number == 3 and len(seen) == 231 == len(set(seen))
    ends = [lease.end_date for lease in Lease.objects.filter(contract_number__in=seen)]
    assert max(ends) <= TODAY + datetime.timedelta(days=90)


def test_export_has_every_filtered_row_in_xlsx_and_csv(world, client_for):
    many_leases(world, 230)
    ending_soon(world, world.lease_b, 20)
    client = client_for(world.users["officer"])
    url = reverse("leasing:expiry_export")
    response = client.get(url, {"park": world.park_a.pk, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("到期日期", "剩余天数", "企业")
    assert len(rows) == 1 + 231
    assert {row[7] for row in rows[1:]} == {"HT-A-001", *(f"HT-MANY-{i:03d}" for i in range(230))}
    assert {row[4] for row in rows[1:]} == {world.park_a.name}
    response = client.get(url, {"operator": world.op_b.pk, "within": 30, "format": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [line[7] for line in lines[1:]] == ["HT-B-001"]
    assert lines[1][3] == "时尚大厦 301" and lines[1][1] == "20"
    event = DomainEvent.objects.filter(name=EXPORT).latest("id")
    assert event.data["rows"] == 1 and event.data["format"] == "csv"
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_an_enterprise_is_not_offered_park_or_operator_choices(world, client_for):
    client = client_for(world.users["enterprise"])
    response = client.get(reverse("leasing:expiry_queue"), {"park": world.park_b.pk})
    assert set(response.context["filterset"].form.fields) == {"q"}
    assert contracts(response) == ["HT-A-001"]


def test_the_bands_count_each_window_and_its_area_within_the_scope(world):
    from leasing import selectors

    ending_soon(world, world.lease_a, 20)
    ending_soon(world, world.lease_b, 75)
    operator = world.users["operator"]
    leases = selectors.lease_expiring(user=world.users["officer"], days=90, today=TODAY)
    bands = selectors.expiry_bands(leases, today=TODAY, within=60)
    assert [(b["days"], b["count"], b["active"]) for b in bands] == [(30, 1, False), (60, 1, True), (90, 2, False)]
    assert bands[2]["area"] == world.lease_a.leased_area + world.lease_b.leased_area
    mine = selectors.expiry_bands(selectors.lease_expiring(user=operator, days=90, today=TODAY), today=TODAY, within=90)
    assert [b["count"] for b in mine] == [1, 1, 1]
    shown = selectors.leases_ending_within(leases, today=TODAY, days=30)
    assert [lease.contract_number for lease in shown] == ["HT-A-001"]
