"""The filters of certification's lists (shared by the list, its export and the API)."""


# ===== schemes and their versions ==========================================================================
import django_filters  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.surfaces.filters import BaseFilterSet, scoped  # noqa: E402

from .choices import SchemeCategory, SchemeLevel, SubjectKind, VersionStatus  # noqa: E402
from .models import Scheme, SchemeVersion  # noqa: E402


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
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
