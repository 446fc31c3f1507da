import django_filters
from django.utils.translation import gettext_lazy as _

from core.surfaces.filters import BaseFilterSet, YesNoFilter, scoped
from spaces.models import Zone

from .choices import CURRENT_STATUSES, CarrierKind, CarrierLevel, CarrierStatus
from .models import Carrier


class CarrierFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=CarrierKind.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=CarrierLevel.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=CarrierStatus.choices)
    zone = django_filters.ModelChoiceFilter(label=_("zone"), queryset=scoped(Zone), method="in_zone")
    year = django_filters.NumberFilter(label=_("year approved"), field_name="approved_on", lookup_expr="year")
    current = YesNoFilter(label=_("one of the district's carriers now"), method="is_current")

    class Meta:
        model = Carrier
        fields = ["q", "kind", "level", "status", "zone", "year", "current"]

    def in_zone(self, queryset, name, zone):
        return queryset.filter(zone_id__in=zone.descendant_ids()) if zone else queryset

    def is_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=CURRENT_STATUSES) if value else queryset.exclude(status__in=CURRENT_STATUSES)
