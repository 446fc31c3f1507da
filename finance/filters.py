import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.surfaces.filters import BaseFilterSet, YesNoFilter, scoped

from .choices import (
    CheckKind,
    CheckOutcome,
    FundFocus,
    FundKind,
    InvestmentRound,
    MemberStatus,
    Presence,
    ProgrammeKind,
    ResourceKind,
    ServiceKind,
)
from .models import (
    Fund,
    FundInvestment,
    FundManager,
    FundService,
    GuidanceCommitment,
    Intake,
    Member,
    Programme,
    Resource,
    SupervisionCheck,
)


class FundManagerFilterSet(BaseFilterSet):
    class Meta:
        model = FundManager
        fields = ["q"]


class FundFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=FundKind.choices)
    focus = django_filters.ChoiceFilter(label=_("focus"), choices=FundFocus.choices)
    presence = django_filters.ChoiceFilter(label=_("presence"), choices=Presence.choices)
    manager = django_filters.ModelChoiceFilter(label=_("fund manager"), queryset=scoped(FundManager))
    year = django_filters.NumberFilter(label=_("year registered"), field_name="registered_on", lookup_expr="year")

    class Meta:
        model = Fund
        fields = ["q", "kind", "focus", "presence", "manager", "year"]


class GuidanceCommitmentFilterSet(BaseFilterSet):
    search_lookups = ("sub_fund__search_text__contains", "guidance_fund__search_text__contains")
    guidance_fund = django_filters.ModelChoiceFilter(label=_("guidance fund"), queryset=scoped(Fund))
    sub_fund = django_filters.ModelChoiceFilter(label=_("sub-fund"), queryset=scoped(Fund))

    class Meta:
        model = GuidanceCommitment
        fields = ["q", "guidance_fund", "sub_fund"]


class FundInvestmentFilterSet(BaseFilterSet):
    search_lookups = ("fund__search_text__contains", "enterprise__search_text__contains")
    fund = django_filters.ModelChoiceFilter(label=_("fund"), queryset=scoped(Fund))
    round = django_filters.ChoiceFilter(label=_("round"), choices=InvestmentRound.choices)
    year = django_filters.NumberFilter(label=_("year invested"), field_name="invested_on", lookup_expr="year")

    class Meta:
        model = FundInvestment
        fields = ["q", "fund", "round", "year"]


class SupervisionCheckFilterSet(BaseFilterSet):
    search_lookups = ("fund__search_text__contains",)
    fund = django_filters.ModelChoiceFilter(label=_("fund"), queryset=scoped(Fund))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=CheckKind.choices)
    outcome = django_filters.ChoiceFilter(label=pgettext_lazy("check", "outcome"), choices=CheckOutcome.choices)
    closed = YesNoFilter(label=_("closed"), method="is_closed")

    class Meta:
        model = SupervisionCheck
        fields = ["q", "fund", "kind", "outcome", "closed"]

    def is_closed(self, queryset, name, value):
        return queryset if value is None else queryset.filter(closed=value)


class FundServiceFilterSet(BaseFilterSet):
    search_lookups = ("fund__search_text__contains",)
    fund = django_filters.ModelChoiceFilter(label=_("fund"), queryset=scoped(Fund))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ServiceKind.choices)

    class Meta:
        model = FundService
        fields = ["q", "fund", "kind"]


class ProgrammeFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ProgrammeKind.choices)

    class Meta:
        model = Programme
        fields = ["q", "kind"]


class IntakeFilterSet(BaseFilterSet):
    search_lookups = ("name__icontains", "programme__search_text__contains")
    programme = django_filters.ModelChoiceFilter(label=_("programme"), queryset=scoped(Programme))
    year = django_filters.NumberFilter(label=_("year started"), field_name="starts_on", lookup_expr="year")

    class Meta:
        model = Intake
        fields = ["q", "programme", "year"]


class MemberFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains", "intake__programme__search_text__contains")
    programme = django_filters.ModelChoiceFilter(label=_("programme"), queryset=scoped(Programme),
                                                 field_name="intake__programme")
    intake = django_filters.ModelChoiceFilter(label=_("intake"), queryset=scoped(Intake))
    status = django_filters.ChoiceFilter(label=_("status"), choices=MemberStatus.choices)
    outcome = django_filters.ChoiceFilter(label=_("outcomes"), method="has_outcome", choices=[
        ("invested", _("Invested")), ("high_tech", _("High-tech recognised"))])

    class Meta:
        model = Member
        fields = ["q", "programme", "intake", "status", "outcome"]

    def has_outcome(self, queryset, name, value):
        from .selectors import with_outcomes

        return with_outcomes(queryset).filter(**{value: True}) if value else queryset


class ResourceFilterSet(BaseFilterSet):
    search_lookups = ("member__enterprise__search_text__contains",)
    programme = django_filters.ModelChoiceFilter(label=_("programme"), queryset=scoped(Programme),
                                                 field_name="member__intake__programme")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ResourceKind.choices)
    year = django_filters.NumberFilter(label=_("year given"), field_name="given_on", lookup_expr="year")

    class Meta:
        model = Resource
        fields = ["q", "programme", "kind", "year"]
