"""What every model of the project builds on: the scoped queryset (``for_user``), the ids a scope names, the
base model with its timestamps, a state derived from others, and the searchable model. The apps import these
from ``core.models``; core's reminder models import them from here (core.models imports those)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.reference.choices import Role
from core.reference.search import search_key
from core.runtime.context import memo


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to shrink itself to what a user may see.

    Each model names, per restricted role, the lookup from itself to the user
    (``scope_paths = {Role.PARK_OPERATOR: "park__operator__users"}``). A restricted role
    without a path sees nothing of that model. Unrestricted roles see everything.
    """

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        role = user.role
        if role in UNRESTRICTED_ROLES:
            return self
        via = getattr(self.model, "scope_via", None)
        if via:
            parent = self.model._meta.get_field(via).related_model
            return self.filter(**{f"{via}__in": parent._default_manager.for_user(user).values("pk")})
        path = getattr(self.model, "scope_paths", {}).get(role)
        if path is None:
            return self.none()
        if path == ALL:
            return self
        head, _, rest = path.partition("__")
        field = self.model._meta.get_field(head)
        if rest and field.many_to_one:
            # Through a foreign key first: test the key against the ids it may hold, read once per request.
            # Named in the query, they give the planner a true row estimate (a join from the user to an
            # operator's parks is estimated at the average operator's size, whatever the operator).
            return self.filter(**{f"{head}__in": scope_ids(field.related_model, rest, user)})
        inner = self.model._default_manager.filter(**{path: user}).values("pk")
        return self.filter(pk__in=inner)


def scope_ids(model, lookup: str, user) -> list:
    """The ids of ``model`` rows that reach ``user`` by ``lookup`` (e.g. Park, "operator__users")."""
    return memo((model._meta.label, lookup, user.pk),
                lambda: list(model._default_manager.filter(**{lookup: user}).values_list("pk", flat=True)))


def in_force(model, on, **match):
    """The row of ``model`` (data with an ``effective_from``, e.g. a rule's figures) in force on ``on``: the one
    that took effect last on or before that day, among those matching ``match``; None before the first."""
    return model._default_manager.filter(effective_from__lte=on, **match).order_by("-effective_from").first()


ALL = "__all__"
UNRESTRICTED_ROLES = {Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.LEADER}


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


class DerivedState:
    """The state of a record that keeps no status field, read from its other fields (a token is revoked once it has
    a revocation time, expired past its expiry date). Declared on the model as ``state = DerivedState(TokenState,
    read=..., stored=...)``, it reads like a choice field (``token.state``, ``token.get_state_display()``), so a
    declared action (core.actions) can start from and lead to its values. ``stored(state)`` gives the fields
    that put a record in that state (what a test writes to set one up)."""

    def __init__(self, choices, *, read, stored):
        self.choices = choices
        self.read = read
        self.stored = stored

    def __set_name__(self, owner, name):
        labels = dict(self.choices.choices)
        setattr(owner, f"get_{name}_display", lambda obj: labels.get(getattr(obj, name), ""))
        setattr(owner, f"{name}_color", property(lambda obj: self.choices.color(getattr(obj, name))))

    def __get__(self, obj, owner=None):
        return self if obj is None else self.read(obj)


class BaseModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    # Actions per restricted role: "v"iew, "a"dd, "c"hange, "d"elete. Officers and admins may do all,
    # leaders may only view; a model lists here what operators and enterprise users may do.
    role_actions: dict = {}
    scope_paths: dict = {}
    # Or: the name of a foreign key whose target's scope this model shares (a floor is seen with its building).
    scope_via: str | None = None
    # Fields left out of the change record (derived keys and timestamps).
    audit_exclude = ("created", "last_updated", "search_text")
    # A write may change what a list holds, so cached list counts start again (core.surfaces.counting.is_data).
    changes_lists = True

    class Meta:
        abstract = True


class SearchableModel(BaseModel):
    """A model with a name that people search for in Chinese, full pinyin or initials."""

    search_text = models.TextField(editable=False, blank=True, default="")
    search_fields = ("name",)

    class Meta:
        abstract = True

    def refresh_search_text(self):
        self.search_text = search_key(*(str(getattr(self, f) or "") for f in self.search_fields))

    def save(self, *args, **kwargs):
        # A derived index column, kept in step with the name; no business rule lives here.
        self.refresh_search_text()
        super().save(*args, **kwargs)
