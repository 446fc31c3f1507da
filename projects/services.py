"""Writes of projects: create, change and delete through core's generic services; the project's life (start,
suspend, resume, complete), its progress, a milestone reached and space delivered as declared actions, each
audited with its domain event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, reminders
from core.actions import Refused, action
from core.reference.choices import ChangeAction, Role
from core.rules import percent_text, yuan_text
from core.rules.types import MISSING
from core.services import object_create, object_delete, object_update

from . import measures
from .choices import PPP_COMMITTED, DeliveryStatus, PppStage, ProjectStatus
from .forms import DayForm, ProgressForm
from .models import QUANTITIES, FiscalYear, Milestone, PppPayment, PppProject, PppRule, Project, SpaceDelivery

OFFICERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
RUNNING = (ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED)


def _save(instance, user, before: dict):
    instance.full_clean()
    instance.save()
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance


def _not_future(day: datetime.date, field: str = "day") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


# ----- projects ---------------------------------------------------------------------------------------------------
def project_create(*, user, model=Project, data: dict) -> Project:
    return object_create(user=user, model=model, data=data)


def project_update(*, user, instance: Project, data: dict) -> Project:
    return object_update(user=user, instance=instance, data=data)


def project_delete(*, user, instance: Project) -> None:
    object_delete(user=user, instance=instance)


def _today(project) -> dict:
    return {"day": timezone.localdate()}


@action(Project, "start", label=gettext_lazy("Start"), roles=OFFICERS, sources=[ProjectStatus.PLANNED],
        target=ProjectStatus.IN_PROGRESS, form=DayForm, style="outline-success", initial=_today,
        help=gettext_lazy("Work on the project has begun on this date."),
        example=lambda project: {"day": datetime.date(2024, 3, 1)})
def project_start(*, user, instance: Project, day: datetime.date) -> Project:
    _not_future(day)
    before = audit.snapshot(instance)
    instance.status, instance.started_on = ProjectStatus.IN_PROGRESS, day
    return _save(instance, user, before)


@action(Project, "suspend", label=gettext_lazy("Suspend"), roles=OFFICERS, sources=[ProjectStatus.IN_PROGRESS],
        target=ProjectStatus.SUSPENDED, style="outline-secondary",
        help=gettext_lazy("Work stops for now; its milestones are no longer reminded of until it resumes."),
        example=lambda project: {})
def project_suspend(*, user, instance: Project) -> Project:
    before = audit.snapshot(instance)
    instance.status = ProjectStatus.SUSPENDED
    _save(instance, user, before)
    for milestone in instance.milestones.filter(done_on__isnull=True):
        reminders.refresh_for(milestone)
    return instance


@action(Project, "resume", label=gettext_lazy("Resume"), roles=OFFICERS, sources=[ProjectStatus.SUSPENDED],
        target=ProjectStatus.IN_PROGRESS, style="outline-primary",
        help=gettext_lazy("Work goes on."), example=lambda project: {})
def project_resume(*, user, instance: Project) -> Project:
    before = audit.snapshot(instance)
    instance.status = ProjectStatus.IN_PROGRESS
    _save(instance, user, before)
    for milestone in instance.milestones.filter(done_on__isnull=True):
        reminders.refresh_for(milestone)
    return instance


@action(Project, "complete", label=gettext_lazy("Complete"), roles=OFFICERS, sources=[ProjectStatus.IN_PROGRESS],
        target=ProjectStatus.COMPLETED, form=DayForm, style="outline-success", initial=_today,
        help=gettext_lazy("The project is finished on this date."),
        example=lambda project: {"day": datetime.date(2025, 12, 31)})
def project_complete(*, user, instance: Project, day: datetime.date) -> Project:
    _not_future(day)
    if instance.started_on and day < instance.started_on:
        raise ValidationError({"day": _("Must not be before the start.")})
    before = audit.snapshot(instance)
    instance.status, instance.completed_on = ProjectStatus.COMPLETED, day
    return _save(instance, user, before)


def _rate(project: Project):
    rate = project.relocation_rate_bp
    return None if rate is MISSING else rate


def _progress_initial(project: Project) -> dict:
    return {"as_of": timezone.localdate(), "land_cleared": project.land_cleared,
            "area_demolished": project.area_demolished, "households_relocated": project.households_relocated}


def _progress_example(project: Project) -> dict:
    return {"as_of": datetime.date(2025, 6, 30), "land_cleared": project.land_cleared,
            "area_demolished": project.area_demolished, "households_relocated": project.households_relocated}


@action(Project, "record_progress", label=gettext_lazy("Record progress"), roles=OFFICERS,
        sources=[ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED], form=ProgressForm,
        initial=_progress_initial, example=_progress_example,
        help=gettext_lazy("The quantities done so far, as of a date: land cleared, floor area demolished, households "
                          "relocated. The relocation rate follows from them."),
        event_data=lambda project, result: {"relocation_rate_bp": _rate(project)})
def project_record_progress(*, user, instance: Project, as_of: datetime.date, land_cleared, area_demolished,
                            households_relocated: int) -> Project:
    _not_future(as_of, "as_of")
    if instance.progress_on and as_of < instance.progress_on:
        raise ValidationError({"as_of": _("Progress was last recorded as of %(day)s; record a later date.")
                               % {"day": instance.progress_on.isoformat()}})
    done = {"land_cleared": land_cleared, "area_demolished": area_demolished,
            "households_relocated": households_relocated}
    errors = {}
    for field, planned in QUANTITIES:
        limit = getattr(instance, planned)
        if done[field] is not None and done[field] < 0:
            errors[field] = _("Must not be negative.")
        elif limit is not None and done[field] is not None and done[field] > limit:
            errors[field] = _("Must not exceed the planned %(planned)s.") % {
                "planned": Project._meta.get_field(planned).verbose_name}
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(instance)
    instance.land_cleared, instance.area_demolished = land_cleared, area_demolished
    instance.households_relocated, instance.progress_on = households_relocated, as_of
    return _save(instance, user, before)


# ----- milestones -------------------------------------------------------------------------------------------------
def milestone_create(*, user, model=Milestone, data: dict) -> Milestone:
    milestone = object_create(user=user, model=model, data=data)
    reminders.refresh_for(milestone)
    return milestone


def milestone_update(*, user, instance: Milestone, data: dict) -> Milestone:
    milestone = object_update(user=user, instance=instance, data=data)
    reminders.refresh_for(milestone)
    return milestone


def milestone_delete(*, user, instance: Milestone) -> None:
    object_delete(user=user, instance=instance)


def _not_reached(user, milestone: Milestone) -> None:
    if milestone.done_on is not None:
        raise Refused(_("%(milestone)s was already reached on %(day)s.") % {
            "milestone": milestone.name, "day": milestone.done_on.isoformat()})


@action(Milestone, "reach", label=gettext_lazy("Mark reached"), roles=OFFICERS, condition=_not_reached,
        form=DayForm, style="outline-success", initial=_today,
        help=gettext_lazy("The milestone was reached on this date; its reminder ends."),
        event_data=lambda milestone, result: {"planned_on": milestone.planned_on.isoformat()},
        example=lambda milestone: {"day": min(milestone.planned_on, timezone.localdate())})
def milestone_reach(*, user, instance: Milestone, day: datetime.date) -> Milestone:
    _not_future(day)
    before = audit.snapshot(instance)
    instance.done_on = day
    _save(instance, user, before)
    reminders.refresh_for(instance)
    return instance


# ----- space to deliver -------------------------------------------------------------------------------------------
def spacedelivery_create(*, user, model=SpaceDelivery, data: dict) -> SpaceDelivery:
    return object_create(user=user, model=model, data=data)


def spacedelivery_update(*, user, instance: SpaceDelivery, data: dict) -> SpaceDelivery:
    return object_update(user=user, instance=instance, data=data)


def spacedelivery_delete(*, user, instance: SpaceDelivery) -> None:
    object_delete(user=user, instance=instance)


@action(SpaceDelivery, "deliver", label=gettext_lazy("Mark delivered"), roles=OFFICERS,
        sources=[DeliveryStatus.EXPECTED], target=DeliveryStatus.DELIVERED, form=DayForm, style="outline-success",
        initial=_today, help=gettext_lazy("The space was handed over on this date; it is no longer future supply."),
        example=lambda delivery: {"day": datetime.date(2025, 6, 30)})
def spacedelivery_deliver(*, user, instance: SpaceDelivery, day: datetime.date) -> SpaceDelivery:
    _not_future(day)
    before = audit.snapshot(instance)
    instance.status, instance.delivered_on = DeliveryStatus.DELIVERED, day
    return _save(instance, user, before)


# ----- PPP --------------------------------------------------------------------------------------------------------
def fiscalyear_create(*, user, model=FiscalYear, data: dict) -> FiscalYear:
    return object_create(user=user, model=model, data=data)


def fiscalyear_update(*, user, instance: FiscalYear, data: dict) -> FiscalYear:
    return object_update(user=user, instance=instance, data=data)


def fiscalyear_delete(*, user, instance: FiscalYear) -> None:
    object_delete(user=user, instance=instance)


def pppproject_create(*, user, model=PppProject, data: dict) -> PppProject:
    return object_create(user=user, model=model, data=data)


def pppproject_update(*, user, instance: PppProject, data: dict) -> PppProject:
    return object_update(user=user, instance=instance, data=data)


def pppproject_delete(*, user, instance: PppProject) -> None:
    object_delete(user=user, instance=instance)


def _payments_open(project: PppProject) -> None:
    """A committed project's yearly expenditure was checked for affordability when it was procured: it stays."""
    if project.stage in PPP_COMMITTED:
        raise ValidationError({"project": _("%(project)s is at the %(stage)s stage: its yearly expenditure was "
                                            "checked for affordability and can no longer change.") % {
            "project": project, "stage": project.get_stage_display()}})


@transaction.atomic
def ppppayment_create(*, user, model=PppPayment, data: dict) -> PppPayment:
    project = data.get("project")
    if project is not None:
        _payments_open(PppProject.objects.select_for_update().get(pk=project.pk))
    return object_create(user=user, model=model, data=data)


@transaction.atomic
def ppppayment_update(*, user, instance: PppPayment, data: dict) -> PppPayment:
    _payments_open(PppProject.objects.select_for_update().get(pk=instance.project_id))
    if data.get("project") is not None and data["project"].pk != instance.project_id:
        _payments_open(PppProject.objects.select_for_update().get(pk=data["project"].pk))
    return object_update(user=user, instance=instance, data=data)


@transaction.atomic
def ppppayment_delete(*, user, instance: PppPayment) -> None:
    _payments_open(PppProject.objects.select_for_update().get(pk=instance.project_id))
    object_delete(user=user, instance=instance)


def _stage(instance: PppProject, user, stage: str) -> PppProject:
    before = audit.snapshot(instance)
    instance.stage = stage
    return _save(instance, user, before)


@action(PppProject, "prepare", label=gettext_lazy("Start preparation"), roles=OFFICERS,
        sources=[PppStage.IDENTIFICATION], target=PppStage.PREPARATION, state_field="stage",
        help=gettext_lazy("The project was identified as suitable for PPP; the implementation plan, value for money "
                          "and fiscal affordability are prepared."), example=lambda project: {})
def pppproject_prepare(*, user, instance: PppProject) -> PppProject:
    return _stage(instance, user, PppStage.PREPARATION)


def committed_spending(years, *, excluding=None) -> dict:
    """{year: fen} of the yearly government expenditure of every PPP project from procurement on."""
    rows = PppPayment.objects.filter(project__stage__in=PPP_COMMITTED, year__in=list(years))
    if excluding is not None:
        rows = rows.exclude(project=excluding)
    spending = {year: 0 for year in years}
    for year, amount in rows.values_list("year", "amount"):
        spending[year] += int(amount * 100)
    return spending


def affordability_refusal(project: PppProject, today: datetime.date) -> str | None:
    """Why ``project`` may not be procured, in Chinese, or None. Takes the locks of the fiscal years it spends in
    (in year order), so that two projects procured at the same moment are checked one after the other."""
    vfm = project.value_for_money()
    if vfm is MISSING:
        return _("The value-for-money evaluation is missing: enter the public sector comparator and the PPP cost.")
    if not vfm.passes:
        return _("The project fails value for money: its PPP cost %(ppp)s is above the public sector comparator "
                 "%(psc)s.") % {"ppp": yuan_text(int(project.ppp_cost * 100)), "psc": yuan_text(int(project.psc * 100))}
    own = {year: int(amount * 100) for year, amount in project.payments.values_list("year", "amount")}
    if not own:
        return None
    rule = PppRule.in_force(today)
    if rule is None:
        return _("No PPP affordability rule is in force on %(day)s.") % {"day": today.isoformat()}
    budgets = {fiscal.year: int(fiscal.expenditure * 100) for fiscal in
               FiscalYear.objects.select_for_update().filter(year__in=list(own)).order_by("year")}
    missing = sorted(set(own) - set(budgets))
    if missing:
        return _("The general public budget expenditure of %(years)s is not entered: affordability cannot be "
                 "checked.") % {"years": "、".join(str(year) for year in missing)}
    after = measures.add_project_spending(committed_spending(own, excluding=project), own)
    years_after = {year: (after[year], budgets[year]) for year in own}
    refusals = measures.affordability_refusals(years_after, government_pay=project.government_pay,
                                               cap_bp=rule.cap_bp, new_government_pay_cap_bp=rule.new_government_pay_cap_bp)
    if not refusals:
        return None
    shares = {row.year: row.share_bp for row in measures.affordability(
        years_after, cap_bp=rule.cap_bp, new_government_pay_cap_bp=rule.new_government_pay_cap_bp)}
    sentences = []
    for year, code in refusals:
        values = {"year": year, "share": percent_text(shares[year]), "cap": percent_text(rule.cap_bp),
                  "new_cap": percent_text(rule.new_government_pay_cap_bp)}
        if code == measures.OVER_CAP:
            sentences.append(_("in %(year)s PPP spending would be %(share)s of the general public budget "
                               "expenditure, above %(cap)s") % values)
        else:
            sentences.append(_("in %(year)s PPP spending would be %(share)s, above %(new_cap)s: no new "
                               "government-pay project") % values)
    return _("Fiscal affordability is not met: %(reasons)s.") % {"reasons": "；".join(sentences)}


@action(PppProject, "procure", label=gettext_lazy("Start procurement"), roles=OFFICERS,
        sources=[PppStage.PREPARATION], target=PppStage.PROCUREMENT, state_field="stage", style="outline-warning",
        help=gettext_lazy("Value for money must pass, and with this project's yearly expenditure all PPP spending "
                          "must stay within the affordability caps in every year of its contract."),
        example=lambda project: {})
def pppproject_procure(*, user, instance: PppProject) -> PppProject:
    refusal = affordability_refusal(instance, timezone.localdate())
    if refusal:
        raise Refused(refusal)
    return _stage(instance, user, PppStage.PROCUREMENT)


@action(PppProject, "execute", label=gettext_lazy("Start execution"), roles=OFFICERS,
        sources=[PppStage.PROCUREMENT], target=PppStage.EXECUTION, state_field="stage",
        help=gettext_lazy("The contract is signed and the project is being built and operated."),
        example=lambda project: {})
def pppproject_execute(*, user, instance: PppProject) -> PppProject:
    return _stage(instance, user, PppStage.EXECUTION)


@action(PppProject, "transfer", label=gettext_lazy("Transfer"), roles=OFFICERS,
        sources=[PppStage.EXECUTION], target=PppStage.TRANSFER, state_field="stage", style="outline-success",
        help=gettext_lazy("The contract term is over and the assets are handed over to the government."),
        example=lambda project: {})
def pppproject_transfer(*, user, instance: PppProject) -> PppProject:
    return _stage(instance, user, PppStage.TRANSFER)
