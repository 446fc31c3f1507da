from django.urls import path

from core.surfaces.urls import surface_urlpatterns

from . import surfaces, views

app_name = "carriers"

urlpatterns = [
    path("counts/", views.carrier_counts, name="carrier_counts"),
    path("counts/export/", views.carrier_counts_export, name="carrier_counts_export"),
]
urlpatterns += surface_urlpatterns(surfaces.carrier)
