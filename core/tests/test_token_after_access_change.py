"""A token asked for by a request that began before the account's access changed (a new password, another role, a
deactivation) is refused: otherwise a stolen session that keeps asking for tokens keeps one through the
administrator's password reset. Step by step on both databases; with real threads on PostgreSQL."""

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.accounts import tokens
from core.models import ApiToken, User
from core.reference.choices import Role
from yuanqu.racing import postgres_only, race
from yuanqu.testing import make_user

NEW_PASSWORD = "Yq-reset-by-admin-2026"


def change_password(user_id):
    account = User.objects.get(pk=user_id)
    account.set_password(NEW_PASSWORD)
    account.save()


def change_role(user_id):
    account = User.objects.get(pk=user_id)
    account.role = "leader"
    account.save()


def deactivate(user_id):
    account = User.objects.get(pk=user_id)
    account.is_active = False
    account.save()


@pytest.mark.parametrize("change", [change_password, change_role, deactivate], ids=["password", "role", "deactivated"])
def test_a_request_that_began_before_the_change_gets_no_token(world, change):
    officer = world.users["officer"]
    as_the_request_found_it = User.objects.get(pk=officer.pk)
    change(officer.pk)
    with pytest.raises(PermissionDenied):
        tokens.token_create(user=as_the_request_found_it, name="kept")
    assert not ApiToken.objects.filter(user=officer, revoked_at__isnull=True).exists()


def test_the_token_page_of_a_session_whose_access_changed_meanwhile_makes_no_token(world, client_for, monkeypatch):
    officer = world.users["officer"]
    client = client_for(officer)
    authenticated = tokens.token_create

    def after_the_reset(*, user, **kwargs):  # the reset lands between the session check and the token
        change_password(user.pk)
        return authenticated(user=user, **kwargs)

    monkeypatch.setattr(tokens, "token_create", after_the_reset)
    response = client.post(reverse("token_list"), {"name": "kept"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=officer, revoked_at__isnull=True).exists()


def test_a_token_made_by_the_current_account_still_works(world):
    officer = world.users["officer"]
    change_role(officer.pk)
    _token, key = tokens.token_create(user=User.objects.get(pk=officer.pk), name="after")
    assert tokens.token_user(key).pk == officer.pk


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_no_token_asked_for_during_a_password_reset_outlives_it(world):
    """Each round, on an account of its own, one thread does what a token request does (reads the account, works
    a moment, makes the token) while another resets the password: a token that still works afterwards must have
    been asked for by a request that read the account after the reset."""
    accounts = [make_user(f"t_race_{number}", Role.BUREAU_OFFICER) for number in range(40)]

    def ask_for_a_token(number):
        found = User.objects.get(pk=accounts[number].pk)
        time.sleep(0.002)
        try:
            _token, key = tokens.token_create(user=found, name="persist")
        except PermissionDenied:
            return None
        return found.session_epoch, key

    def reset(number):
        change_password(accounts[number].pk)

    outcomes = race([ask_for_a_token, reset], rounds=len(accounts))
    assert not [o for round_ in outcomes for o in round_ if isinstance(o, Exception)]
    outliving = []
    for account, (made, _reset) in zip(accounts, outcomes, strict=True):
        if made is not None and tokens.token_user(made[1]) is not None:
            if made[0] != User.objects.get(pk=account.pk).session_epoch:
                outliving.append(account.username)
    assert outliving == []
