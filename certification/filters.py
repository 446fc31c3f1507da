"""The filters of certification's lists (shared by the list, its export and the API)."""

import django_filters
from django.forms import HiddenInput
from django.utils.translation import gettext_lazy as _

from core.surfaces.filters import BaseFilterSet, YesNoFilter, scoped
from spaces.filters import building_filter, park_filter

from .choices import (
    ApplicationStatus,
    CertificationStatus,
    ExitReason,
    Grade,
    RoundStatus,
    SchemeCategory,
    SchemeLevel,
    ServiceArea,
    SubjectKind,
    VersionStatus,
)
from .models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    Incubatee,
    Scheme,
    SchemeVersion,
    ServiceRecord,
)

# ----- schemes and their versions -----------------------------------------------------------------------------


class SchemeFilterSet(BaseFilterSet):
    search_lookups = ("search_text__contains", "code__icontains", "issuer__icontains")
    category = django_filters.ChoiceFilter(label=_("category"), choices=SchemeCategory.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=SchemeLevel.choices)
    subject_kind = django_filters.ChoiceFilter(label=_("subject"), choices=SubjectKind.choices)

    class Meta:
        model = Scheme
        fields = ["q", "category", "level", "subject_kind"]


class SchemeVersionFilterSet(BaseFilterSet):
    search_lookups = ("scheme__search_text__contains", "source_document__icontains")
    scheme = django_filters.ModelChoiceFilter(label=_("scheme"), queryset=scoped(Scheme))
    status = django_filters.ChoiceFilter(label=_("status"), choices=VersionStatus.choices)

    class Meta:
        model = SchemeVersion
        fields = ["q", "scheme", "status"]


# ----- incubatees, service records, applications and certifications -------------------------------------------


class IncubateeFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains", "note__icontains")
    park = park_filter(field_name="park")
    building = building_filter(field_name="building")
    current = YesNoFilter(label=_("still incubated"), field_name="left_on", lookup_expr="isnull")
    exit_reason = django_filters.ChoiceFilter(label=_("reason for leaving"), choices=ExitReason.choices)
    industry_match = YesNoFilter(label=_("in the incubator's target industry"))
    # By id, from links such as an enterprise page's; people search by name with q.
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="enterprise_id",
                                              widget=HiddenInput)

    class Meta:
        model = Incubatee
        fields = ["q", "park", "building", "current", "exit_reason", "industry_match", "enterprise"]


class ServiceRecordFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains", "description__icontains")
    park = park_filter(field_name="park")
    building = building_filter(field_name="building")
    area = django_filters.ChoiceFilter(label=_("service area"), choices=ServiceArea.choices)
    served_after = django_filters.DateFilter(label=_("served on or after"), field_name="served_on",
                                              lookup_expr="gte")
    served_before = django_filters.DateFilter(label=_("served on or before"), field_name="served_on",
                                               lookup_expr="lte")
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="enterprise_id",
                                              widget=HiddenInput)

    class Meta:
        model = ServiceRecord
        fields = ["q", "park", "building", "area", "served_after", "served_before", "enterprise"]


class ApplicationFilterSet(BaseFilterSet):
    search_lookups = ("number__icontains", "park__search_text__contains", "scheme__search_text__contains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ApplicationStatus.choices)
    park = park_filter(field_name="park")

    class Meta:
        model = Application
        fields = ["q", "status", "park"]


class CertificationFilterSet(BaseFilterSet):
    search_lookups = ("certificate_number__icontains", "park__search_text__contains",
                      "scheme__search_text__contains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=CertificationStatus.choices)
    category = django_filters.ChoiceFilter(label=_("category"), choices=SchemeCategory.choices,
                                           field_name="scheme__category")
    level = django_filters.ChoiceFilter(label=_("level"), choices=SchemeLevel.choices)
    park = park_filter(field_name="park")
    expires_before = django_filters.DateFilter(label=_("valid until on or before"),
                                                field_name="valid_until", lookup_expr="lte")

    class Meta:
        model = Certification
        fields = ["q", "status", "category", "level", "park", "expires_before"]


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------


class AssessmentRoundFilterSet(BaseFilterSet):
    search_lookups = ("title__icontains", "scheme__search_text__contains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=RoundStatus.choices)
    year = django_filters.NumberFilter(label=_("year assessed"))

    class Meta:
        model = AssessmentRound
        fields = ["q", "status", "year"]


class AssessmentFilterSet(BaseFilterSet):
    search_lookups = ("park__search_text__contains", "certification__certificate_number__icontains")
    round = django_filters.NumberFilter(label=_("assessment round"), field_name="round_id")
    grade = django_filters.ChoiceFilter(label=_("grade"), choices=Grade.choices)

    class Meta:
        model = Assessment
        fields = ["q", "round", "grade"]
