from django.urls import path

from core.surfaces.urls import surface_urlpatterns

from . import surfaces, views

app_name = "leasing"

urlpatterns = [
    path("expiring/", views.lease_expiry_queue, name="expiry_queue"),
    path("expiring/export/", views.lease_expiry_export, name="expiry_export"),
    path("units/options/", views.unit_options, name="unit_options"),
    path("leases/options/", views.lease_options, name="lease_options"),
    *surface_urlpatterns(surfaces.lease),
    *surface_urlpatterns(surfaces.rent_step),
    *surface_urlpatterns(surfaces.rent_payment),
    *surface_urlpatterns(surfaces.sublet),
]
