"""The administrator manages users, roles and departments; everyone manages their own API tokens."""

from django.urls import reverse

from core.models import ApiToken, DomainEvent, ObjectChange, User


def test_admin_creates_an_operator_user_and_links_it_to_an_operator(world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(reverse("user_add"), {
        "username": "new_op", "display_name": "新运营", "role": "park_operator", "is_active": "on",
        "password": "Yq-strong-pass-2026",
    })
    assert response.status_code == 302
    user = User.objects.get(username="new_op")
    assert user.check_password("Yq-strong-pass-2026") and user.role == "park_operator"
    created = ObjectChange.objects.get(content_type__model="user", object_id=str(user.pk))
    assert "password" not in created.data_after

    response = client.post(reverse("spaces:operator_edit", args=[world.op_a.pk]), {
        "name": world.op_a.name, "users": [world.users["operator"].pk, user.pk],
    })
    assert response.status_code == 302
    assert set(world.op_a.users.values_list("username", flat=True)) == {"t_operator", "new_op"}
    # The new operator user now sees operator A's park and not operator B's.
    new_client = client_for(user)
    assert new_client.get(world.park_a.get_absolute_url()).status_code == 200
    assert new_client.get(world.park_b.get_absolute_url()).status_code == 404


def test_weak_password_is_refused_in_chinese(world, client_for):
    response = client_for(world.users["admin"]).post(reverse("user_add"), {
        "username": "weak", "role": "leader", "password": "123",
    })
    assert response.status_code == 400 and "密码" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_officer_cannot_link_users_to_operators(world, client_for):
    form = client_for(world.users["officer"]).get(reverse("spaces:operator_edit", args=[world.op_a.pk])).context["form"]
    assert "users" not in form.fields


def test_departments_are_managed_by_the_admin_only(world, client_for):
    assert client_for(world.users["admin"]).get(reverse("core:department_list")).status_code == 200
    assert client_for(world.users["officer"]).get(reverse("core:department_list")).status_code == 403
    names = [d.name for d in client_for(world.users["admin"]).get(reverse("core:department_list"), {"per_page": 50})
             .context["rows"]]
    for expected in ("福田区科技创新局", "福田区住房和建设局", "福田区交通运输局", "福田区投资推广和企业服务中心"):
        assert expected in names


def test_user_creates_and_revokes_a_token_in_the_ui(world, client_for):
    client = client_for(world.users["enterprise"])
    response = client.post(reverse("token_list"), {"name": "ERP 对接"})
    key = response.context["new_key"]
    assert key.startswith("yq_") and key in response.content.decode()
    token = ApiToken.objects.get(user=world.users["enterprise"])
    assert token.digest == ApiToken.digest_of(key)
    api = client.get("/api/leasing/leases", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [row["id"] for row in api.json()["results"]] == [world.lease_a.pk]
    client.post(reverse("token_revoke", args=[token.pk]))
    client.logout()
    assert client.get("/api/leasing/leases", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert DomainEvent.objects.filter(name="core.token.revoke").count() == 1


def test_cannot_revoke_someone_elses_token(world, client_for):
    from core.accounts import tokens

    token, _key = tokens.token_create(user=world.users["officer"])
    response = client_for(world.users["operator"]).post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 404


def test_the_user_pages_show_the_records_the_apps_link_accounts_to(world, client_for):
    from core.accounts.views import account_links

    assert [r.related_model._meta.label for r in account_links()] == [
        "spaces.Operator", "enterprises.Enterprise", "certification.AssessmentRound"]
    client = client_for(world.users["admin"])
    listing = client.get(reverse("user_list")).content.decode()
    assert f'<a href="{world.op_a.get_absolute_url()}">甲运营公司</a>' in listing
    assert f'<a href="{world.tenant_a.get_absolute_url()}">荣耀终端有限公司</a>' in listing
    detail = client.get(reverse("user_detail", args=[world.users["enterprise"].pk])).content.decode()
    assert (f'<th class="text-secondary fw-normal">企业</th><td><a href="{world.tenant_a.get_absolute_url()}">'
            f'荣耀终端有限公司</a><br></td>') in detail
    assert '<th class="text-secondary fw-normal">园区运营机构</th><td>—</td>' in detail


def test_the_user_list_reads_the_links_in_one_query_per_kind(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["admin"])
    client.get(reverse("user_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("user_list"))
    for i in range(5):
        world.op_b.users.add(User.objects.create(username=f"more_op{i}", role="park_operator"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("user_list"))
    assert len(many) == len(few)
