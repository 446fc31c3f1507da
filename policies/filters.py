"""Filters of policy support: one FilterSet per model, shared by list, export and import."""


# ===== versions ====

# (end of this part)


# ===== screening ====
import django_filters  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.surfaces.filters import BaseFilterSet, scoped  # noqa: E402

from .choices import OfferStatus, RunStatus  # noqa: E402
from .models import Offer, Policy, ScreeningRun  # noqa: E402


class ScreeningRunFilterSet(BaseFilterSet):
    search_lookups = ()
    status = django_filters.ChoiceFilter(label=_("status"), choices=RunStatus.choices)

    class Meta:
        model = ScreeningRun
        fields = ["status"]


class OfferFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains", "policy__search_text__contains")
    policy = django_filters.ModelChoiceFilter(label=_("policy"), queryset=scoped(Policy))
    status = django_filters.ChoiceFilter(label=_("status"), choices=OfferStatus.choices)
    run = django_filters.NumberFilter(label=_("screening run"), field_name="run_id")

    class Meta:
        model = Offer
        fields = ["q", "policy", "status", "run"]

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
