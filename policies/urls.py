from django.urls import path  # noqa: F401

from core.surfaces.urls import surface_urlpatterns  # noqa: F401

app_name = "policies"

urlpatterns = []


# ===== versions ====
from . import surfaces as _surfaces  # noqa: E402
from . import views as _views  # noqa: E402

urlpatterns += [
    path("policy-versions/<int:pk>/rules/", _views.policyversion_rules, name="policyversion_rules"),
    path("policy-versions/<int:pk>/cases/add/", _views.policytestcase_edit, name="policytestcase_add"),
    path("policy-versions/<int:pk>/cases/<int:case_pk>/", _views.policytestcase_edit, name="policytestcase_edit"),
    path("calculator/", _views.evaluate, name="evaluate"),
    path("decisions/<int:pk>/", _views.decision_detail, name="decision_detail"),
    *surface_urlpatterns(_surfaces.policy),
    *surface_urlpatterns(_surfaces.policyversion),
]

# (end of this part)


# ===== screening ====
from . import screening_pages as _screening_pages  # noqa: E402
from . import surfaces as _surfaces  # noqa: E402

urlpatterns += surface_urlpatterns(_surfaces.screeningrun)
urlpatterns += surface_urlpatterns(_surfaces.offer)
urlpatterns += [path("my-offers/", _screening_pages.my_offers, name="my_offers")]

# (end of this part)


# ===== awards ====
from . import surfaces as _awards_surfaces  # noqa: E402
from . import views as _awards_views  # noqa: E402

urlpatterns += [
    path("applications/queue/", _awards_views.application_queue, name="application_queue"),
    path("awards/", _awards_views.award_list, name="award_list"),
    path("awards/<int:pk>/", _awards_views.award_detail, name="award_detail"),
    path("awards/<int:pk>/cancel/", _awards_views.award_cancel, name="award_cancel"),
    path("awards/<int:pk>/plan/", _awards_views.award_plan, name="award_plan"),
    path("tranches/<int:pk>/pay/", _awards_views.tranche_pay, name="tranche_pay"),
    *surface_urlpatterns(_awards_surfaces.application),
    *surface_urlpatterns(_awards_surfaces.budget),
]

# (end of this part)


# ===== clawback ====
from . import surfaces as _cb_surfaces  # noqa: E402
from . import views as _cb_views  # noqa: E402

urlpatterns += [path("clawbacks/scan/", _cb_views.clawback_scan_view, name="clawback_scan")]
urlpatterns += surface_urlpatterns(_cb_surfaces.clawbackcase)

# (end of this part)


# ===== govspace ====
from . import surfaces as _surfaces  # noqa: E402
from . import views as _views  # noqa: E402

urlpatterns += surface_urlpatterns(_surfaces.spaceallocation)
urlpatterns += [
    path("reports/funds/", _views.funds_report, name="funds_report"),
    path("reports/funds/export/", _views.funds_report_export, name="funds_report_export"),
]
# (end of this part)
