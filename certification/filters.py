"""The filters of certification's lists (shared by the list, its export and the API)."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
import django_filters  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.surfaces.filters import BaseFilterSet  # noqa: E402

from .choices import Grade, RoundStatus  # noqa: E402
from .models import Assessment, AssessmentRound  # noqa: E402


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
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
