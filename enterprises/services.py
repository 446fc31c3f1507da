"""Writes about enterprises beyond plain CRUD."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy

from core import audit, reminders
from core.actions import Refused, action
from core.reference.choices import ChangeAction, Role
from core.services import object_create, object_update

from . import forms
from .models import Contact, Enterprise, Qualification, QualificationRule


def enterprise_defaults(data: dict, user) -> dict:
    """An operator registers a new tenant: the enterprise is recorded as registered by its organisation."""
    if user.role == Role.PARK_OPERATOR and not data.get("registered_by"):
        return {"registered_by": user.operators.order_by("pk").first()}
    return {}


def enterprise_create(*, user, model=Enterprise, data):
    """Register an enterprise; an operator's registration is recorded as its organisation's (after the service
    has refused a registrar or a failing code's confirmation the operator may not give: Enterprise.field_roles)."""
    return object_create(user=user, model=model, data=data, preset=enterprise_defaults(data, user))


def qualification_valid_until(*, kind: str, issued_on: datetime.date) -> datetime.date | None:
    """The certificate's last valid day under the rule in force on its issue date (e.g. 3 years)."""
    rule = QualificationRule.in_force(kind, issued_on)
    if rule is None:
        return None
    try:
        end = issued_on.replace(year=issued_on.year + rule.validity_years)
    except ValueError:  # 29 February
        end = issued_on.replace(year=issued_on.year + rule.validity_years, day=28)
    return end - datetime.timedelta(days=1)


def qualification_defaults(data: dict) -> dict:
    """Left empty, a certificate's last valid day follows from its issue date and the rule in force."""
    if not data.get("valid_until") and data.get("issued_on") and data.get("kind"):
        return {"valid_until": qualification_valid_until(kind=data["kind"], issued_on=data["issued_on"])}
    return {}


def _with_validity(data):
    return {**data, **qualification_defaults(data)}


def _reminders_refresh(*pairs) -> None:
    """A certificate recorded or changed may renew (or stop renewing) the enterprise's others of its kind:
    their lapsing reminders are looked at again at once."""
    for enterprise_id, kind in set(pairs):
        for certificate in Qualification.objects.filter(enterprise_id=enterprise_id, kind=kind):
            reminders.refresh_for(certificate)


@transaction.atomic
def qualification_create(*, user, model=Qualification, data):
    qualification = object_create(user=user, model=model, data=_with_validity(data))
    _reminders_refresh((qualification.enterprise_id, qualification.kind))
    return qualification


@transaction.atomic
def qualification_update(*, user, instance, data):
    before = (instance.enterprise_id, instance.kind)
    qualification = object_update(user=user, instance=instance, data=_with_validity(data))
    _reminders_refresh(before, (qualification.enterprise_id, qualification.kind))
    return qualification


@action(Contact, "reveal", label=gettext_lazy("Reveal"), roles=[Role.BUREAU_ADMIN, Role.BUREAU_OFFICER],
        event="enterprises.contact.reveal", event_label=gettext_lazy("Personal data revealed"),
        style="outline-secondary", button=False, result_template="enterprises/contact_revealed.html",
        help=gettext_lazy("The full name and mobile are shown; every reveal is recorded."),
        event_data=lambda contact, _shown: {"fields": list(Contact.personal_fields), "enterprise": contact.enterprise_id},
        api_response=lambda request, shown: shown, example=lambda contact: {})
def contact_reveal(*, user, instance: Contact) -> dict:
    """Show a contact's full name and mobile to the roles that need them (the bureau's administrator and officers);
    every reveal is audited. Everywhere else they stay masked (core.access.personal)."""
    return {"id": instance.pk, "name": instance.name, "mobile": instance.mobile}


def _not_moved_out(user, enterprise) -> None:
    if enterprise.moved_out_on:
        raise Refused(gettext_lazy("This enterprise is already recorded as moved out of the district; correct the "
                                   "date on its edit page."))


@action(Enterprise, "move_out", label=gettext_lazy("Record moving out"),
        roles=(Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.PARK_OPERATOR), form=forms.MoveOutForm,
        event="enterprises.enterprise.move_out", event_label=gettext_lazy("Enterprise moved out of the district"),
        condition=_not_moved_out, style="outline-danger",
        help=gettext_lazy("Support that requires staying in the district is checked against this date."),
        example=lambda enterprise: {"moved_out_on": datetime.date.today()})
def enterprise_move_out_action(*, user, instance: Enterprise, moved_out_on: datetime.date) -> Enterprise:
    before = audit.snapshot(instance)
    instance.moved_out_on = moved_out_on
    instance.full_clean()
    instance.save(update_fields=["moved_out_on", "last_updated"])
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance


def enterprise_move_out(*, enterprise: Enterprise, on: datetime.date, user) -> Enterprise:
    """Record that an enterprise moved its registration out of the district on ``on`` (迁出): not before it
    registered in the district. The edit page may also set or correct the date; this is the step people take,
    recorded as the event ``enterprises.enterprise.move_out`` that obligations to stay in the district watch."""
    return enterprise_move_out_action(user=user, instance=enterprise, moved_out_on=on)
