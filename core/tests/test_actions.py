"""Every declared action (core.actions), tested from its declaration: the transition table (which states
allow it, where it leads), who may take it, its scope, its page, its API endpoint and its audited event."""

import datetime
import decimal
import json

import pytest

from core import actions
from core.access.permissions import may
from core.models import DomainEvent
from core.surfaces.api import api_path
from yuanqu.testing import bearer

ROLE_USERS = ("admin", "officer", "leader", "operator", "enterprise")


def declared_actions():
    actions_module = actions
    from core.surfaces import discover

    discover()  # every app's services (and so its declarations) are imported with its surfaces
    return actions_module.all_actions()


def _sample(world, declared, side="a"):
    """The world's own sample of the model, or, for a model of a later app, one its generic test class makes
    (``yuanqu.generic_tests.sample``): a new app declares its samples there and need not edit the world."""
    name = declared.model._meta.model_name
    try:
        sample = world.objects(name, side)
    except AttributeError:  # World has no ``_make_<name>``: the model is not among the first apps'
        from yuanqu.generic_tests import declared_classes
        from yuanqu.generic_tests import sample as generic_sample

        sample = generic_sample(world, declared.model, side) if declared.model in declared_classes() else None
    assert sample is not None, f"no sample {declared.model.__name__} for the action {declared.verb}"
    return sample


def _put_in(declared, obj, state):
    declared.model._default_manager.filter(pk=obj.pk).update(**actions.stored_state(declared, state))
    obj.refresh_from_db()


def _ready(world, declared):
    """The in-scope sample, in a state the action starts from (a model's actions start from different ones)."""
    obj = _sample(world, declared)
    if declared.sources is not None and not declared.state_allows(obj):
        _put_in(declared, obj, sorted(declared.sources)[0])
    return obj


def _states(declared):
    return actions.states(declared)


def _json(inputs: dict) -> str:
    def plain(value):
        if isinstance(value, (datetime.date, decimal.Decimal)):
            return str(value)
        if hasattr(value, "pk"):
            return value.pk
        if isinstance(value, (list, tuple, set)):
            return [plain(v) for v in value]
        return value

    return json.dumps({k: plain(v) for k, v in inputs.items()})


def _api_url(declared, obj):
    return api_path(declared, obj.pk)


CASES = [(declared, state) for declared in declared_actions() if declared.sources is not None
         for state in _states(declared)]


def test_every_action_is_declared_completely():
    for declared in declared_actions():
        assert declared.label_text and declared.roles, declared
        assert declared.example is not None, f"{declared.model.__name__}.{declared.verb} declares no example inputs"
        if declared.sources is not None:
            states = _states(declared)
            assert set(declared.sources) <= set(states), declared
            assert declared.target is None or declared.target in states, declared


@pytest.mark.parametrize(("declared", "state"), CASES, ids=[f"{d.model.__name__}.{d.verb}-from-{s}" for d, s in CASES])
def test_transition_table(world, client, declared, state):
    """From each state: allowed ones lead to the declared target through the API, the others answer 409 in
    Chinese and change nothing."""
    obj = _sample(world, declared)
    _put_in(declared, obj, state)
    user = next(world.users[key] for key in ROLE_USERS if world.users[key].role in declared.roles)
    allowed = state in declared.sources
    assert may(user, declared.verb, obj) is allowed
    events = DomainEvent.objects.filter(name=declared.event).count()
    response = client.post(_api_url(declared, obj), data=_json(declared.example(obj)),
                           content_type="application/json", **bearer(user))
    obj.refresh_from_db()
    if allowed:
        assert response.status_code == 200, response.content.decode()
        if declared.target is not None:
            assert getattr(obj, declared.state_field) == declared.target
        assert DomainEvent.objects.filter(name=declared.event).count() == events + 1
    else:
        assert response.status_code == 409, response.content.decode()
        assert "不能" in response.json()["detail"]
        assert getattr(obj, declared.state_field) == state
        assert DomainEvent.objects.filter(name=declared.event).count() == events


ROLE_CASES = [(declared, key) for declared in declared_actions() for key in ROLE_USERS]


@pytest.mark.parametrize(("declared", "role_key"), ROLE_CASES,
                         ids=[f"{d.model.__name__}.{d.verb}-as-{k}" for d, k in ROLE_CASES])
def test_who_may_take_it_in_and_out_of_scope(world, client, declared, role_key):
    """A role not named may not (403, or 404 when it cannot see the record); out of scope is 404; the page's
    button shows exactly for those who may; a refusal changes nothing."""
    user = world.users[role_key]
    inside, outside = _ready(world, declared), _sample(world, declared, "b")
    before = DomainEvent.objects.filter(name=declared.event).count()
    named = user.role in declared.roles
    sees = declared.model._default_manager.for_user(user).filter(pk=inside.pk).exists()
    response = client.post(_api_url(declared, inside), data=_json(declared.example(inside)),
                           content_type="application/json", **bearer(user))
    if named and sees:
        assert response.status_code == 200, response.content.decode()
    else:
        assert response.status_code == (403 if sees else 404), response.content.decode()
        assert DomainEvent.objects.filter(name=declared.event).count() == before
    if not declared.model._default_manager.for_user(user).filter(pk=outside.pk).exists():
        response = client.post(_api_url(declared, outside), data=_json(declared.example(outside)),
                               content_type="application/json", **bearer(user))
        assert response.status_code == 404


@pytest.mark.parametrize("declared", declared_actions(), ids=lambda d: f"{d.model.__name__}.{d.verb}")
def test_the_page_button_and_form(world, client_for, declared):
    """The object's page offers the action (a button linking to its form, or a form posting to it) to those who may
    take it now, and not once it is done; the form page takes it and lands on the record (or, for an action that
    shows something, shows it)."""
    obj = _ready(world, declared)
    user = next(world.users[key] for key in ROLE_USERS if world.users[key].role in declared.roles)
    url = actions.url_for(declared, obj)
    if url is None:
        pytest.fail(f"{declared.model.__name__}.{declared.verb} has no page")
    offered = f'"{url}"'  # href="…", action="…" or hx-post="…"
    client = client_for(user)
    page = client.get(obj.get_absolute_url()).content.decode()
    assert offered in page
    assert client.get(url).status_code == 200
    inputs = declared.example(obj)
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else getattr(v, "pk", v)) for k, v in inputs.items()}
    response = client.post(url, data)
    assert response.status_code == (200 if declared.result_template else 302), response.content.decode()[:2000]
    obj.refresh_from_db()
    if declared.sources is not None and getattr(obj, declared.state_field) not in declared.sources:
        assert offered not in client.get(obj.get_absolute_url()).content.decode()
        again = client.post(url, data)
        assert again.status_code == 409
        assert "不能" in again.content.decode()
    for key in ROLE_USERS:
        other = world.users[key]
        if other.role not in declared.roles and declared.model._default_manager.for_user(other).filter(pk=obj.pk).exists():
            other_client = client_for(other)
            assert offered not in other_client.get(obj.get_absolute_url()).content.decode()
            assert other_client.get(url).status_code == 403


def test_actions_are_in_the_openapi_schema(client, world):
    schema = client.get("/api/openapi.json", **bearer(world.users["officer"])).json()
    for declared in declared_actions():
        path = api_path(declared)
        assert path in schema["paths"], path
        operation = schema["paths"][path]["post"]
        assert "409" in operation["responses"]
        if declared.form is not None:
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert set(body["properties"]) == set(declared.form.base_fields)


@pytest.mark.django_db
def test_a_model_the_world_lacks_takes_its_sample_from_its_generic_test_class(world):
    """A later app's model with an action is tested without editing yuanqu.testing.World (ADR 0018)."""
    from core.reminders.models import ReminderRule

    declared = actions.Action(model=ReminderRule, verb="probe", label="probe", roles=frozenset())
    inside, outside = _sample(world, declared), _sample(world, declared, "b")
    assert isinstance(inside, ReminderRule) and isinstance(outside, ReminderRule) and inside.pk != outside.pk
