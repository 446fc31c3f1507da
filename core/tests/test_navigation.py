"""The menu is put together from what core and each app declare, and shows each role what it showed when core
listed every app's pages itself: the same groups, in the same order, with the same entries. (An app added later
may add its own groups and entries anywhere; they are left out of the comparison.)"""

import pytest
from django.urls import reverse
from django.utils import translation

from core.surfaces import navigation
from core.surfaces.navigation import menu_for

SPACE = ["spaces:zone_tree", "spaces:park_list", "spaces:building_list", "spaces:floor_list", "spaces:unit_list",
         "spaces:long_vacancy", "spaces:operator_list"]
ENTERPRISES = ["enterprises:enterprise_list", "enterprises:qualification_list", "enterprises:contact_list",
               "enterprises:industry_browser"]
LEASING = ["leasing:lease_list", "leasing:expiry_queue"]
DISTRICT = [
    ("Overview", ["home", "spaces:map"]),
    ("Space", SPACE),
    ("Enterprises", ENTERPRISES),
    ("Leasing", LEASING),
    ("Data", ["import_list", "spaces:quality"]),
]
EXPECTED = {
    "admin": [*DISTRICT, ("Administration", ["user_list", "core:department_list", "change_list"])],
    "officer": DISTRICT,
    "leader": DISTRICT,
    "operator": [*DISTRICT[:4], ("Data", ["import_list"])],
    "enterprise": [("Overview", ["home"]), ("Enterprises", ENTERPRISES), ("Leasing", LEASING)],
}


def shown(user):
    with translation.override("en"):
        return [(str(group["title"]), [item["url"] for item in group["items"]]) for group in menu_for(user)]


def known(menu):
    """The menu without what apps added since (their groups and entries)."""
    titles = {title for groups in EXPECTED.values() for title, _names in groups}
    urls = {reverse(name) for groups in EXPECTED.values() for _title, names in groups for name in names}
    return [(title, [url for url in items if url in urls]) for title, items in menu if title in titles]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_the_menu_it_always_saw(world, role):
    expected = [(title, [reverse(name) for name in names]) for title, names in EXPECTED[role]]
    assert known(shown(world.users[role])) == expected


def test_the_page_shows_the_menu_with_the_current_entry_marked(world, client_for):
    html = client_for(world.users["enterprise"]).get(reverse("leasing:lease_list")).content.decode()
    assert f'<a class="nav-link active" href="{reverse("leasing:lease_list")}">租约</a>' in html
    assert reverse("spaces:unit_list") not in html  # an enterprise user sees no unit list


def test_every_entry_names_a_declared_group_and_an_installed_url():
    for entry in navigation.ENTRIES:
        assert entry.group in navigation.GROUPS, entry
        reverse(entry.url_name)


@pytest.fixture
def declarations():
    """Declarations made by a test are taken back afterwards."""
    groups, entries = dict(navigation.GROUPS), list(navigation.ENTRIES)
    yield
    navigation.GROUPS.clear()
    navigation.GROUPS.update(groups)
    navigation.ENTRIES[:] = entries


def test_a_new_app_adds_its_group_where_its_weight_puts_it(world, declarations):
    navigation.add_group("parking", "Parking", weight=450)
    navigation.add_entry("parking", "Shared parking", "home", weight=10, visible=navigation.bureau_roles)
    navigation.add_entry("overview", "Parking map", "change_list", weight=15)
    officer = shown(world.users["officer"])
    titles = [title for title, _urls in officer]
    assert titles.index("Leasing") + 1 == titles.index("Parking") < titles.index("Data")
    assert officer[0][1][:3] == [reverse("home"), reverse("change_list"), reverse("spaces:map")]
    assert "Parking" not in [title for title, _urls in shown(world.users["operator"])]


def test_an_entry_whose_page_is_not_installed_is_left_out(world, declarations):
    navigation.add_entry("overview", "Nowhere", "no_such_page", weight=1)
    assert shown(world.users["officer"])[0][1][:2] == [reverse("home"), reverse("spaces:map")]
