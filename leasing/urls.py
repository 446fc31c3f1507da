from django.urls import path

from core.surfaces.urls import surface_urlpatterns

from . import surfaces, views

app_name = "leasing"

urlpatterns = [
    path("expiring/", views.lease_expiry_queue, name="expiry_queue"),
    path("expiring/export/", views.lease_expiry_export, name="expiry_export"),
    path("units/options/", views.unit_options, name="unit_options"),
    *surface_urlpatterns(surfaces.lease),
]
