from core.surfaces.urls import surface_urlpatterns

from . import surfaces

app_name = "projects"

urlpatterns = []
for s in (surfaces.project, surfaces.milestone, surfaces.spacedelivery):
    urlpatterns += surface_urlpatterns(s)
