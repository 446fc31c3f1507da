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

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
