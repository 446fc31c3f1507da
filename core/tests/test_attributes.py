"""A record's attributes on its detail page (core.surfaces.selectors): labels from the fields, links to related
records the viewer may see, no name for one outside their scope, a boundary told by its points."""

from django.utils import translation

from core.surfaces import surface_for
from core.surfaces.selectors import attribute_of, object_attributes


def test_a_related_record_is_linked_inside_the_scope_and_not_named_outside_it(world):
    with translation.override("zh-hans"):
        inside = attribute_of(user=world.users["operator"], obj=world.lease_a, name="park")
        outside = attribute_of(user=world.users["operator"], obj=world.lease_b, name="park")
    assert (inside.text, inside.url) == (world.park_a.name, world.park_a.get_absolute_url())
    assert (outside.text, outside.url) == ("（不在您的管理范围内）", None)


def test_a_boundary_is_counted_and_linked_to_the_map(world):
    world.zone.geometry = {"type": "Polygon", "coordinates": [[[114.0, 22.5], [114.1, 22.5], [114.1, 22.6],
                                                              [114.0, 22.5]]]}
    world.zone.save()
    with translation.override("en"):
        shown = attribute_of(user=world.users["officer"], obj=world.zone, name="geometry")
    assert shown.text == "Boundary with 4 points" and shown.map_url == world.zone.get_map_url()


def test_the_attributes_follow_the_form_but_leave_out_linked_accounts_and_a_units_building_stays(world):
    operator = world.op_a
    shown = object_attributes(user=world.users["officer"], obj=operator, surface=surface_for(operator))
    assert [str(a.label) for a in shown] == [str(operator._meta.get_field(name).verbose_name)
                                             for name in ("name", "credit_code", "contact_phone")]
    unit = world.lease_a.units.first()
    shown = object_attributes(user=world.users["officer"], obj=unit, surface=surface_for(unit))
    assert shown[0].text == str(unit.building) and shown[0].url == unit.building.get_absolute_url()
