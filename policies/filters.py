"""Filters of policy support: one FilterSet per model, shared by list, export and import."""

import django_filters
from django.forms import HiddenInput
from django.utils.translation import gettext_lazy as _

from certification.choices import VersionStatus
from core.surfaces.filters import BaseFilterSet, YesNoFilter, scoped

from .choices import (
    AllocationStatus,
    ApplicationStatus,
    ClawbackStatus,
    ObligationKind,
    OfferStatus,
    PolicyCategory,
    RunStatus,
)
from .models import Application, Budget, ClawbackCase, Offer, Policy, PolicyVersion, ScreeningRun, SpaceAllocation


# ----- policies and their versions -----------------------------------------------------------------------------
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


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
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


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
class ApplicationFilterSet(BaseFilterSet):
    search_lookups = ("number__icontains", "enterprise__search_text__contains", "policy__search_text__contains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ApplicationStatus.choices)
    policy = django_filters.ModelChoiceFilter(label=_("policy"), queryset=scoped(Policy))
    year = django_filters.NumberFilter(label=_("year supported"))

    class Meta:
        model = Application
        fields = ["q", "status", "policy", "year"]


class BudgetFilterSet(BaseFilterSet):
    search_lookups = ("policy__search_text__contains", "policy__code__icontains")
    policy = django_filters.ModelChoiceFilter(label=_("policy"), queryset=scoped(Policy))
    year = django_filters.NumberFilter(label=_("year"))

    class Meta:
        model = Budget
        fields = ["q", "policy", "year"]


# ----- obligations and clawback --------------------------------------------------------------------------------
class ClawbackCaseFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains", "detail__icontains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ClawbackStatus.choices)
    obligation = django_filters.ChoiceFilter(label=_("obligation"), choices=ObligationKind.choices)
    policy = django_filters.ModelChoiceFilter(label=_("policy"), field_name="award__policy",
                                                  queryset=scoped(Policy))
    # By id, from the award's and the enterprise's pages.
    award = django_filters.NumberFilter(label=_("award"), field_name="award_id", widget=HiddenInput)
    enterprise = django_filters.NumberFilter(label=_("enterprise"), field_name="enterprise_id",
                                                 widget=HiddenInput)

    class Meta:
        model = ClawbackCase
        fields = ["q", "status", "obligation", "policy", "award", "enterprise"]


# ----- government-owned space and the funds report -------------------------------------------------------------
class SpaceAllocationFilterSet(BaseFilterSet):
    search_lookups = ("enterprise__search_text__contains",)
    status = django_filters.ChoiceFilter(label=_("status"), choices=AllocationStatus.choices)
    policy = django_filters.ModelChoiceFilter(
        label=_("allocation policy"),
        queryset=Policy.objects.filter(category=PolicyCategory.GOVERNMENT_SPACE))

    class Meta:
        model = SpaceAllocation
        fields = ["status", "policy"]
