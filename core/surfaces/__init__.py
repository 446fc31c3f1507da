"""One surface per model: its FilterSet, Form, table columns and services, shared by the list page,
the detail page, the edit form and the API (and, later, export and import).

An app declares its surfaces in ``<app>/surfaces.py``; ``urls.py`` and ``api.py`` are generated from them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.urls import path, reverse_lazy

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

    def urlpatterns(self):
        from core.importing import views as import_views
        from core.surfaces import bulk_views, exports, views

        n = self.name
        return [
            path(f"{self.slug}/", views.ObjectListView.as_view(surface=self), name=f"{n}_list"),
            path(f"{self.slug}/add/", views.ObjectEditView.as_view(surface=self), name=f"{n}_add"),
            path(f"{self.slug}/<int:pk>/", views.ObjectDetailView.as_view(surface=self), name=f"{n}_detail"),
            path(f"{self.slug}/<int:pk>/edit/", views.ObjectEditView.as_view(surface=self), name=f"{n}_edit"),
            path(f"{self.slug}/<int:pk>/delete/", views.ObjectDeleteView.as_view(surface=self), name=f"{n}_delete"),
            path(f"{self.slug}/<int:pk>/changes/", views.ObjectChangesView.as_view(surface=self), name=f"{n}_changes"),
            *self.action_urlpatterns(),
            path(f"{self.slug}/export/", exports.ObjectExportView.as_view(surface=self), name=f"{n}_export"),
            path(f"{self.slug}/bulk-edit/", bulk_views.BulkEditView.as_view(surface=self), name=f"{n}_bulk_edit"),
            path(f"{self.slug}/bulk-delete/", bulk_views.BulkDeleteView.as_view(surface=self), name=f"{n}_bulk_delete"),
            *([
                path(f"{self.slug}/import/", import_views.ImportStartView.as_view(surface=self), name=f"{n}_import"),
                path(f"{self.slug}/import/template/", import_views.ImportTemplateView.as_view(surface=self),
                     name=f"{n}_import_template"),
            ] if self.importer is not None else []),
        ]


    def action_urlpatterns(self):
        """A form page and POST route for each action declared on the model (core.actions)."""
        from core import actions
        from core.actions import views as action_views

        return [
            path(f"{self.slug}/<int:pk>/{declared.verb}/",
                 action_views.ActionView.as_view(action=declared, queryset=self.queryset,
                                                 list_url=reverse_lazy(self.url_name("list"))),
                 name=f"{self.name}_{declared.verb}")
            for declared in actions.actions_for(self.model)
        ]


REGISTRY: dict[type, Surface] = {}


def register(surface: Surface) -> Surface:
    REGISTRY[surface.model] = surface
    return surface


def discover() -> dict[type, Surface]:
    """Every app's surfaces (the URL modules import them too; commands and workers need this)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("surfaces")
    from core.reminders import surface  # noqa: F401
    from core.surfaces import department  # noqa: F401  core's own surfaces (core.surfaces is the framework itself)

    return REGISTRY


def surface_for(model) -> Surface | None:
    found = REGISTRY.get(model if isinstance(model, type) else type(model))
    if found is None:
        found = discover().get(model if isinstance(model, type) else type(model))
    return found
