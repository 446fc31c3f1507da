"""Filters of policy support: one FilterSet per model, shared by list, export and import."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
import django_filters as _cb_django_filters  # noqa: E402
from django.forms import HiddenInput as _CbHiddenInput  # noqa: E402
from django.utils.translation import gettext_lazy as _cb_lazy  # noqa: E402

from core.surfaces.filters import BaseFilterSet as _CbFilterSet  # noqa: E402
from core.surfaces.filters import scoped as _cb_scoped  # noqa: E402

from .choices import ClawbackStatus as _CbStatus  # noqa: E402
from .choices import ObligationKind as _CbObligationKind  # noqa: E402
from .models import ClawbackCase as _CbCase  # noqa: E402
from .models import Policy as _CbPolicy  # noqa: E402


class ClawbackCaseFilterSet(_CbFilterSet):
    search_lookups = ("enterprise__search_text__contains", "detail__icontains")
    status = _cb_django_filters.ChoiceFilter(label=_cb_lazy("status"), choices=_CbStatus.choices)
    obligation = _cb_django_filters.ChoiceFilter(label=_cb_lazy("obligation"), choices=_CbObligationKind.choices)
    policy = _cb_django_filters.ModelChoiceFilter(label=_cb_lazy("policy"), field_name="award__policy",
                                                  queryset=_cb_scoped(_CbPolicy))
    # By id, from the award's and the enterprise's pages.
    award = _cb_django_filters.NumberFilter(label=_cb_lazy("award"), field_name="award_id", widget=_CbHiddenInput)
    enterprise = _cb_django_filters.NumberFilter(label=_cb_lazy("enterprise"), field_name="enterprise_id",
                                                 widget=_CbHiddenInput)

    class Meta:
        model = _CbCase
        fields = ["q", "status", "obligation", "policy", "award", "enterprise"]

# (end of this part)


# ===== govspace ====

# (end of this part)
