from django.urls import path

from core.surfaces.urls import surface_urlpatterns

from . import surfaces, views

app_name = "finance"

urlpatterns = [
    path("fund-park/", views.fund_park, name="fund_park"),
]
for surface in (surfaces.fundmanager, surfaces.fund, surfaces.guidancecommitment, surfaces.fundinvestment,
                surfaces.supervisioncheck, surfaces.fundservice, surfaces.programme, surfaces.intake,
                surfaces.member, surfaces.resource):
    urlpatterns += surface_urlpatterns(surface)
