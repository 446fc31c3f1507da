import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet, YesNoFilter, scoped

from .choices import QualificationKind
from .models import Contact, Enterprise, Qualification


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
    search_lookups = ("enterprise__search_text__icontains", "certificate_number__icontains")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=QualificationKind.choices)
    enterprise = django_filters.ModelChoiceFilter(label=_("enterprise"), queryset=scoped(Enterprise))

    class Meta:
        model = Qualification
        fields = ["q", "kind", "enterprise"]


class ContactFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__icontains",)
    enterprise = django_filters.ModelChoiceFilter(label=_("enterprise"), queryset=scoped(Enterprise))

    class Meta:
        model = Contact
        fields = ["q", "enterprise"]
