"""A session cookie can only name a key Django could have made: any other (a NUL in it, which PostgreSQL
refuses in text) is no session and is never looked up, so no visitor can make a page answer 500 with it."""

from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ODD_KEYS = ["abcdefgh\x00ijklmnop", "ABCDEFGHIJKLMNOP", "abcdefgh ijklmnop", "a" * 41, "abcdefgh\u00e9ijklmnop"]


@pytest.mark.parametrize("key", ODD_KEYS, ids=["nul", "upper-case", "space", "too-long", "non-ascii"])
def test_a_key_no_session_can_have_is_never_looked_up(db, key):
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)  # the engine every request uses
    with CaptureQueriesContext(connection) as queries:
        assert store.get("_auth_user_id") is None
    assert store.session_key is None
    assert len(queries) == 0


def test_a_page_asked_with_a_nul_in_the_session_cookie_asks_for_a_login(db):
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnopqrstuvwxyz0123"
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_a_signed_in_session_still_works(world, client_for):
    client = client_for(world.users["officer"])
    assert len(client.session.session_key) == 32
    assert client.get(reverse("home")).status_code == 200
