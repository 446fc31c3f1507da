"""A refused form or request answers with the platform's own page in Chinese, under the same policy as every
page: a form that expired (signed in or out in another tab) and a request too large to read."""

from django.test import Client
from django.urls import reverse

from core.tests.test_csp import assert_strict_scripts


def test_a_form_that_expired_in_another_tab_says_so_in_chinese(world):
    browser = Client(enforce_csrf_checks=True)
    login_page = browser.get(reverse("login"))
    token = login_page.context["csrf_token"]
    browser.cookies.pop("csrftoken")  # as after signing in or out in another tab: the form's token is stale
    browser.get(reverse("login"))
    response = browser.post(reverse("login"), {"username": "t_officer", "password": "x", "csrfmiddlewaretoken": token})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "刷新后重试" in page
    assert 'href="/"' in page
    assert_strict_scripts(response)


def test_a_request_with_too_many_parameters_is_refused_in_chinese(world, client_for):
    client = client_for(world.users["officer"])
    response = client.get(reverse("spaces:unit_list") + "?" + "&".join(f"a{i}=1" for i in range(1100)))
    assert response.status_code == 400
    assert "无法读取本次请求" in response.content.decode()
    assert_strict_scripts(response)
