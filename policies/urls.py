from django.urls import path  # noqa: F401

from core.surfaces.urls import surface_urlpatterns

from . import screening_pages, surfaces, views

app_name = "policies"

urlpatterns = []


# ----- policies and their versions -----------------------------------------------------------------------------
urlpatterns += [
    path("policy-versions/<int:pk>/rules/", views.policyversion_rules, name="policyversion_rules"),
    path("policy-versions/<int:pk>/cases/add/", views.policytestcase_edit, name="policytestcase_add"),
    path("policy-versions/<int:pk>/cases/<int:case_pk>/", views.policytestcase_edit, name="policytestcase_edit"),
    path("calculator/", views.evaluate, name="evaluate"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    *surface_urlpatterns(surfaces.policy),
    *surface_urlpatterns(surfaces.policyversion),
]


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
urlpatterns += surface_urlpatterns(surfaces.screeningrun)
urlpatterns += surface_urlpatterns(surfaces.offer)
urlpatterns += [path("my-offers/", screening_pages.my_offers, name="my_offers")]


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
urlpatterns += [
    path("applications/queue/", views.application_queue, name="application_queue"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/cancel/", views.award_cancel, name="award_cancel"),
    path("awards/<int:pk>/plan/", views.award_plan, name="award_plan"),
    path("tranches/<int:pk>/pay/", views.tranche_pay, name="tranche_pay"),
    *surface_urlpatterns(surfaces.application),
    *surface_urlpatterns(surfaces.budget),
]


# ----- obligations and clawback --------------------------------------------------------------------------------
urlpatterns += [path("clawbacks/scan/", views.clawback_scan_view, name="clawback_scan")]
urlpatterns += surface_urlpatterns(surfaces.clawbackcase)


# ----- government-owned space and the funds report -------------------------------------------------------------
urlpatterns += surface_urlpatterns(surfaces.spaceallocation)
urlpatterns += [
    path("reports/funds/", views.funds_report, name="funds_report"),
    path("reports/funds/export/", views.funds_report_export, name="funds_report_export"),
]
