"""A new password, another role or a deactivated account ends the account's sessions and revokes its API tokens,
by every path; tokens expire, and the token page says when."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from core.accounts import tokens
from core.models import ApiToken, DomainEvent, User
from yuanqu.testing import PASSWORD

NEW_PASSWORD = "Yq-another-pass-2026"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    return client


def still_signed_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


def api_accepts(key: str) -> bool:
    return Client().get("/api/spaces/parks", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def edit_data(user, **changes) -> dict:
    data = {"username": user.username, "display_name": user.display_name, "email": user.email, "role": user.role,
            "department": user.department_id or "", "password": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def ended_event(user):
    return DomainEvent.objects.filter(name="core.user.access_end", object_id=str(user.pk)).get()


@pytest.mark.parametrize("change, expected", [
    ({"password": NEW_PASSWORD}, ["password"]),
    ({"role": "leader"}, ["role"]),
    (None, ["deactivated"]),  # the account's "deactivate" action (core.accounts.views.user_deactivate)
])
def test_the_administrators_change_revokes_tokens_and_ends_every_session(world, change, expected):
    officer, admin = world.users["officer"], world.users["admin"]
    _token, key = tokens.token_create(user=officer, name="ERP")
    browser, laptop = signed_in(officer), signed_in(officer)
    assert api_accepts(key)

    if change is None:
        response = signed_in(admin).post(reverse("user_deactivate", args=[officer.pk]))
    else:
        response = signed_in(admin).post(reverse("user_edit", args=[officer.pk]), edit_data(officer, **change))
    assert response.status_code == 302

    assert not api_accepts(key)
    assert not still_signed_in(browser) and not still_signed_in(laptop)
    assert not ApiToken.objects.filter(user=officer, revoked_at__isnull=True).exists()
    event = ended_event(officer)
    assert event.user == admin and event.data == {"changes": expected, "tokens_revoked": [key[:8]]}
    page = signed_in(admin).get(reverse("user_detail", args=[officer.pk])).content.decode()
    assert "登录会话已结束，接口令牌已撤销" in page


def test_a_user_changing_their_own_password_keeps_this_session_only(world):
    officer = world.users["officer"]
    _token, key = tokens.token_create(user=officer)
    this, other = signed_in(officer), signed_in(officer)

    page = this.get(reverse("password_change")).content.decode()
    assert "修改密码" in page
    response = this.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302

    assert still_signed_in(this) and not still_signed_in(other)
    assert not api_accepts(key)
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert ended_event(officer).user == officer
    assert DomainEvent.objects.filter(name="core.user.change_password", object_id=str(officer.pk)).exists()


def test_a_wrong_old_password_changes_nothing(world):
    officer = world.users["officer"]
    _token, key = tokens.token_create(user=officer)
    this = signed_in(officer)
    response = this.post(reverse("password_change"), {
        "old_password": "not-the-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 400 and "旧密码" in response.content.decode()
    assert api_accepts(key) and still_signed_in(this)


def test_the_administrator_changing_their_own_password_stays_signed_in(world):
    admin = world.users["admin"]
    this, other = signed_in(admin), signed_in(admin)
    response = this.post(reverse("user_edit", args=[admin.pk]), edit_data(admin, password=NEW_PASSWORD))
    assert response.status_code == 302
    assert still_signed_in(this) and not still_signed_in(other)


def test_managepy_changepassword_revokes_tokens_and_ends_sessions(world, monkeypatch):
    operator = world.users["operator"]
    _token, key = tokens.token_create(user=operator)
    browser = signed_in(operator)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", operator.username, stdout=None)
    assert not api_accepts(key) and not still_signed_in(browser)
    event = ended_event(operator)
    assert event.user is None and event.data["changes"] == ["password"]


def test_other_changes_and_a_hash_upgrade_on_login_keep_tokens(world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"]
    officer = world.users["officer"]
    _token, key = tokens.token_create(user=officer)
    browser = signed_in(officer)
    response = signed_in(world.users["admin"]).post(reverse("user_edit", args=[officer.pk]),
                                                    edit_data(officer, display_name="王科长"))
    assert response.status_code == 302
    assert still_signed_in(browser) and api_accepts(key)
    # A hash made with an older algorithm is upgraded when the user logs in: not a new password.
    User.objects.filter(pk=officer.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha1"))
    assert Client().login(username=officer.username, password=PASSWORD)
    assert User.objects.get(pk=officer.pk).password.startswith("md5$")
    assert api_accepts(key)
    assert not DomainEvent.objects.filter(name="core.user.access_end").exists()


@override_settings(YUANQU_TOKEN_DAYS=30)
def test_tokens_expire_after_the_configured_days_and_are_refused_in_chinese(world):
    token, key = tokens.token_create(user=world.users["officer"])
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs(token.expires_at - expected) < datetime.timedelta(minutes=1)
    assert api_accepts(key)

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().get("/api/spaces/parks", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    day = timezone.localdate()
    assert response.json()["detail"] == f"此接口令牌已于 {day.year}年{day.month}月{day.day}日 过期，请在“接口令牌”页面新建一个。"


def test_the_token_page_shows_each_tokens_expiry_date(world):
    officer = world.users["officer"]
    token, _key = tokens.token_create(user=officer, name="ERP")
    old, _old_key = tokens.token_create(user=officer, name="旧的")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC))
    page = signed_in(officer).get(reverse("token_list")).content.decode()
    day = timezone.localtime(token.expires_at).date()
    assert f"{day.year}年{day.month}月{day.day}日" in page
    assert "2026年3月5日 <span" in page and "已过期" in page
    assert "90 天内有效" in page
