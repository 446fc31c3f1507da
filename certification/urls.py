from django.urls import path  # noqa: F401

from core.surfaces.urls import surface_urlpatterns  # noqa: F401

from . import surfaces, views

app_name = "certification"

urlpatterns = []


# ----- schemes and their versions -----------------------------------------------------------------------------

urlpatterns += [
    path("scheme-versions/<int:pk>/rules/", views.schemeversion_rules, name="schemeversion_rules"),
    *surface_urlpatterns(surfaces.scheme),
    *surface_urlpatterns(surfaces.schemeversion),
]


# ----- incubatees, service records, applications and certifications -------------------------------------------

urlpatterns += [
    path("applications/<int:pk>/supplied/", views.application_supplied, name="application_supplied"),
]
for _surface in (surfaces.incubatee, surfaces.servicerecord, surfaces.application,
                 surfaces.certification):
    urlpatterns += surface_urlpatterns(_surface)


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------

urlpatterns += [
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("rounds/<int:pk>/declare/", views.round_declare, name="round_declare"),
    path("rounds/<int:pk>/results/", views.round_results, name="round_results"),
    path("rounds/<int:pk>/results/export/", views.round_results_export, name="round_results_export"),
    path("assessments/<int:pk>/score/", views.assessment_score, name="assessment_score"),
    path("certifications/<int:pk>/pack.pdf", views.certification_pack, name="certification_pack"),
    *surface_urlpatterns(surfaces.assessmentround),
    *surface_urlpatterns(surfaces.assessment),
]


# ----- facts computed from the records, and their evidence ----------------------------------------------------

urlpatterns += [
    path("evidence/<int:park_id>/<str:fact>/", views.fact_evidence, name="evidence"),
]
