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
import django_filters as _awards_filters  # noqa: E402
from django.utils.translation import gettext_lazy as _awards_  # noqa: E402

from core.surfaces.filters import BaseFilterSet as _AwardsFilterSet  # noqa: E402
from core.surfaces.filters import scoped as _awards_scoped  # noqa: E402

from .choices import ApplicationStatus as _AwardsApplicationStatus  # noqa: E402
from .models import Application as _AwardsApplication  # noqa: E402
from .models import Budget as _AwardsBudget  # noqa: E402
from .models import Policy as _AwardsPolicy  # noqa: E402


class ApplicationFilterSet(_AwardsFilterSet):
    search_lookups = ("number__icontains", "enterprise__search_text__contains", "policy__search_text__contains")
    status = _awards_filters.ChoiceFilter(label=_awards_("status"), choices=_AwardsApplicationStatus.choices)
    policy = _awards_filters.ModelChoiceFilter(label=_awards_("policy"), queryset=_awards_scoped(_AwardsPolicy))
    year = _awards_filters.NumberFilter(label=_awards_("year supported"))

    class Meta:
        model = _AwardsApplication
        fields = ["q", "status", "policy", "year"]


class BudgetFilterSet(_AwardsFilterSet):
    search_lookups = ("policy__search_text__contains", "policy__code__icontains")
    policy = _awards_filters.ModelChoiceFilter(label=_awards_("policy"), queryset=_awards_scoped(_AwardsPolicy))
    year = _awards_filters.NumberFilter(label=_awards_("year"))

    class Meta:
        model = _AwardsBudget
        fields = ["q", "policy", "year"]

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
import django_filters as _django_filters  # noqa: E402
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from core.surfaces.filters import BaseFilterSet as _BaseFilterSet  # noqa: E402

from .choices import AllocationStatus as _AllocationStatus  # noqa: E402
from .choices import PolicyCategory as _PolicyCategory  # noqa: E402
from .models import Policy as _Policy  # noqa: E402
from .models import SpaceAllocation as _SpaceAllocation  # noqa: E402


class SpaceAllocationFilterSet(_BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains",)
    status = _django_filters.ChoiceFilter(label=_lazy("status"), choices=_AllocationStatus.choices)
    policy = _django_filters.ModelChoiceFilter(
        label=_lazy("allocation policy"),
        queryset=_Policy.objects.filter(category=_PolicyCategory.GOVERNMENT_SPACE))

    class Meta:
        model = _SpaceAllocation
        fields = ["status", "policy"]
# (end of this part)
