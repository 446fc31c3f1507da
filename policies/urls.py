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

# (end of this part)


# ===== govspace ====

# (end of this part)
