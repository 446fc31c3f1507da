"""The declaration of a surface (``Surface``, ``Column``) and the registry that ``register`` fills; the package
``core.surfaces`` offers them with ``discover`` and ``surface_for``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from core import services as core_services


@dataclass
class Column:
    name: str
    label: str | None = None
    order_by: str | None = ""  # "" → the column's own name when it is a concrete field; None → not sortable
    link: bool = False
    template: str | None = None  # a template rendered with {"record", "value"}
    export: str | None = None  # what an export writes, when not the column's own value (e.g. "floor.label")

    def verbose(self, model) -> str:
        if self.label is not None:
            return str(self.label)
        try:
            return str(model._meta.get_field(self.name.split("__")[0].split(".")[0]).verbose_name)
        except Exception:
            return self.name


@dataclass
class Surface:
    model: type[models.Model]
    filterset: type
    form: type
    columns: list[Column]
    slug: str  # url segment, e.g. "units"
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    default_sort: str | None = None
    create: Callable = core_services.object_create
    update: Callable = core_services.object_update
    delete: Callable = core_services.object_delete
    detail_template: str | None = None
    extra_context: Callable | None = None  # (request, obj) → dict for the detail page
    importer: object = None  # core.importing.spec.ImportSpec: how rows of a spreadsheet become objects
    # Fields of the edit form a person may set on many records at once (core/surfaces/bulk.py): plain fields, choices and
    # foreign keys that records may share; never a many-to-many or a unique field (a code, a credit code).
    # Empty: the list offers bulk delete only.
    bulk_fields: tuple[str, ...] = ()
    # lock(ids): take the row locks the surface's services take, in their order, for these records, before a
    # bulk operation reads them (leases: their units first). None: the rows themselves, in id order.
    lock: Callable | None = None
    # Fields the API returns but does not take, e.g. a status the services keep ("status", "leased_area").
    api_read_only: tuple[str, ...] = ()

    @property
    def opts(self):
        return self.model._meta

    @property
    def name(self) -> str:
        return self.opts.model_name

    @property
    def app_label(self) -> str:
        return self.opts.app_label

    def url_name(self, action: str) -> str:
        return f"{self.app_label}:{self.name}_{action}"

    def queryset(self, user):
        """The selector: what ``user`` may see of this model, with what the table needs joined."""
        qs = self.model._default_manager.for_user(user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def sortable(self) -> dict[str, str]:
        result = {}
        for column in self.columns:
            key = column.order_by
            if key == "":
                try:
                    f = self.model._meta.get_field(column.name)
                    key = column.name if f.concrete and not f.many_to_many else None
                except Exception:
                    key = None
            if key:
                result[column.name] = key
        return result


REGISTRY: dict[type, Surface] = {}


def register(surface: Surface) -> Surface:
    REGISTRY[surface.model] = surface
    return surface
