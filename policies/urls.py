from django.urls import path  # noqa: F401

from core.surfaces.urls import surface_urlpatterns  # noqa: F401

app_name = "policies"

urlpatterns = []


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
from . import surfaces as _cb_surfaces  # noqa: E402
from . import views as _cb_views  # noqa: E402

urlpatterns += [path("clawbacks/scan/", _cb_views.clawback_scan_view, name="clawback_scan")]
urlpatterns += surface_urlpatterns(_cb_surfaces.clawbackcase)

# (end of this part)


# ===== govspace ====

# (end of this part)
