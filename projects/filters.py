import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Department
from core.surfaces.filters import BaseFilterSet, YesNoFilter, scoped
from spaces.choices import UnitUse
from spaces.models import Zone

from .choices import DeliveryStatus, PaymentMechanism, PppStage, ProjectKind, ProjectStatus
from .models import FiscalYear, Milestone, PppPayment, PppProject, Project, SpaceDelivery


def _in_zone(field: str):
    def filter_zone(self, queryset, name, zone):
        return queryset.filter(**{f"{field}__in": zone.descendant_ids()}) if zone else queryset

    return filter_zone


class ProjectFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ProjectKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ProjectStatus.choices)
    zone = django_filters.ModelChoiceFilter(label=_("zone"), queryset=scoped(Zone), method="in_zone")
    department = django_filters.ModelChoiceFilter(label=_("owning department"), queryset=Department.objects.all())

    class Meta:
        model = Project
        fields = ["q", "kind", "status", "zone", "department"]

    in_zone = _in_zone("zone_id")


class MilestoneFilterSet(BaseFilterSet):
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=scoped(Project))
    reached = YesNoFilter(label=_("reached"), field_name="done_on", lookup_expr="isnull", exclude=True)
    late = YesNoFilter(label=_("late"), method="is_late")
    search_lookups = ("name__icontains", "project__search_text__contains")

    class Meta:
        model = Milestone
        fields = ["q", "project", "reached", "late"]

    def is_late(self, queryset, name, value):

        if value is None:
            return queryset
        late = queryset.filter(done_on__isnull=True, planned_on__lt=timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class SpaceDeliveryFilterSet(BaseFilterSet):
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=scoped(Project))
    use = django_filters.ChoiceFilter(label=_("use"), choices=UnitUse.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=DeliveryStatus.choices)
    zone = django_filters.ModelChoiceFilter(label=_("zone"), queryset=scoped(Zone), method="in_zone")
    search_lookups = ("project__search_text__contains",)

    class Meta:
        model = SpaceDelivery
        fields = ["q", "project", "use", "status", "zone"]

    in_zone = _in_zone("project__zone_id")


class PppProjectFilterSet(BaseFilterSet):
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=PppStage.choices)
    mechanism = django_filters.ChoiceFilter(label=_("payment mechanism"), choices=PaymentMechanism.choices)
    zone = django_filters.ModelChoiceFilter(label=_("zone"), queryset=scoped(Zone), method="in_zone")

    class Meta:
        model = PppProject
        fields = ["q", "stage", "mechanism", "zone"]

    in_zone = _in_zone("zone_id")


class FiscalYearFilterSet(BaseFilterSet):
    search_lookups = ("year__contains",)

    class Meta:
        model = FiscalYear
        fields = ["q", "projected"]


class PppPaymentFilterSet(BaseFilterSet):
    project = django_filters.ModelChoiceFilter(label=_("PPP project"), queryset=scoped(PppProject))
    year = django_filters.NumberFilter(label=_("year"))
    search_lookups = ("project__search_text__contains",)

    class Meta:
        model = PppPayment
        fields = ["q", "project", "year"]
