import django_filters
from django.forms import HiddenInput
from django.utils.translation import gettext_lazy as _

from core.surfaces.filters import BaseFilterSet, YesNoFilter
from spaces.filters import building_filter, operator_filter, park_filter

from .choices import FollowUpStatus, LeaseStatus
from .models import Lease, RentPayment, RentStep, Sublet


class LeaseFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains", "contract_number__icontains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=LeaseStatus.choices)
    # By id, from links such as an enterprise page's "leases"; people search by name with q.
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="enterprise_id", widget=HiddenInput)
    park = park_filter(field_name="park")
    building = building_filter(field_name="units__building", distinct=True)
    ends_after = django_filters.DateFilter(label=_("ends on or after"), field_name="end_date", lookup_expr="gte")
    ends_before = django_filters.DateFilter(label=_("ends on or before"), field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Lease
        fields = ["q", "status", "enterprise", "park", "building", "ends_after", "ends_before"]


class LeaseExpiryFilterSet(BaseFilterSet):
    """The expiry queue's filters: enterprise or contract, park, the park's operator, the renewal follow-up."""

    search_lookups = LeaseFilterSet.search_lookups
    park = park_filter(field_name="park")
    operator = operator_filter(field_name="park__operator")
    follow_up = django_filters.ChoiceFilter(label=_("follow-up"), choices=FollowUpStatus.choices)

    class Meta:
        model = Lease
        fields = ["q", "park", "operator", "follow_up"]

    def __init__(self, *args, request=None, **kwargs):
        from .selectors import follow_up_visible

        super().__init__(*args, request=request, **kwargs)
        if request is not None and not follow_up_visible(request.user):
            del self.filters["follow_up"]


class LeaseMoneyFilterSet(BaseFilterSet):
    """The lists of a lease's money records: by enterprise or contract, park, lease (from the lease page)."""

    search_lookups = ("lease__enterprise__search_text__contains", "lease__contract_number__icontains")
    lease = django_filters.NumberFilter(label=_("lease"), field_name="lease_id", widget=HiddenInput)
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="lease__enterprise_id", widget=HiddenInput)
    park = park_filter(field_name="lease__park")


class RentStepFilterSet(LeaseMoneyFilterSet):
    class Meta:
        model = RentStep
        fields = ["q", "park", "lease", "enterprise"]


class RentPaymentFilterSet(LeaseMoneyFilterSet):
    confirmed = YesNoFilter(label=_("confirmed"), field_name="confirmed_at", lookup_expr="isnull", exclude=True)
    year = django_filters.NumberFilter(label=_("year"), field_name="period_start__year")

    class Meta:
        model = RentPayment
        fields = ["q", "park", "confirmed", "year", "lease", "enterprise"]


class SubletFilterSet(LeaseMoneyFilterSet):
    search_lookups = (*LeaseMoneyFilterSet.search_lookups, "subtenant_name__icontains")

    class Meta:
        model = Sublet
        fields = ["q", "park", "lease", "enterprise"]
