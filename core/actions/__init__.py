"""Actions: the named steps of a workflow (terminate a lease, renew it, commit an import), declared once.

A service that is an action is written as a plain function and declared with ``@action(...)``::

    @action(Lease, "renew", label=_("Renew"), sources=[LeaseStatus.ACTIVE], target=LeaseStatus.RENEWED,
            roles=OFFICE + [Role.PARK_OPERATOR], form=RenewForm)
    def lease_renew(*, user, instance, start_date, end_date, monthly_rent):
        ...

The declaration names the verb, its label, the states it may start from and the one it leads to, the roles
that may take it (the scope is the model's own: ``for_user``), the form of its inputs and the domain event it
records. From it come:

- the guarded service: calling ``lease_renew(user=..., instance=..., **inputs)`` locks the row, checks
  the permission (``core.access.permissions.may``) and the state under that lock, runs the body and records the
  event, in one transaction, whoever calls it (a page, the API, a command, another service);
- a button on the object's page (``{% object_actions object %}``), shown to those who may take it now;
- a form page and its POST route (``<slug>/<pk>/<verb>/``, from the model's Surface, or for a model without
  one from its ``place``: an API token, an account, an import batch);
- an API endpoint ``POST /api/<app>/<slug>/{pk}/<verb>`` in the OpenAPI schema (core.surfaces.api);
- the transition table's test (core/tests/test_actions.py walks every declaration).

A transition the state does not allow raises ``Refused``: a Chinese message in the page, 409 in the API. The state
is a choice field (``status``) or one derived from other fields (``core.models.DerivedState``: a token's).
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from core import audit
from core.access import permissions
from core.access.permissions import in_scope, user_active
from core.models import DerivedState


class Refused(Exception):
    """The action is not possible from the record's present state (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


@dataclass(eq=False)
class Action:
    model: type[models.Model]
    verb: str
    label: object  # lazy Chinese label, e.g. 续约
    roles: frozenset
    body: Callable | None = None
    sources: frozenset | None = None  # states it may start from; None: any state
    target: str | None = None  # the state it leads to (None: the state does not change)
    state_field: str = "status"
    form: type | None = None  # a django.forms.Form of its inputs; None: no inputs (a confirmation)
    event: str = ""
    style: str = "outline-primary"
    help: object = ""  # one sentence under the form's title
    condition: Callable | None = None  # (user, obj) -> None, or raises Refused/PermissionDenied: further rules
    locks: Callable | None = None  # (pk) -> None: locks to take before the row's (a lease's units first)
    # (pk, inputs) -> None: the same, when what must be locked depends on the inputs (the units a lease moves
    # to, locked together with its own in one pass); taken instead of ``locks``.
    input_locks: Callable | None = None
    example: Callable | None = None  # (obj) -> inputs that succeed: documentation and the generated test
    result_of: Callable | None = None  # (result) -> the record the user lands on afterwards
    api_response: Callable | None = None  # (request, result) -> dict, when the answer is not the record
    initial: Callable | None = None  # (obj) -> the form's initial values
    event_data: Callable | None = None  # (obj, result) -> what the event records beside the inputs
    message: Callable | None = None  # (result) -> the sentence a person reads when it is done
    button: bool = True  # shown among the object page's buttons (False: offered elsewhere, e.g. in a row)
    # (user=, instance=, result=) -> result: work the action only starts, run after its transaction, outside its
    # lock (an import's rows: written at once for a small file, queued for the worker for a large one)
    after: Callable | None = None
    result_template: str | None = None  # the page shows the result (a revealed contact) instead of the record
    extra: dict = field(default_factory=dict)

    # A template reads its label and help; calling it (as templates call what is callable) would take it.
    do_not_call_in_templates = True

    @property
    def label_text(self) -> str:
        return str(self.label)

    def state_of(self, obj):
        return getattr(obj, self.state_field, None) if self.sources is not None else None

    def state_allows(self, obj) -> bool:
        return self.sources is None or getattr(obj, self.state_field) in self.sources

    def state_display(self, obj) -> str:
        display = getattr(obj, f"get_{self.state_field}_display", None)
        return str(display()) if display else str(getattr(obj, self.state_field))

    def refusal(self, obj) -> str:
        return _("%(object)s is %(state)s: it cannot be %(action)s from this state.") % {
            "object": obj, "state": self.state_display(obj), "action": self.label_text}

    def __call__(self, *, user, instance, **inputs):
        return take(self, user=user, instance=instance, **inputs)


# model → verb → Action, in declaration order.
REGISTRY: dict[type, dict[str, Action]] = {}


def action(model, verb: str, *, label, roles: Iterable, sources: Iterable | None = None, target=None,
           state_field: str = "status", form=None, event: str | None = None, event_label=None,
           after=None, result_template=None,
           style: str = "outline-primary", help="", condition=None, locks=None, input_locks=None, example=None,
           result_of=None, api_response=None, initial=None, event_data=None, message=None, button: bool = True):
    """Declare the decorated service as ``verb`` on ``model``; returns the guarded service."""

    def declare(body):
        name = event or f"{model._meta.app_label}.{model._meta.model_name}.{verb}"
        audit.register_event(name, event_label or label)
        declared = Action(
            model=model, verb=verb, label=label, roles=frozenset(roles), body=body,
            after=after, result_template=result_template,
            sources=None if sources is None else frozenset(sources), target=target, state_field=state_field,
            form=form, event=name, style=style, help=help, condition=condition, locks=locks,
            input_locks=input_locks, example=example,
            result_of=result_of, api_response=api_response, initial=initial, event_data=event_data,
            message=message, button=button,
        )
        REGISTRY.setdefault(model, {})[verb] = declared

        @functools.wraps(body)
        def guarded(*, user, instance, **inputs):
            return take(declared, user=user, instance=instance, **inputs)

        guarded.action = declared
        return guarded

    return declare


def actions_for(model) -> list[Action]:
    model = model if isinstance(model, type) else type(model)
    return list(REGISTRY.get(model, {}).values())


def action_for(model, verb: str) -> Action | None:
    model = model if isinstance(model, type) else type(model)
    return REGISTRY.get(model, {}).get(verb)


def all_actions() -> list[Action]:
    return [declared for verbs in REGISTRY.values() for declared in verbs.values()]


def check(user, declared: Action, obj, *, scoped: bool = False) -> None:
    """Raise PermissionDenied when ``user`` may not take the action on ``obj`` at all (role or scope), Refused
    when the record's state (or a further rule) does not allow it now. ``scoped``: ``obj`` was read from the
    user's scope already (a page's record, a row of a list), so the scope is not asked again."""
    if not user_active(user) or user.role not in declared.roles:
        raise PermissionDenied(_("You do not have permission to do this."))
    if obj is not None:
        if not scoped and not in_scope(user, obj):
            raise PermissionDenied(_("You do not have permission to do this."))
        if not declared.state_allows(obj):
            raise Refused(declared.refusal(obj))
        if declared.condition:
            declared.condition(user, obj)


def allowed(user, declared: Action, obj, *, scoped: bool = False) -> bool:
    """Whether ``user`` may take the action on ``obj`` now. ``scoped``: ``obj`` was read from the user's scope
    already, so it is not asked again (a row of a list)."""
    try:
        check(user, declared, obj, scoped=scoped)
    except (PermissionDenied, Refused):
        return False
    return True


def _plain_inputs(inputs: dict) -> dict:
    plain = {}
    for name, value in inputs.items():
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, (list, tuple, set, models.QuerySet)):
            value = sorted(getattr(v, "pk", v) for v in value)
        plain[name] = value
    return plain


def take(declared: Action, *, user, instance, **inputs):
    """Run the action: locks, then the row locked within the user's scope, the permission and state checked
    under the lock, the body, and the audited event, all in one transaction; then its ``after`` work. Returns the
    body's result (as ``after`` leaves it)."""
    with transaction.atomic():
        if declared.input_locks:
            declared.input_locks(instance.pk, inputs)
        elif declared.locks:
            declared.locks(instance.pk)
        try:
            obj = declared.model._default_manager.select_for_update().get(pk=instance.pk)
        except ObjectDoesNotExist as exc:
            raise Refused(_("This record was deleted meanwhile.")) from exc
        check(user, declared, obj)
        result = declared.body(user=user, instance=obj, **inputs)
        data = _plain_inputs(inputs)
        if declared.event_data:
            data.update(declared.event_data(obj, result))
        audit.record_event(declared.event, user=user, instance=obj, data=data)
    if declared.after:
        result = declared.after(user=user, instance=obj, result=result)
    return result


# ----- states ---------------------------------------------------------------------------------------------------
def _derived(model, state_field) -> DerivedState | None:
    found = getattr(model, state_field, None)
    return found if isinstance(found, DerivedState) else None


def states(declared: Action) -> list:
    """Every state a record of the action's model can be in: its state field's choices, or a derived state's."""
    derived = _derived(declared.model, declared.state_field)
    choices = derived.choices.choices if derived else declared.model._meta.get_field(declared.state_field).choices
    return [value for value, _label in choices]


def stored_state(declared: Action, state) -> dict:
    """The stored fields that put a record in ``state`` (for a derived state, the fields it is read from)."""
    derived = _derived(declared.model, declared.state_field)
    return derived.stored(state) if derived else {declared.state_field: state}


# ----- where the actions of a model are offered ---------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """Where the actions of a model without a Surface are offered: form pages at ``<slug>/<pk>/<verb>/`` among the
    project's own URLs, named ``<url_prefix>_<verb>`` (``import_commit``), and the API at
    ``/api/<app>/<slug>/{pk}/<verb>``; both on the records the model's scope (``for_user``) gives the user."""

    model: type
    slug: str
    url_prefix: str
    list_url_name: str | None = None  # the list the form page's breadcrumb goes back to


PLACES: dict[type, Place] = {}


def place(model, *, slug: str, url_prefix: str, list_url_name: str | None = None) -> Place:
    """Offer the actions of ``model``, which has no Surface, at ``slug`` (see Place)."""
    PLACES[model] = Place(model=model, slug=slug, url_prefix=url_prefix, list_url_name=list_url_name)
    return PLACES[model]


def landing(declared: Action, obj, result):
    """The record a person sees after the action: the declared one, the result when it is a record, or the
    object itself."""
    if declared.result_of:
        return declared.result_of(result)
    if isinstance(result, models.Model) and hasattr(result, "get_absolute_url"):
        return result
    return obj


def url_for(declared: Action, obj) -> str | None:
    """The action's form page for ``obj`` (None when the model's pages do not offer it)."""
    from django.urls import NoReverseMatch, reverse

    found = PLACES.get(declared.model)
    opts = declared.model._meta
    name = declared.extra.get("url_name") or (f"{found.url_prefix}_{declared.verb}" if found else
                                              f"{opts.app_label}:{opts.model_name}_{declared.verb}")
    try:
        return reverse(name, args=[obj.pk])
    except NoReverseMatch:
        return None


def buttons(user, obj, *, scoped: bool = False) -> list[dict]:
    """The actions ``user`` may take on ``obj`` now, as buttons (label, url, style). ``scoped``: the caller
    read ``obj`` from the user's scope already, so it is not asked again."""
    found = []
    for declared in actions_for(obj):
        if not declared.button or not allowed(user, declared, obj, scoped=scoped):
            continue
        url = url_for(declared, obj)
        if url:
            found.append({"verb": declared.verb, "label": declared.label_text, "url": url, "style": declared.style})
    return found


permissions.answer_actions_with(action_for=action_for, allowed=allowed, check=check)
