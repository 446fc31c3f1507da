"""MLPS 2.0 level 3: repeated failed logins lock the account; an idle session ends."""

import json

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.models import DomainEvent
from yuanqu.testing import PASSWORD


@override_settings(YUANQU_LOGIN_MAX_FAILURES=3, YUANQU_LOGIN_LOCK_MINUTES=15)
def test_three_wrong_passwords_lock_the_account_for_pages_and_api(world, client):
    for _attempt in range(3):
        response = client.post(reverse("login"), {"username": "t_officer", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "t_officer", "password": PASSWORD})
    assert "已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    api = client.post("/api/token", data=json.dumps({"username": "t_officer", "password": PASSWORD}),
                      content_type="application/json")
    assert api.status_code == 401 and "锁定" in api.json()["detail"]
    assert DomainEvent.objects.filter(name="core.account.lock").count() == 1
    assert DomainEvent.objects.filter(name="core.login.fail").count() == 3


@override_settings(YUANQU_LOGIN_MAX_FAILURES=3)
def test_a_good_login_clears_earlier_failures(world, client):
    for _attempt in range(2):
        client.post(reverse("login"), {"username": "t_officer", "password": "wrong"})
    client.post(reverse("login"), {"username": "t_officer", "password": PASSWORD})
    client.logout()
    for _attempt in range(2):
        client.post(reverse("login"), {"username": "t_officer", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "t_officer", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(YUANQU_IDLE_MINUTES=30)
def test_an_idle_session_is_logged_out(world, client):
    client.post(reverse("login"), {"username": "t_officer", "password": PASSWORD})
    assert client.get("/").status_code == 200
    session = client.session
    session["yq_seen"] = int(timezone.now().timestamp()) - 31 * 60
    session.save()
    response = client.get("/spaces/units/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302


def test_responses_report_server_time(world, client_for):
    response = client_for(world.users["officer"]).get("/")
    name, duration = response["Server-Timing"].split(";dur=")
    assert name == "app" and float(duration) > 0


@override_settings(YUANQU_LOGIN_MAX_FAILURES=3)
def test_attempts_are_counted_before_the_password_is_checked(world, client, monkeypatch):
    """Beyond the threshold no password is read at all, the right one included; a right password as the last
    allowed attempt still logs in and forgets the count."""
    from core.models import User

    checked = []
    original = User.check_password
    monkeypatch.setattr(User, "check_password", lambda self, raw: checked.append(raw) or original(self, raw))
    for password in ("wrong-1", "wrong-2", PASSWORD):
        client.post(reverse("login"), {"username": "t_officer", "password": password})
    assert checked == ["wrong-1", "wrong-2", PASSWORD] and "_auth_user_id" in client.session
    client.logout()
    for password in ("wrong-3", "wrong-4", "wrong-5", "wrong-6", PASSWORD):
        client.post(reverse("login"), {"username": "t_officer", "password": password})
    assert checked[3:] == ["wrong-3", "wrong-4", "wrong-5"] and "_auth_user_id" not in client.session
