"""The one-off steps that became declared actions (core.actions): revealing a contact, revoking an API token,
deactivating and reactivating an account, committing and rolling back an import. What each does, through the
page and the API, beyond the transition tables core/tests/test_actions.py generates from the declarations."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from core.accounts import tokens
from core.actions import Refused
from core.importing import jobs
from core.models import DomainEvent, ImportBatch, ImportStatus, ObjectChange, User
from core.surfaces import surface_for
from spaces.models import Unit
from yuanqu.testing import PASSWORD, bearer, units_file


def post(client, path, user, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json", **bearer(user))


def key_works(key: str) -> bool:
    return Client().get("/api/spaces/parks", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("home")).status_code == 200
    return browser


# ----- revealing a contact ------------------------------------------------------------------------------------
def test_the_api_reveals_a_contact_to_an_officer_and_records_every_reveal(world, client):
    path = f"/api/enterprises/contacts/{world.contact_a.pk}/reveal"
    for _time in range(2):
        response = post(client, path, world.users["officer"])
        assert response.status_code == 200
        assert response.json() == {"id": world.contact_a.pk, "name": "张三丰", "mobile": "13812345678"}
    events = DomainEvent.objects.filter(name="enterprises.contact.reveal", object_id=str(world.contact_a.pk))
    assert events.count() == 2
    event = events.first()
    assert event.user_name == "t_officer" and event.label == "查看个人信息"
    assert event.data == {"fields": ["name", "mobile"], "enterprise": world.tenant_a.pk}
    assert event.object_repr == "张**"  # the record names the contact masked


@pytest.mark.parametrize("role", ["leader", "operator"])
def test_a_leader_or_an_operator_is_refused_the_reveal(world, client, client_for, role):
    user = world.users[role]
    response = post(client, f"/api/enterprises/contacts/{world.contact_a.pk}/reveal", user)
    assert response.status_code == 403 and "13812345678" not in response.content.decode()
    page = client_for(user).post(reverse("enterprises:contact_reveal", args=[world.contact_a.pk]))
    assert page.status_code == 403 and "13812345678" not in page.content.decode()
    assert not DomainEvent.objects.filter(name="enterprises.contact.reveal").exists()


def test_the_reveal_button_shows_the_row_in_place(world, client_for):
    officer = client_for(world.users["officer"])
    page = officer.get(world.tenant_a.get_absolute_url()).content.decode()
    url = reverse("enterprises:contact_reveal", args=[world.contact_a.pk])
    assert f'hx-post="{url}"' in page and "13812345678" not in page
    row = officer.post(url, {"layout": "row"}, HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith(f'<tr id="contact-{world.contact_a.pk}"') and "<html" not in row
    assert "<td>张三丰</td>" in row and "13812345678" in row and "已显示，本次查看已记录。" in row
    # Without htmx (the confirmation page's button) the revealed values come on a page of their own.
    whole = officer.post(url).content.decode()
    assert "<html" in whole and "张三丰 · 13812345678" in whole
    leader_page = client_for(world.users["leader"]).get(world.tenant_a.get_absolute_url()).content.decode()
    assert url not in leader_page


# ----- revoking an API token ----------------------------------------------------------------------------------
def test_a_token_revoked_through_the_api_no_longer_authenticates(world, client):
    operator = world.users["operator"]
    token, key = tokens.token_create(user=operator, name="ERP")
    assert key_works(key)
    response = post(client, f"/api/core/tokens/{token.pk}/revoke", operator)
    assert response.status_code == 200
    assert response.json()["state"] == "revoked"
    assert not key_works(key)
    event = DomainEvent.objects.get(name="core.token.revoke", object_id=str(token.pk))
    assert event.user_name == "t_operator" and event.label == "撤销接口令牌"


def test_the_administrator_revokes_any_accounts_token_and_nobody_else_does(world, client):
    token, key = tokens.token_create(user=world.users["operator"], name="ERP")
    for role in ("officer", "leader", "operator_b", "enterprise"):
        assert post(client, f"/api/core/tokens/{token.pk}/revoke", world.users[role]).status_code == 404
    assert key_works(key)
    assert post(client, f"/api/core/tokens/{token.pk}/revoke", world.users["admin"]).status_code == 200
    assert not key_works(key)
    assert DomainEvent.objects.get(name="core.token.revoke").user_name == "t_admin"


def test_revoking_a_revoked_token_again_is_refused_in_chinese(world, client):
    operator = world.users["operator"]
    token, _key = tokens.token_create(user=operator, name="ERP")
    post(client, f"/api/core/tokens/{token.pk}/revoke", operator)
    again = post(client, f"/api/core/tokens/{token.pk}/revoke", operator)
    assert again.status_code == 409
    assert again.json()["detail"] == f"{token.prefix}… 当前为“已撤销”，不能撤销。"
    assert DomainEvent.objects.filter(name="core.token.revoke").count() == 1


def test_the_token_page_lists_every_accounts_tokens_for_the_administrator_only(world, client_for):
    operators_token, _key = tokens.token_create(user=world.users["operator"], name="ERP 对接")
    admins_token, _key = tokens.token_create(user=world.users["admin"], name="报表")
    revoke = reverse("token_revoke", args=[operators_token.pk])
    page = client_for(world.users["admin"]).get(reverse("token_list")).content.decode()
    assert "ERP 对接" in page and "t_operator" in page and f'action="{revoke}"' in page
    page = client_for(world.users["operator"]).get(reverse("token_list")).content.decode()
    assert "ERP 对接" in page and "报表" not in page
    page = client_for(world.users["officer"]).get(reverse("token_list")).content.decode()
    assert "ERP 对接" not in page and revoke not in page


# ----- deactivating and reactivating an account ----------------------------------------------------------------
def test_an_account_deactivated_through_the_api_loses_its_session_and_tokens_at_once(world, client):
    officer = world.users["officer"]
    _token, key = tokens.token_create(user=officer, name="ERP")
    browser = signed_in(officer)
    response = post(client, f"/api/core/users/{officer.pk}/deactivate", world.users["admin"])
    assert response.status_code == 200
    assert response.json() == {"id": officer.pk, "username": "t_officer", "state": "inactive", "is_active": False}
    assert browser.get(reverse("home")).status_code == 302  # to the login page
    assert not key_works(key)
    assert not Client().login(username="t_officer", password=PASSWORD)
    assert DomainEvent.objects.get(name="core.user.deactivate").label == "停用账号"
    ended = DomainEvent.objects.get(name="core.user.access_end", object_id=str(officer.pk))
    assert ended.data == {"changes": ["deactivated"], "tokens_revoked": [key[:8]]}
    change = ObjectChange.objects.get(content_type__model="user", object_id=str(officer.pk))
    assert change.data_before["is_active"] is True and change.data_after["is_active"] is False


def test_a_reactivated_account_signs_in_again_but_its_old_tokens_stay_revoked(world, client_for):
    officer = world.users["officer"]
    _token, key = tokens.token_create(user=officer, name="ERP")
    admin = client_for(world.users["admin"])
    assert admin.post(reverse("user_deactivate", args=[officer.pk])).status_code == 302
    page = admin.get(reverse("user_detail", args=[officer.pk])).content.decode()
    assert "停用" in page and f'href="{reverse("user_reactivate", args=[officer.pk])}"' in page
    assert f'href="{reverse("user_deactivate", args=[officer.pk])}"' not in page
    assert admin.post(reverse("user_reactivate", args=[officer.pk])).status_code == 302
    assert User.objects.get(pk=officer.pk).is_active
    assert Client().login(username="t_officer", password=PASSWORD)
    assert not key_works(key)


def test_the_administrator_cannot_deactivate_their_own_account(world, client, client_for):
    admin = world.users["admin"]
    response = post(client, f"/api/core/users/{admin.pk}/deactivate", admin)
    assert response.status_code == 409 and response.json()["detail"] == "不能停用自己的账号，请由其他管理员操作。"
    assert User.objects.get(pk=admin.pk).is_active
    page = client_for(admin).get(reverse("user_detail", args=[admin.pk])).content.decode()
    assert reverse("user_deactivate", args=[admin.pk]) not in page


def test_only_the_administrator_deactivates_accounts(world, client, client_for):
    target = world.users["operator"]
    assert post(client, f"/api/core/users/{target.pk}/deactivate", world.users["officer"]).status_code == 403
    assert client_for(world.users["officer"]).post(reverse("user_deactivate", args=[target.pk])).status_code == 403
    assert post(client, f"/api/core/users/{world.users['enterprise'].pk}/deactivate", target).status_code == 404
    assert User.objects.get(pk=target.pk).is_active


def test_deactivating_an_inactive_account_is_refused_in_chinese(world, client):
    target = world.users["operator"]
    post(client, f"/api/core/users/{target.pk}/deactivate", world.users["admin"])
    again = post(client, f"/api/core/users/{target.pk}/deactivate", world.users["admin"])
    assert again.status_code == 409 and again.json()["detail"] == "t_operator 当前为“停用”，不能停用。"


def test_the_edit_page_no_longer_deactivates(world, client_for):
    """Deactivation is its own step, audited as such: the edit form has no "active" box any more."""
    form = client_for(world.users["admin"]).get(reverse("user_edit", args=[world.users["officer"].pk])).context["form"]
    assert "is_active" not in form.fields


# ----- committing and rolling back an import -------------------------------------------------------------------
def checked(world, rows, user="officer") -> ImportBatch:
    batch = jobs.batch_create(user=world.users[user], surface=surface_for(Unit), filename="units.xlsx",
                              content=units_file(rows))
    batch = jobs.batch_check(batch)
    assert batch.status == ImportStatus.CHECKED, (batch.message, batch.errors)
    return batch


def test_commit_and_rollback_through_the_api(world, client):
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"], ["a-1", "12", "1202", "", "", "99"]])
    response = post(client, f"/api/core/imports/{batch.pk}/commit", world.users["officer"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "committed" and body["status_display"] == "已导入"
    assert body["counts"]["create"] == 1 and body["counts"]["update"] == 1
    assert Unit.objects.filter(code="1290").exists()
    confirmed = DomainEvent.objects.get(name="core.import.confirm")
    assert confirmed.user_name == "t_officer" and confirmed.data["batch"] == str(batch.uuid)

    assert post(client, f"/api/core/imports/{batch.pk}/rollback", world.users["officer"]).status_code == 403
    response = post(client, f"/api/core/imports/{batch.pk}/rollback", world.users["admin"])
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rolled_back" and response.json()["undone"] == 2
    assert not Unit.objects.filter(code="1290").exists()
    assert str(Unit.objects.get(pk=world.unit_a2.pk).asking_rent) == "150.00"
    event = DomainEvent.objects.get(name="core.import.rollback")
    assert event.object_id == str(batch.pk) and event.data["undone"] == 2 and event.label == "导入已回滚"


def test_a_rollback_the_data_have_moved_past_is_refused_in_chinese(world, client):
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"]])
    jobs.batch_commit_start(user=world.users["officer"], instance=batch)
    unit = Unit.objects.get(code="1290")
    surface_for(Unit).update(user=world.users["officer"], instance=unit, data={"area": 120})
    response = post(client, f"/api/core/imports/{batch.pk}/rollback", world.users["admin"])
    assert response.status_code == 409
    assert response.json()["detail"].startswith("不能回滚：") and "导入后被修改" in response.json()["detail"]
    assert Unit.objects.filter(code="1290").exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED


def test_a_batch_committed_twice_is_committed_once(world, client):
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"]])
    second_click = ImportBatch.objects.get(pk=batch.pk)  # read by the second request before the first took it
    assert post(client, f"/api/core/imports/{batch.pk}/commit", world.users["officer"]).status_code == 200
    with pytest.raises(Refused):
        jobs.batch_commit_start(user=world.users["officer"], instance=second_click)
    again = post(client, f"/api/core/imports/{batch.pk}/commit", world.users["officer"])
    assert again.status_code == 409 and "当前为“已导入”，不能确认导入" in again.json()["detail"]
    assert Unit.objects.filter(code="1290").count() == 1
    assert ObjectChange.objects.filter(batch=batch, action="create").count() == 1
    assert DomainEvent.objects.filter(name="core.import.commit", data__batch=str(batch.uuid)).count() == 1


def test_only_the_uploader_or_the_administrator_commits(world, client):
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"]])
    assert post(client, f"/api/core/imports/{batch.pk}/commit", world.users["leader"]).status_code == 403
    other_officer = User.objects.create_user("t_officer_2", password=PASSWORD, role="bureau_officer")
    response = post(client, f"/api/core/imports/{batch.pk}/commit", other_officer)
    assert response.status_code == 403 and response.json()["detail"] == "只有上传文件的人或管理员可以确认导入。"
    assert post(client, f"/api/core/imports/{batch.pk}/commit", world.users["operator"]).status_code == 404
    assert post(client, f"/api/core/imports/{batch.pk}/commit", world.users["admin"]).status_code == 200


def test_a_file_with_errors_is_committed_through_the_api_only_with_its_valid_rows(world, client):
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"], ["a-1", "12", "1291", "-5", "办公", ""]])
    officer = world.users["officer"]
    refused = post(client, f"/api/core/imports/{batch.pk}/commit", officer)
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{
        "field": "valid_only", "label": "只导入无误的行",
        "message": "只导入无误的行：文件中有错误的行：请选择只导入无误的行，或改正文件后重新上传。"}]
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.CHECKED
    assert not DomainEvent.objects.filter(name="core.import.confirm").exists()
    response = post(client, f"/api/core/imports/{batch.pk}/commit", officer, {"valid_only": True})
    assert response.status_code == 200 and response.json()["status"] == "committed"
    assert list(Unit.objects.filter(code__in=["1290", "1291"]).values_list("code", flat=True)) == ["1290"]


def test_rows_with_warnings_need_the_confirmation_in_the_api_too(world, client):
    batch = checked(world, [["a-1", "12", "1290", "30000", "办公", "120"]])
    assert batch.count("warning") == 1
    officer = world.users["officer"]
    refused = post(client, f"/api/core/imports/{batch.pk}/commit", officer)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "confirm_warnings"
    assert "请先确认有提醒的行" in refused.json()["errors"][0]["message"]
    assert not Unit.objects.filter(code="1290").exists()
    response = post(client, f"/api/core/imports/{batch.pk}/commit", officer, {"confirm_warnings": True})
    assert response.status_code == 200 and response.json()["status"] == "committed"
    assert DomainEvent.objects.get(name="core.import.commit").data["warnings_confirmed"] is True


def test_a_large_file_is_queued_and_the_api_says_it_is_importing(world, client, settings, monkeypatch):
    from types import SimpleNamespace

    from core.importing import tasks

    settings.YUANQU_IMPORT_INLINE_BYTES = 0
    queued = []
    monkeypatch.setattr(tasks, "import_commit", SimpleNamespace(enqueue=lambda batch_id, run: queued.append(run)))
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"]])
    response = post(client, f"/api/core/imports/{batch.pk}/commit", world.users["officer"])
    assert response.status_code == 200 and response.json()["status"] == "committing"
    assert queued == [str(ImportBatch.objects.get(pk=batch.pk).run)]
    assert not Unit.objects.filter(code="1290").exists()  # the worker writes it


def test_the_action_page_names_the_action(world, client_for):
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"]])
    page = client_for(world.users["officer"]).get(reverse("import_commit", args=[batch.pk])).content.decode()
    assert '<h1 class="h3 mb-1">确认导入</h1>' in page and "较大的文件在后台导入" in page


def test_the_batch_page_commits_and_rolls_back_and_says_what_happened(world, client_for):
    batch = checked(world, [["a-1", "12", "1290", "100", "办公", "120"]])
    officer = client_for(world.users["officer"])
    page = officer.post(reverse("import_commit", args=[batch.pk]), follow=True).content.decode()
    assert "units.xlsx：已导入。" in page and 'data-testid="rollback"' not in page  # only the administrator's
    admin = client_for(world.users["admin"])
    page = admin.get(batch.get_absolute_url()).content.decode()
    assert f'action="{reverse("import_rollback", args=[batch.pk])}"' in page
    page = admin.post(reverse("import_rollback", args=[batch.pk]), follow=True).content.decode()
    assert "已回滚：撤销了 1 项变更。" in page and not Unit.objects.filter(code="1290").exists()
