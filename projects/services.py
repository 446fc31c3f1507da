"""Writes of projects: create, change and delete through core's generic services; the project's life (start,
suspend, resume, complete), its progress, a milestone reached and space delivered as declared actions, each
audited with its domain event."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, reminders
from core.actions import Refused, action
from core.reference.choices import ChangeAction, Role
from core.rules.types import MISSING
from core.services import object_create, object_delete, object_update

from .choices import DeliveryStatus, ProjectStatus
from .forms import DayForm, ProgressForm
from .models import Milestone, Project, SpaceDelivery

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
