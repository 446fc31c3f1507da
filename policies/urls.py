from django.urls import path  # noqa: F401

from core.surfaces.urls import surface_urlpatterns  # noqa: F401

app_name = "policies"

urlpatterns = []


# ===== versions ====

# (end of this part)


# ===== screening ====
from . import screening_pages as _screening_pages  # noqa: E402
from . import surfaces as _surfaces  # noqa: E402

urlpatterns += surface_urlpatterns(_surfaces.screeningrun)
urlpatterns += surface_urlpatterns(_surfaces.offer)
urlpatterns += [path("my-offers/", _screening_pages.my_offers, name="my_offers")]

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
