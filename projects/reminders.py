"""What projects contribute to reminders: milestones due or late, to the project's owning department (its
officers and administrators; the whole bureau when the department has none). Registered in ProjectsConfig.ready;
the seed rule (migration 0002) reminds of every milestone from its planned day on until it is reached."""

import datetime

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import reminders
from core.reference.choices import Role
from core.reminders.kinds import bureau_ids

from .choices import ProjectStatus
from .models import Milestone

MILESTONE_DUE = "projects.milestone_due"


def _department_users(department_ids) -> dict:
    users: dict = {}
    for pk, department_id in get_user_model().objects.filter(
            is_active=True, role__in=(Role.BUREAU_ADMIN, Role.BUREAU_OFFICER),
            department_id__in=department_ids).values_list("pk", "department_id"):
        users.setdefault(department_id, []).append(pk)
    return users


def milestone_due(today: datetime.date, rule, only=None):
    """Milestones not reached whose planned day is ``rule.days_before`` days away or nearer (late ones too), of
    projects under way or planned (a suspended or completed project reminds of nothing)."""
    found = Milestone.objects.filter(
        done_on__isnull=True, planned_on__lte=today + datetime.timedelta(days=rule.days_before),
        project__status__in=(ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS))
    if only is not None:
        found = found.filter(pk__in=only)
    found = list(found.select_related("project").order_by("planned_on", "pk"))
    departments = _department_users({m.project.department_id for m in found}) if rule.to_bureau else {}
    for milestone in found:
        audience = departments.get(milestone.project.department_id) or bureau_ids()
        yield reminders.Due(milestone, milestone.planned_on, audience if rule.to_bureau else (),
                            milestone_due_text(milestone, today))


def milestone_due_text(milestone: Milestone, today: datetime.date) -> str:
    values = {"project": milestone.project.name, "milestone": milestone.name,
              "date": date_format(milestone.planned_on)}
    late = (today - milestone.planned_on).days
    if late > 0:
        return ngettext("%(project)s: %(milestone)s was planned for %(date)s, %(days)d day late",
                        "%(project)s: %(milestone)s was planned for %(date)s, %(days)d days late",
                        late) % {**values, "days": late}
    return str(_("%(project)s: %(milestone)s is planned for %(date)s")) % values


def register() -> None:
    reminders.register_kind(MILESTONE_DUE, _("Project milestone due"), due=milestone_due, model="projects.Milestone")
