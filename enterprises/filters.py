import django_filters
from django.forms import HiddenInput
from django.utils.translation import gettext_lazy as _

from core.surfaces.filters import BaseFilterSet, YesNoFilter

from .choices import QualificationKind
from .models import Contact, Enterprise, FinancialYear, Qualification


class EnterpriseFilterSet(BaseFilterSet):
    industry = django_filters.CharFilter(label=_("industry code"), method="in_industry")
    qualification = django_filters.ChoiceFilter(
        label=_("qualification"), choices=QualificationKind.choices, field_name="qualifications__kind", distinct=True
    )
    credit_code_exception = YesNoFilter(label=_("credit code fails the check"))

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "qualification", "credit_code_exception"]

    def in_industry(self, queryset, name, value):
        """A section letter, a division (2 digits), group (3) or class (4) code: all classes under it."""
        value = (value or "").strip().upper()
        if not value:
            return queryset
        if value.isalpha():
            return queryset.filter(industry__section=value)
        return queryset.filter(industry__code__startswith=value)


class QualificationFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains", "certificate_number__icontains")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=QualificationKind.choices)
    # By id, from links such as an enterprise page's "leases"; people search by name with q.
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="enterprise_id", widget=HiddenInput)

    class Meta:
        model = Qualification
        fields = ["q", "kind", "enterprise"]


class ContactFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains",)
    # By id, from links such as an enterprise page's "leases"; people search by name with q.
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="enterprise_id", widget=HiddenInput)

    class Meta:
        model = Contact
        fields = ["q", "enterprise"]


class FinancialYearFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains",)
    year = django_filters.NumberFilter(label=_("year"))
    # By id, from the enterprise page's financial years; people search by name with q.
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="enterprise_id", widget=HiddenInput)

    class Meta:
        model = FinancialYear
        fields = ["q", "year", "enterprise"]
