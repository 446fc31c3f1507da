from django.urls import path  # noqa: F401

from core.surfaces.urls import surface_urlpatterns  # noqa: F401

app_name = "certification"

urlpatterns = []


# ===== schemes and their versions ==========================================================================
from . import surfaces as certification_surfaces  # noqa: E402
from . import views as certification_views  # noqa: E402

urlpatterns += [
    path("scheme-versions/<int:pk>/rules/", certification_views.schemeversion_rules, name="schemeversion_rules"),
    *surface_urlpatterns(certification_surfaces.scheme),
    *surface_urlpatterns(certification_surfaces.schemeversion),
]
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
from . import surfaces as records_surfaces  # noqa: E402
from . import views as records_views  # noqa: E402

urlpatterns += [
    path("applications/<int:pk>/supplied/", records_views.application_supplied, name="application_supplied"),
]
for _surface in (records_surfaces.incubatee, records_surfaces.servicerecord, records_surfaces.application,
                 records_surfaces.certification):
    urlpatterns += surface_urlpatterns(_surface)


# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
from . import surfaces as round_surfaces  # noqa: E402
from . import views as round_views  # noqa: E402

urlpatterns += [
    path("reviews/", round_views.my_reviews, name="my_reviews"),
    path("rounds/<int:pk>/declare/", round_views.round_declare, name="round_declare"),
    path("rounds/<int:pk>/results/", round_views.round_results, name="round_results"),
    path("rounds/<int:pk>/results/export/", round_views.round_results_export, name="round_results_export"),
    path("assessments/<int:pk>/score/", round_views.assessment_score, name="assessment_score"),
    path("certifications/<int:pk>/pack.pdf", round_views.certification_pack, name="certification_pack"),
    *surface_urlpatterns(round_surfaces.assessmentround),
    *surface_urlpatterns(round_surfaces.assessment),
]
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
from . import views  # noqa: E402

urlpatterns += [
    path("evidence/<int:park_id>/<str:fact>/", views.fact_evidence, name="evidence"),
]
# (end of this part)
