"""What people see on the space pages: stacking plan, occupancy, vacancy lists, map, lists."""

import datetime
from decimal import Decimal

from django.urls import reverse

from spaces import selectors
from spaces.models import Unit


def test_building_occupancy_is_area_weighted_and_excludes_unavailable(world):
    occupancy = selectors.occupancy_of(Unit.objects.filter(building=world.building_a))
    # 600 m² leased, 200 m² vacant, 200 m² unavailable → leasable 800 m².
    assert occupancy.total_area == Decimal("1000.00")
    assert occupancy.leasable_area == Decimal("800.00")
    assert occupancy.occupancy_rate == Decimal("75.0")
    assert occupancy.vacancy_rate == Decimal("25.0")
    assert occupancy.unit_count == 3


def test_building_page_shows_stacking_plan_top_floor_first_with_tenants(world, client_for):
    response = client_for(world.users["operator"]).get(world.building_a.get_absolute_url())
    plan = response.context["plan"]
    assert [row.floor.number for row in plan] == [12, 11]
    first_floor_units = {u.code: u for u in plan[0].units}
    assert first_floor_units["1201"].tenant[1] == "荣耀终端有限公司"
    assert round(first_floor_units["1201"].plan_share) == 75
    page = response.content.decode()
    assert "楼宇租控图" in page and "yq-unit-leased" in page and "荣耀终端有限公司" in page
    assert 'data-testid="occupancy-rate">75.0%' in page
    assert response.context["top_industries"][0]["code"] == "65"


def test_zone_page_counts_only_units_in_scope(world, client_for):
    officer = client_for(world.users["officer"]).get(world.area.get_absolute_url()).context["occupancy"]
    assert officer.unit_count == 4
    operator = client_for(world.users["operator"]).get(world.area.get_absolute_url()).context["occupancy"]
    assert operator.unit_count == 3


def test_long_vacancy_lists_units_vacant_over_6_and_12_months(world, client_for):
    client = client_for(world.users["operator"])
    for months in (6, 12):
        response = client.get(reverse("spaces:long_vacancy"), {"months": months})
        assert [u.code for u in response.context["units"]] == ["1202"]
        assert [b.name for b in response.context["buildings"]] == ["科技楼A座"]
    Unit.objects.filter(pk=world.unit_a2.pk).update(vacant_since=datetime.date.today() - datetime.timedelta(days=250))
    assert [u.code for u in client.get(reverse("spaces:long_vacancy"), {"months": 6}).context["units"]] == ["1202"]
    assert list(client.get(reverse("spaces:long_vacancy"), {"months": 12}).context["units"]) == []


def test_months_before_handles_month_ends():
    assert selectors.months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert selectors.months_before(datetime.date(2026, 3, 15), 12) == datetime.date(2025, 3, 15)


def test_unit_list_filters_sorts_and_paginates(world, client_for):
    client = client_for(world.users["officer"])
    rows = client.get(reverse("spaces:unit_list"), {"sort": "-area"}).context["rows"]
    assert [u.code for u in rows] == ["1201", "301", "1101", "1202"]  # ties by id, in the same direction
    rows = client.get(reverse("spaces:unit_list"), {"park": world.park_b.pk}).context["rows"]
    assert [u.code for u in rows] == ["301"]
    rows = client.get(reverse("spaces:unit_list"), {"area_min": "250", "status": "leased"}).context["rows"]
    assert sorted(u.code for u in rows) == ["1201", "301"]
    page = client.get(reverse("spaces:unit_list"), {"per_page": 25, "page": 99}).context["page"]
    assert page.number == 1  # out-of-range pages fall back to the last page


def test_unit_form_errors_are_chinese_and_name_the_field(world, client_for):
    client = client_for(world.users["operator"])
    response = client.post(reverse("spaces:unit_add"), {
        "building": world.building_a.pk, "floor": world.floor_a.pk, "code": "1201", "area": "-5",
        "use": "office", "status": "vacant",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "面积（㎡）：" in page
    assert not Unit.objects.filter(area__lt=0).exists()


def test_unit_status_cannot_be_set_to_leased_by_hand(world, client_for):
    form = client_for(world.users["officer"]).get(reverse("spaces:unit_edit", args=[world.unit_a2.pk])).context["form"]
    assert "leased" not in [value for value, _label in form.fields["status"].choices]


def test_floor_must_belong_to_the_units_building(world):
    from django.core.exceptions import ValidationError

    unit = Unit(building=world.building_a, floor=world.floor_b, code="X", area=Decimal("10"))
    try:
        unit.full_clean()
    except ValidationError as error:
        assert "floor" in error.message_dict
    else:
        raise AssertionError("a floor of another building was accepted")


def test_map_data_has_boundary_zones_and_scoped_parks(world, client_for):
    world.area.geometry = {"type": "Polygon", "coordinates": [[[114.06, 22.51], [114.08, 22.51], [114.08, 22.53],
                                                               [114.06, 22.51]]]}
    world.area.save()
    data = client_for(world.users["operator"]).get(reverse("spaces:map_data")).json()
    assert data["boundary"]["features"][0]["properties"]["adcode"] == "440304"
    assert [f["properties"]["name"] for f in data["zones"]["features"]] == ["河套深港科技创新合作区"]
    assert [f["properties"]["name"] for f in data["parks"]["features"]] == ["国际金融科技生态园"]


def test_zone_geometry_must_be_a_valid_polygon(world, client_for):
    response = client_for(world.users["officer"]).post(reverse("spaces:zone_edit", args=[world.area.pk]), {
        "code": "hetao", "name": "河套", "kind": "area", "sort_order": 0,
        "geometry": '{"type": "Point", "coordinates": [114, 22]}',
    })
    assert response.status_code == 400
    assert "边界" in response.content.decode()


def test_english_switch(world, client_for):
    client = client_for(world.users["officer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(world.building_a.get_absolute_url()).content.decode()
    assert "Stacking plan" in page


def test_zone_tree_sums_sub_zones_in_one_pass(world, client_for):
    rows = client_for(world.users["officer"]).get(reverse("spaces:zone_tree")).context["rows"]
    by_name = {row["zone"].name: row for row in rows}
    assert [row["depth"] for row in rows] == [0, 1]
    engine, area = by_name["三大新引擎"]["occupancy"], by_name["河套深港科技创新合作区"]["occupancy"]
    assert engine.unit_count == area.unit_count == 4
    assert engine.total_area == Decimal("1300.00") and engine.leased_area == Decimal("900.00")
    assert engine.occupancy_rate == Decimal("81.8")  # 900 of 1,100 leasable m²
    scoped = client_for(world.users["operator"]).get(reverse("spaces:zone_tree")).context["rows"]
    assert scoped[0]["occupancy"].unit_count == 3


def test_search_words_combine_building_and_unit(world, client_for):
    rows = client_for(world.users["officer"]).get(reverse("spaces:unit_list"), {"q": "A座 1202"}).context["rows"]
    assert [u.code for u in rows] == ["1202"]
    rows = client_for(world.users["officer"]).get(reverse("spaces:unit_list"), {"q": "kjl 12"}).context["rows"]
    assert sorted(u.code for u in rows) == ["1201", "1202"]


def test_building_filter_follows_the_chosen_park(world, client_for):
    client = client_for(world.users["officer"])
    form = client.get(reverse("spaces:unit_list"), {"park": world.park_a.pk}).context["filterset"].form
    assert [b.name for b in form.fields["building"].queryset] == ["科技楼A座"]
    options = client.get(reverse("spaces:building_options"), {"park": world.park_b.pk}).content.decode()
    assert "时尚大厦" in options and "科技楼A座" not in options
    scoped = client_for(world.users["operator"]).get(reverse("spaces:building_options"),
                                                     {"park": world.park_b.pk}).content.decode()
    assert "时尚大厦" not in scoped


def test_zone_page_summarises_its_boundary_instead_of_printing_it(world, client_for):
    world.area.geometry = {"type": "Polygon", "coordinates": [[[114.06, 22.51], [114.08, 22.51], [114.08, 22.53],
                                                               [114.06, 22.51]]]}
    world.area.save()
    page = client_for(world.users["officer"]).get(world.area.get_absolute_url()).content.decode()
    assert "边界共 4 个点" in page and "114.06" not in page


def test_building_filter_lists_the_chosen_parks_buildings_only(world, client_for):
    client = client_for(world.users["officer"])

    def offered(query):
        form = client.get(reverse("spaces:unit_list"), query).context["filterset"].form
        return {b.code for b in form.fields["building"].queryset}

    assert offered({}) == set()  # loaded once a park is chosen
    assert offered({"park": world.park_a.pk}) == {"a-1"}
    assert offered({"building": world.building_b.pk}) == {"b-1"}  # a link from a building's page
    rows = client.get(reverse("spaces:unit_list"), {"building": world.building_b.pk}).context["rows"]
    assert [u.code for u in rows] == ["301"]
    leases = client.get(reverse("leasing:lease_list"), {"park": world.park_a.pk}).context["filterset"].form
    assert {b.code for b in leases.fields["building"].queryset} == {"a-1"}


def test_a_long_park_list_is_loaded_when_the_filter_is_opened(world, client_for, monkeypatch):
    from spaces import filters

    client = client_for(world.users["officer"])
    offered = client.get(reverse("spaces:unit_list")).context["filterset"].form.fields["park"].queryset
    assert {p.code for p in offered} == {"park-a", "park-b"}  # short: listed on the page
    monkeypatch.setattr(filters, "LONG_LIST", 1)
    form = client.get(reverse("spaces:unit_list")).context["filterset"].form
    assert list(form.fields["park"].queryset) == []
    assert form.fields["park"].widget.attrs["data-options-lazy"] == reverse("spaces:park_options")
    chosen = client.get(reverse("spaces:unit_list"), {"park": world.park_b.pk})
    assert [p.code for p in chosen.context["filterset"].form.fields["park"].queryset] == ["park-b"]
    assert [u.code for u in chosen.context["rows"]] == ["301"]
    options = client.get(reverse("spaces:park_options"), {"selected": world.park_b.pk}).content.decode()
    assert f'<option value="{world.park_b.pk}" selected>' in options and "国际金融科技生态园" in options
    operator = client_for(world.users["operator"]).get(reverse("spaces:park_options")).content.decode()
    assert "国际金融科技生态园" in operator and "车公庙" not in operator
