"""The pages of a surface: list, detail, edit, delete, changes, its actions, export, bulk edit and delete, and
import when it has an importer. An app's urls.py adds ``*surface_urlpatterns(surface)``."""

from django.urls import path, reverse_lazy

from core import actions
from core.actions import views as action_views
from core.importing import views as import_views
from core.surfaces import Surface, bulk_views, exports, views


def surface_urlpatterns(surface: Surface) -> list:
    n, slug = surface.name, surface.slug
    return [
        path(f"{slug}/", views.ObjectListView.as_view(surface=surface), name=f"{n}_list"),
        path(f"{slug}/add/", views.ObjectEditView.as_view(surface=surface), name=f"{n}_add"),
        path(f"{slug}/<int:pk>/", views.ObjectDetailView.as_view(surface=surface), name=f"{n}_detail"),
        path(f"{slug}/<int:pk>/edit/", views.ObjectEditView.as_view(surface=surface), name=f"{n}_edit"),
        path(f"{slug}/<int:pk>/delete/", views.ObjectDeleteView.as_view(surface=surface), name=f"{n}_delete"),
        path(f"{slug}/<int:pk>/changes/", views.ObjectChangesView.as_view(surface=surface), name=f"{n}_changes"),
        *action_urlpatterns(surface),
        path(f"{slug}/export/", exports.ObjectExportView.as_view(surface=surface), name=f"{n}_export"),
        path(f"{slug}/bulk-edit/", bulk_views.BulkEditView.as_view(surface=surface), name=f"{n}_bulk_edit"),
        path(f"{slug}/bulk-delete/", bulk_views.BulkDeleteView.as_view(surface=surface), name=f"{n}_bulk_delete"),
        *([
            path(f"{slug}/import/", import_views.ImportStartView.as_view(surface=surface), name=f"{n}_import"),
            path(f"{slug}/import/template/", import_views.ImportTemplateView.as_view(surface=surface),
                 name=f"{n}_import_template"),
        ] if surface.importer is not None else []),
    ]


def action_urlpatterns(surface: Surface) -> list:
    """A form page and POST route for each action declared on the model (core.actions)."""
    return [
        path(f"{surface.slug}/<int:pk>/{declared.verb}/",
             action_views.ActionView.as_view(action=declared, queryset=surface.queryset,
                                             list_url=reverse_lazy(surface.url_name("list"))),
             name=f"{surface.name}_{declared.verb}")
        for declared in actions.actions_for(surface.model)
    ]
