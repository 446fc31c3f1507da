"""Permissions in the UI beyond the generic tests (each model's role × action × scope matrix is in its app's
tests/test_generic.py): the zone tree, moves across scopes, users and departments, refusals in Chinese."""

from django.urls import reverse


def test_zone_pages_for_each_role(world, client_for):
    for role_key, expected in (("admin", 200), ("leader", 200), ("operator", 200), ("enterprise", 403)):
        client = client_for(world.users[role_key])
        assert client.get(reverse("spaces:zone_tree")).status_code == expected
        assert client.get(world.area.get_absolute_url()).status_code == (200 if expected == 200 else 404)


def test_operator_post_to_other_operators_unit_is_404_and_changes_nothing(world, client_for):
    client = client_for(world.users["operator"])
    url = reverse("spaces:unit_edit", args=[world.unit_b1.pk])
    response = client.post(url, {"building": world.building_b.pk, "floor": world.floor_b.pk, "code": "301",
                                 "area": "1.00", "use": "office", "status": "vacant"})
    assert response.status_code == 404
    world.unit_b1.refresh_from_db()
    assert world.unit_b1.area == 300


def test_operator_cannot_move_a_building_into_another_operators_park(world, client_for):
    client = client_for(world.users["operator"])
    response = client.post(reverse("spaces:building_edit", args=[world.building_a.pk]), {
        "park": world.park_b.pk, "code": "a-1", "name": "科技楼A座", "floors_above": 10, "floors_below": 0,
    })
    assert response.status_code == 400
    assert "park" in response.context["form"].errors
    world.building_a.refresh_from_db()
    assert world.building_a.park_id == world.park_a.pk


def test_leader_cannot_post_edits(world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(reverse("spaces:park_edit", args=[world.park_a.pk]), {"name": "x"})
    assert response.status_code == 403


def test_only_admin_manages_users(world, client_for):
    assert client_for(world.users["admin"]).get(reverse("user_list")).status_code == 200
    for role_key in ("officer", "leader", "operator", "enterprise"):
        assert client_for(world.users[role_key]).get(reverse("user_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("spaces:unit_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_departments_are_for_the_administrator_only_even_by_url(world, client_for):
    for role_key in ("officer", "leader", "operator", "enterprise"):
        assert client_for(world.users[role_key]).get(reverse("core:department_list")).status_code == 403


def test_refusals_are_explained_in_chinese(world, client_for):
    leader = client_for(world.users["leader"])
    assert "您无权执行此操作" in leader.get(reverse("spaces:unit_add")).content.decode()
    operator = client_for(world.users["operator"])
    assert "不在您的管理范围内" in operator.get(world.building_b.get_absolute_url()).content.decode()
