"""A badge takes its colour from the field's ChoiceSet when the model declares no ``<field>_color``."""

from core.reference.choices import choice_set_of
from core.templatetags.yuanqu import choice_color
from spaces.choices import ZoneKind
from spaces.models import Unit, Zone


def test_a_badge_is_coloured_by_the_choice_set_the_field_was_declared_with():
    assert choice_set_of(Zone._meta.get_field("kind")) is ZoneKind
    assert choice_color(Zone(kind="engine"), "kind") == "danger"
    assert choice_color(Zone(kind="area"), "kind") == "info"


def test_a_model_that_declares_its_colour_keeps_it_and_other_fields_are_grey():
    assert choice_color(Unit(status="vacant"), "status") == Unit(status="vacant").status_color
    assert choice_color(Zone(name="福田"), "name") == "secondary"  # no choices
    assert choice_color(Zone(), "nothing") == "secondary"
