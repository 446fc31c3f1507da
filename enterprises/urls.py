from django.urls import path

from core.surfaces.urls import surface_urlpatterns

from . import surfaces, views

app_name = "enterprises"

urlpatterns = [
    path("industries/", views.industry_browser, name="industry_browser"),
    path("enterprises/options/", views.enterprise_options, name="enterprise_options"),
]
for s in (surfaces.enterprise, surfaces.qualification, surfaces.contact, surfaces.financial_year):
    urlpatterns += surface_urlpatterns(s)
