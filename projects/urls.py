from django.urls import path

from core.surfaces.urls import surface_urlpatterns

from . import surfaces, views

app_name = "projects"

urlpatterns = [
    path("ppp/affordability/", views.affordability, name="ppp_affordability"),
]
for s in (surfaces.project, surfaces.milestone, surfaces.spacedelivery, surfaces.pppproject, surfaces.fiscalyear,
          surfaces.ppppayment):
    urlpatterns += surface_urlpatterns(s)
