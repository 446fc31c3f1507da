"""What kinds of documents exist and which records take them: declared by the apps that own the records, so
that core names none of them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access.permissions import VIEW, role_may


@dataclass(frozen=True)
class Kind:
    code: str
    label: object
    # A reusable document (a business licence, a certificate) belongs to the record's owner and is offered again
    # for the owner's other records; any other belongs to the record it was uploaded to.
    reusable: bool = False


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label, *, reusable: bool = False) -> str:
    """Declare a kind of document ("business_licence" → 营业执照); returns the code. Stored as the code, so a new
    kind needs no migration."""
    KINDS[code] = Kind(code, label, reusable)
    return code


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


OTHER = register_kind("other", _("Other"))


@dataclass(frozen=True)
class Attachable:
    label: str  # "app_label.model_name"
    kinds: tuple[str, ...]
    # The owner of the record's reusable documents (e.g. the enterprise a certificate was issued to) and its model.
    owner: Callable | None = None
    owner_model: str | None = None
    # Who may attach beyond those who may change the record: (user, record) -> bool, the record already in scope.
    also_attach: Callable | None = None

    @property
    def model(self):
        return apps.get_model(self.label)

    def owner_of(self, record):
        return self.owner(record) if self.owner else None


ATTACHABLES: dict[str, Attachable] = {}
ON_NEW_ATTACHABLE: list[Callable] = []


def when_attachable(react: Callable) -> None:
    """Call ``react(model_label)`` for every model that takes documents, those registered already and those to
    come (core.attachments.panels puts its panel on their detail pages this way)."""
    ON_NEW_ATTACHABLE.append(react)
    for label in list(ATTACHABLES):
        react(label)


def register_attachable(model_label: str, *, kinds: Iterable[str], owner: Callable | None = None,
                        owner_model: str | None = None, also_attach: Callable | None = None) -> Attachable:
    """Records of ``model_label`` take documents of ``kinds`` (and "other"); their detail pages show the
    attachments panel. ``owner(record)``, an instance of ``owner_model``, owns the reusable ones."""
    label = model_label.lower()
    codes = tuple(dict.fromkeys([*kinds, OTHER]))
    unknown = [code for code in codes if code not in KINDS]
    if unknown:
        raise ValueError(f"unregistered document kinds: {unknown}")
    if owner is not None and owner_model is None:
        raise ValueError("an owner needs its owner_model")
    attachable = Attachable(label, codes, owner, owner_model.lower() if owner_model else None, also_attach)
    first = label not in ATTACHABLES
    ATTACHABLES[label] = attachable
    if first:
        for react in ON_NEW_ATTACHABLE:
            react(label)
    return attachable


def attachable_for(model_or_label) -> Attachable | None:
    if isinstance(model_or_label, str):
        return ATTACHABLES.get(model_or_label.lower())
    return ATTACHABLES.get(model_or_label._meta.label_lower)


def _content_type(model):
    return ContentType.objects.get_for_model(model)


def attachment_scope(user) -> Q:
    """Attachments of the records ``user`` may see (a restricted role; unrestricted ones see all)."""
    conditions = []
    for attachable in ATTACHABLES.values():
        model = attachable.model
        if role_may(user, VIEW, model):
            conditions.append(Q(content_type=_content_type(model),
                                object_id__in=model._default_manager.for_user(user).values("pk")))
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def document_scope(user) -> Q:
    """Documents attached to a record ``user`` may see, or owned by an owner they may see."""
    from core.models import Attachment

    conditions = [Q(pk__in=Attachment.objects.filter(attachment_scope(user)).values("document_id"))]
    for label in sorted({a.owner_model for a in ATTACHABLES.values() if a.owner_model}):
        model = apps.get_model(label)
        if role_may(user, VIEW, model):
            conditions.append(Q(owner_type=_content_type(model),
                                owner_id__in=model._default_manager.for_user(user).values("pk")))
    return reduce(or_, conditions)
