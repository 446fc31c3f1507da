"""What the user guide says about searching is what the search does."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from spaces.models import Floor, Unit

GUIDE = Path(settings.BASE_DIR) / "docs" / "user-guide.md"


def test_building_name_and_unit_number_searched_together_as_the_guide_says(world, client_for):
    floor_b27 = Floor.objects.create(building=world.building_b, number=27)
    floor_a27 = Floor.objects.create(building=world.building_a, number=27)
    ours = Unit.objects.create(building=world.building_a, floor=floor_a27, code="2701", area=Decimal("90"))
    theirs = Unit.objects.create(building=world.building_b, floor=floor_b27, code="2701", area=Decimal("90"))
    client = client_for(world.users["officer"])

    def found(query):
        return set(client.get(reverse("spaces:unit_list"), {"q": query}).context["rows"])

    assert found("A座 2701") == {ours}  # building name and unit number in one search
    assert found("2701") == {ours, theirs}
    assert found("kjl 2701") == {ours}  # the building's pinyin initials
    guide = GUIDE.read_text(encoding="utf-8")
    assert "不能把楼宇名和单元号写在一起" not in guide
    assert "输入“A座 2701”，找到名称中含“A座”的楼宇里" in guide
