"""Filters of policy support: one FilterSet per model, shared by list, export and import."""


# ===== versions ====
import django_filters
from django.utils.translation import gettext_lazy as _

from certification.choices import VersionStatus
from core.surfaces.filters import BaseFilterSet, YesNoFilter, scoped

from .choices import PolicyCategory
from .models import Policy, PolicyVersion


class PolicyFilterSet(BaseFilterSet):
    search_lookups = ("search_text__contains", "code__icontains", "document_number__icontains")
    category = django_filters.ChoiceFilter(label=_("category"), choices=PolicyCategory.choices)
    proactive = YesNoFilter(label=_("offered proactively"))

    class Meta:
        model = Policy
        fields = ["q", "category", "proactive"]


class PolicyVersionFilterSet(BaseFilterSet):
    search_lookups = ("policy__search_text__contains", "source_document__icontains")
    policy = django_filters.ModelChoiceFilter(label=_("policy"), queryset=scoped(Policy))
    status = django_filters.ChoiceFilter(label=_("status"), choices=VersionStatus.choices)

    class Meta:
        model = PolicyVersion
        fields = ["q", "policy", "status"]

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
