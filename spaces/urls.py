from django.urls import path

from core.surfaces.urls import surface_urlpatterns

from . import surfaces, views

app_name = "spaces"

urlpatterns = [
    path("zones/tree/", views.zone_tree, name="zone_tree"),
    path("vacancy/", views.long_vacancy, name="long_vacancy"),
    path("vacancy/export/", views.long_vacancy_export, name="long_vacancy_export"),
    path("floors/options/", views.floor_options, name="floor_options"),
    path("buildings/options/", views.building_options, name="building_options"),
    path("parks/options/", views.park_options, name="park_options"),
    path("map/", views.district_map, name="map"),
    path("map/data/", views.map_data, name="map_data"),
    path("quality/", views.quality, name="quality"),
    path("quality/<slug:slug>/", views.quality_detail, name="quality_list"),
    path("quality/<slug:slug>/export/", views.quality_export, name="quality_export"),
    path("parks/<int:park>/quality/", views.quality, name="park_quality"),
    path("parks/<int:park>/quality/<slug:slug>/", views.quality_detail, name="park_quality_list"),
    path("parks/<int:park>/quality/<slug:slug>/export/", views.quality_export, name="park_quality_export"),
]
for s in (surfaces.operator, surfaces.zone, surfaces.park, surfaces.building, surfaces.floor, surfaces.unit):
    urlpatterns += surface_urlpatterns(s)
