"""Chinese names are found by characters, full pinyin and pinyin initials."""

import pytest
from django.urls import reverse

from core.reference.search import search_key


def test_search_key_has_characters_pinyin_and_initials():
    assert search_key("荣耀终端") == "荣耀终端 rongyaozhongduan ryzd"


@pytest.mark.parametrize("query", ["ryzd", "RYZD", "rongyao", "荣耀", "91440300192203"])
def test_enterprise_list_finds_honor(world, client_for, query):
    page = client_for(world.users["officer"]).get(reverse("enterprises:enterprise_list"), {"q": query})
    names = [e.name for e in page.context["rows"]]
    assert names == ["荣耀终端有限公司"]


def test_park_search_by_initials(world, client_for):
    page = client_for(world.users["officer"]).get(reverse("spaces:park_list"), {"q": "cgm"})
    assert [p.name for p in page.context["rows"]] == ["车公庙湾区时尚总部中心"]


def test_operator_search_stays_in_scope(world, client_for):
    page = client_for(world.users["operator"]).get(reverse("spaces:park_list"), {"q": "cgm"})
    assert list(page.context["rows"]) == []
