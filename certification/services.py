"""Writes of certification beyond plain CRUD: each a service, audited; the steps people take are actions."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, reminders
from core import services as core_services
from core.access.permissions import CHANGE, VIEW, ensure_can, role_may
from core.actions import Refused, action
from core.documents import render_pdf
from core.reference.choices import ChangeAction, Role
from core.rules import (
    FactType,
    NotWhole,
    ParameterSet,
    format_value,
    from_written,
    is_missing,
    to_written,
    validate,
)
from core.services import object_create, object_update
from core.versions import RuleVersions

from . import builder, facts, forms, scoring, selectors
from .choices import ApplicationStatus, CertificationStatus, Grade, RoundStatus, VersionStatus
from .facts import CATALOGUE
from .forms import AdjustForm, RevokeForm, SupplyForm
from .models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    ConflictDeclaration,
    ExpertScore,
    Scheme,
    SchemeVersion,
)

# ----- schemes and their versions -----------------------------------------------------------------------------


SCHEME_MANAGERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
CONTENT_FIELDS = ("criteria", "indicators", "grade_bands", "parameters")
COPIED_FIELDS = (*CONTENT_FIELDS, "source_document", "source_date", "validity_years", "notes")


def fact_catalogue():
    """The facts a scheme's criteria and indicators may name (certification.facts)."""
    return CATALOGUE


def version_in_force(scheme: Scheme, on: datetime.date) -> SchemeVersion | None:
    """The version of ``scheme`` an application or a round dated ``on`` is judged by: of the published (or since
    retired) versions, the one that took effect last on or before ``on``; None before the first took effect."""
    return scheme.version_on(on)


VERSIONS = RuleVersions(
    SchemeVersion, parent="scheme", copied=COPIED_FIELDS,
    draft_exists=lambda scheme: _("%(scheme)s already has a draft version: finish or delete it before starting "
                                  "another.") % {"scheme": scheme},
    moved=gettext_lazy("A version stays with its scheme; start a version of the other scheme."),
    taken=lambda day: _("Another published version of this scheme takes effect on %(day)s: choose another "
                        "date.") % {"day": day.isoformat()})


@transaction.atomic
def schemeversion_create(*, user, model=SchemeVersion, data):
    """A new draft version of a scheme, numbered after the last one. A scheme has one draft at a time (the
    database's constraint ``scheme_one_draft`` holds it when two people start one at the same moment)."""
    return VERSIONS.create(user=user, model=model, data=data)


@transaction.atomic
def schemeversion_update(*, user, instance, data):
    """Only a draft changes; a published or retired version is the record of the rules applied under it."""
    return VERSIONS.update(user=user, instance=instance, data=data)


@transaction.atomic
def schemeversion_delete(*, user, instance):
    """Only a draft is deleted."""
    VERSIONS.delete(user=user, instance=instance)


@transaction.atomic
def schemeversion_rules_set(*, user, instance, criteria, indicators, grade_bands, parameters):
    """Set a draft's criteria, indicators, grade bands and parameters (built in rows by the condition builder and
    checked there); refused for a published or retired version, as any change is."""
    ensure_can(user, CHANGE, SchemeVersion)
    locked = SchemeVersion.objects.for_user(user).select_for_update().get(pk=instance.pk)
    VERSIONS.refuse_if_fixed(locked, "change")
    data = {"criteria": criteria, "indicators": indicators, "grade_bands": grade_bands, "parameters": parameters}
    problems = version_problems(SchemeVersion(**data, effective_from=locked.effective_from), complete=False)
    if problems:
        raise ValidationError(problems)
    return object_update(user=user, instance=locked, data=data)


def version_problems(version: SchemeVersion, *, complete: bool = True) -> list[str]:
    """What keeps a version from being applied, in Chinese: criteria that do not check against the facts and
    parameters, indicators whose weights do not sum to 100, grade bands not descending to 0. ``complete``: also
    what a version must have before it is published (criteria; grade bands when it has indicators)."""
    catalogue = fact_catalogue()
    problems = []
    try:
        parameters = ParameterSet.from_json(version.parameters or {})
    except ValueError as error:
        return [_("Parameters: %(error)s") % {"error": error}]
    if version.criteria:
        problems += [_("Criteria: %(error)s") % {"error": e} for e in validate(version.criteria, catalogue, parameters)]
    elif complete:
        problems.append(_("Criteria: a version needs at least one criterion."))
    indicators = version.indicators or []
    rows = [{"code": str(i.get("code", "")), "label": str(i.get("label", "")), "kind": i.get("kind"),
             "fact": i.get("fact", ""), "weight": i.get("weight"),
             "full_at": "" if i.get("full_at") is None else builder.value_text(
                 catalogue[i["fact"]].type, i["full_at"]) if i.get("fact") in catalogue else str(i.get("full_at"))}
            for i in indicators if isinstance(i, dict)]
    if len(rows) != len(indicators):
        problems.append(_("Indicators: each indicator is an object."))
    for number, messages in builder.indicators_from_rows(rows, catalogue)[1].items():
        problems += [_("Indicators, row %(row)s: %(error)s") % {"row": number, "error": m} if number
                     else _("Indicators: %(error)s") % {"error": m} for m in messages]
    bands = version.grade_bands or []
    try:
        band_rows = [{"grade": b["grade"], "min": b["min"]} for b in bands]
    except (KeyError, TypeError):
        band_rows = []
        problems.append(_("Grade bands: each band has a grade and a lowest score."))
    for number, messages in builder.grade_bands_from_rows(band_rows)[1].items():
        problems += [_("Grade bands, row %(row)s: %(error)s") % {"row": number, "error": m} for m in messages]
    if complete and indicators and not bands:
        problems.append(_("Grade bands: a version with indicators needs its grade bands."))
    return problems


@action(SchemeVersion, "new_version", label=gettext_lazy("Start a new version"), roles=SCHEME_MANAGERS,
        sources=[VersionStatus.PUBLISHED, VersionStatus.RETIRED], form=forms.NewVersionForm,
        condition=VERSIONS.refuse_second_draft, event_data=lambda version, new: {"new_version": new.pk},
        help=gettext_lazy("Copies this version's criteria, indicators, grade bands and parameters into a new draft "
                          "that takes effect on the date given once it is published."),
        initial=lambda version: {"effective_from": datetime.date.today()},
        example=lambda version: {"effective_from": version.effective_from + datetime.timedelta(days=365)})
def schemeversion_new_version(*, user, instance: SchemeVersion, effective_from: datetime.date) -> SchemeVersion:
    """Start the next version of a scheme from this one: a draft with the same content, to be changed and
    published. Refused while the scheme has a draft; two people starting one at the same moment get one draft
    and one refusal (the constraint ``scheme_one_draft``)."""
    return VERSIONS.start_from(user=user, source=instance, effective_from=effective_from)


def _publish_check(user, version):
    problems = version_problems(version)
    if problems:
        raise Refused(_("This version cannot be published yet: %(problems)s") % {"problems": "；".join(problems)})


@action(SchemeVersion, "publish", label=gettext_lazy("Publish"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.DRAFT], target=VersionStatus.PUBLISHED, condition=_publish_check,
        style="outline-success", event_data=lambda version, result: {"content_hash": version.content_hash},
        help=gettext_lazy("From its effective date the published version decides applications and assessments; "
                          "it can no longer be changed."),
        example=lambda version: {})
def schemeversion_publish(*, user, instance: SchemeVersion) -> SchemeVersion:
    """Publish a draft: it is checked once more, its content hash fixed, and it is in force from its effective
    date (a later version takes over from its own). Only the administrator publishes."""
    return VERSIONS.publish(instance, user=user, content_hash=builder.version_hash(instance))


@action(SchemeVersion, "retire", label=gettext_lazy("Retire"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.PUBLISHED], target=VersionStatus.RETIRED, style="outline-danger",
        help=gettext_lazy("A retired version stays the record of the decisions taken under it and still answers "
                          "for the days it was in force; it is no longer offered for new work."),
        example=lambda version: {})
def schemeversion_retire(*, user, instance: SchemeVersion) -> SchemeVersion:
    """Retire a published version (the scheme ended, or its rules were replaced)."""
    return VERSIONS.retire(instance, user=user)


# ----- incubatees, service records, applications and certifications -------------------------------------------


DAY = datetime.timedelta(days=1)
OFFICERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
APPLICANTS = (Role.PARK_OPERATOR,)

# The application's workflow: verb → (the states it starts from, the state it leads to, who takes it);
# supplying a value keeps the state.
APPLICATION_TRANSITIONS = {
    "supply": ((ApplicationStatus.DRAFT, ApplicationStatus.RETURNED), None, APPLICANTS),
    "submit": ((ApplicationStatus.DRAFT, ApplicationStatus.RETURNED), ApplicationStatus.SUBMITTED, APPLICANTS),
    "return": ((ApplicationStatus.SUBMITTED,), ApplicationStatus.RETURNED, OFFICERS),
    "accept": ((ApplicationStatus.SUBMITTED,), ApplicationStatus.ACCEPTED, OFFICERS),
    "approve": ((ApplicationStatus.ACCEPTED,), ApplicationStatus.APPROVED, OFFICERS),
    "reject": ((ApplicationStatus.ACCEPTED,), ApplicationStatus.REJECTED, OFFICERS),
}


def _transition(verb):
    sources, target, roles = APPLICATION_TRANSITIONS[verb]
    return {"sources": list(sources), "target": target, "roles": roles}


def _numbered(make, prefix: str, model, field: str):
    """Save a record under the next free number ``<prefix>0001`` (a number taken meanwhile by another writer
    is skipped: the unique constraint refuses it and the next one is tried)."""
    for _attempt in range(5):
        last = (model.objects.filter(**{f"{field}__startswith": prefix}).order_by(f"-{field}")
                .values_list(field, flat=True).first())
        sequence = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
        number = f"{prefix}{sequence:04d}"
        try:
            with transaction.atomic():
                return make(number)
        except (IntegrityError, ValidationError) as error:
            # The number was taken by a writer that committed meanwhile: the database refused it, or the model's
            # check of unique fields saw it first.
            clash = isinstance(error, IntegrityError) or field in getattr(error, "error_dict", {})
            if not clash or not model.objects.filter(**{field: number}).exists():
                raise
    raise ValidationError(_("Could not give the record a number; try again."))


def valid_until_for(valid_from: datetime.date, years: int) -> datetime.date:
    """The last valid day of a certification of ``years`` years from ``valid_from`` (3 years from 2026-03-01:
    2029-02-28)."""
    try:
        end = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + years, day=28) + DAY
    return end - DAY


@transaction.atomic
def application_create(*, user, model=Application, data):
    """Open an application (a draft) under the next number of the year: SQ-2026-0001."""
    prefix = f"SQ-{timezone.localdate().year}-"
    return _numbered(lambda number: object_create(user=user, model=model, data=data, preset={"number": number}),
                     prefix, Application, "number")


def application_renews(application) -> Certification | None:
    """The subject's certification under the same scheme that is valid now: the application then renews it."""
    return (Certification.objects.filter(scheme_id=application.scheme_id, park_id=application.park_id,
                                         building_id=application.building_id, status=CertificationStatus.VALID)
            .exclude(application_id=application.pk).order_by("-valid_until").first())


def application_needed_facts(application, version=None) -> list:
    """The facts the applicant supplies for the version in force on the reference date (empty without one)."""
    from .evaluation import supplied_facts

    version = version or version_in_force(application.scheme, application.reference_date)
    return supplied_facts(version) if version else []


def application_outcome(application, version=None):
    """The criteria of the version in force on the reference date, evaluated now against the records and the
    values supplied so far (None when no version is in force on that date)."""
    from .evaluation import evaluate_subject

    version = version or version_in_force(application.scheme, application.reference_date)
    if version is None:
        return None
    return evaluate_subject(version=version, park=application.park, building=application.building,
                            on=application.reference_date, supplied=application.supplied or {})


def _attached_document_ids(application) -> set[int]:
    return selectors.application_document_ids(application)


def supplied_from_human(fact, value: Decimal) -> int:
    """A value as people write it (㎡, 元, %, a count) → the fact's storage unit (core.rules), rounded half-up."""
    if value < 0:
        raise ValidationError(_("The value cannot be negative."))
    try:
        return from_written(fact.type, value)
    except NotWhole:
        raise ValidationError(_("%(fact)s is a whole number.") % {"fact": fact.label}) from None


def supplied_to_human(fact, value) -> str:
    """The stored value as people write it (the inverse of supplied_from_human); "" when not given."""
    return "" if value is None else str(to_written(fact.type, value))


def _supplied_store(*, user, application, supplied: dict) -> Application:
    before = audit.snapshot(application)
    application.supplied = supplied
    application.save(update_fields=["supplied", "last_updated"])
    audit.record_change(instance=application, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(application))
    return application


def _supplied_entry(application, attached, name, value, document) -> dict:
    from .facts import CATALOGUE

    if name not in CATALOGUE or CATALOGUE.get(name).source != "supplied":
        raise ValidationError({"fact": _("“%(fact)s” is not a value this scheme asks for.") % {"fact": name}})
    if document is not None and int(document) not in attached:
        raise ValidationError({"document": _("Choose a document attached to this application.")})
    return {"value": None if value is None else int(value), "document": None if document is None else int(document)}


@transaction.atomic
def application_supplied_set(*, user, application: Application, values: dict) -> Application:
    """Store what the applicant states for the facts the records do not hold, all at once (the page of supplied
    values): ``values`` = {fact: {"value": int in the fact's storage unit or None, "document": the id of a
    document attached to the application or None}}. Taken as the action ``supply``: by the applicant, while the
    application is a draft or returned."""
    from core.access.permissions import ensure

    application = Application.objects.select_for_update().get(pk=application.pk)
    ensure(user, "supply", application)
    attached = _attached_document_ids(application)
    supplied = {}
    for name, entry in values.items():
        try:
            supplied[name] = _supplied_entry(application, attached, name, entry.get("value"), entry.get("document"))
        except ValidationError as error:
            raise ValidationError({name: [m for ms in error.message_dict.values() for m in ms]}) from error
    return _supplied_store(user=user, application=application, supplied=supplied)


def _application_supply_example(application):
    return {"fact": "subject.fund_size", "value": Decimal("6000000")}


@action(Application, "supply", label=gettext_lazy("Enter one supplied value"), **_transition("supply"),
        form=forms.SuppliedValueForm, event_label=gettext_lazy("Supplied value entered"),
        style="outline-primary", button=False,
        help=gettext_lazy("A value the records do not hold, with the document attached to the application that "
                          "shows it; the application is then evaluated with it."),
        example=_application_supply_example)
def application_supply(*, user, instance: Application, fact: str, value: Decimal | None = None,
                       document: int | None = None) -> Application:
    """Enter (or clear) one value the records do not hold, in the units people write, with its document."""
    from .facts import CATALOGUE

    known = CATALOGUE.get(fact) if fact in CATALOGUE else None
    stored = None if value is None or known is None else supplied_from_human(known, value)
    entry = _supplied_entry(instance, _attached_document_ids(instance), fact, stored, document)
    return _supplied_store(user=user, application=instance, supplied={**(instance.supplied or {}), fact: entry})


def _submit_check(application, version) -> None:
    if version is None:
        raise Refused(_("No version of %(scheme)s is in force on %(date)s, the reference date: choose another date.")
                      % {"scheme": application.scheme, "date": application.reference_date.isoformat()})
    attached = _attached_document_ids(application)
    lacking = []
    for fact in application_needed_facts(application, version):
        entry = (application.supplied or {}).get(fact.name) or {}
        if entry.get("value") is None or entry.get("document") is None or int(entry["document"]) not in attached:
            lacking.append(str(fact.label))
    if lacking:
        raise Refused(_("Fill in these values and name the document behind each before submitting: %(facts)s.")
                      % {"facts": "、".join(lacking)})


def _submit_example(application):
    return {}


@action(Application, "submit", label=gettext_lazy("Submit"), **_transition("submit"),
        event_label=gettext_lazy("Certification application submitted"), style="primary",
        help=gettext_lazy("The criteria are evaluated as of the reference date under the version then in force, "
                          "and the result is kept with the application."),
        event_data=lambda application, _result: {"version": application.version_id,
                                                 "passed": application.evaluation.get("passed")},
        example=_submit_example)
def application_submit(*, user, instance: Application) -> Application:
    """Submit a draft or returned application: the version in force on the reference date is fixed, the criteria
    evaluated and the evaluation kept (the outcome, the version and its content hash). Every value the criteria
    take from the applicant needs a value and the document behind it."""
    application = instance
    version = version_in_force(application.scheme, application.reference_date)
    _submit_check(application, version)
    outcome = application_outcome(application, version)
    before = audit.snapshot(application)
    application.version = version
    application.evaluation = {"outcome": outcome.as_dict(), "passed": bool(outcome.passed), "version": version.pk,
                              "version_number": version.number, "version_hash": version.content_hash,
                              "on": application.reference_date.isoformat()}
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.full_clean()
    application.save()
    audit.record_change(instance=application, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(application))
    return application


def _review(application, user, *, status, reviewer: bool, comment: str) -> Application:
    before = audit.snapshot(application)
    application.status = status
    application.review_comment = comment
    if reviewer:
        application.reviewed_by = user
    application.full_clean()
    application.save()
    audit.record_change(instance=application, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(application))
    return application


@action(Application, "return", label=gettext_lazy("Return for correction"), **_transition("return"),
        form=forms.ApplicationCommentForm, event_label=gettext_lazy("Certification application returned"),
        style="outline-warning",
        help=gettext_lazy("The operator corrects the application and submits it again; say what to correct."),
        example=lambda application: {"comment": "请补充孵化基金规模的证明材料"})
def application_return(*, user, instance: Application, comment: str) -> Application:
    """Return a submitted application to its operator for correction, saying what to correct."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the operator should correct.")})
    return _review(instance, user, status=ApplicationStatus.RETURNED, reviewer=False, comment=comment)


@action(Application, "accept", label=gettext_lazy("Pass first review"), **_transition("accept"),
        form=forms.ApplicationNoteForm, event_label=gettext_lazy("Certification application reviewed"),
        style="outline-success",
        help=gettext_lazy("A second officer then approves or rejects it."),
        example=lambda application: {"comment": "材料齐全，指标符合要求"})
def application_accept(*, user, instance: Application, comment: str = "") -> Application:
    """Pass a submitted application's first review; the officer is recorded as its reviewer."""
    return _review(instance, user, status=ApplicationStatus.ACCEPTED, reviewer=True, comment=comment)


def _not_the_reviewer(user, application) -> None:
    if application.reviewed_by_id is not None and application.reviewed_by_id == user.pk:
        raise Refused(_("The approver cannot be the officer who reviewed the application."))


def _decide(application, user, *, status, comment: str) -> Application:
    before = audit.snapshot(application)
    application.status = status
    application.decided_by = user
    application.decided_at = timezone.now()
    application.decision_comment = comment
    application.full_clean()
    application.save()
    audit.record_change(instance=application, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(application))
    return application


def certification_from(application, *, decided_on: datetime.date) -> dict:
    """What an approval certifies: the scheme's level, a validity of the version's years from the decision day,
    or, for a renewal decided while the certification it renews is valid, from the day after that one ends."""
    version = application.version or version_in_force(application.scheme, application.reference_date)
    renewed = application_renews(application)
    valid_from = decided_on
    if renewed is not None and renewed.valid_until >= decided_on:
        valid_from = renewed.valid_until + DAY
    return {"scheme": application.scheme, "version": version, "application": application, "park": application.park,
            "building": application.building, "level": application.scheme.level, "valid_from": valid_from,
            "valid_until": valid_until_for(valid_from, version.validity_years)}


@action(Application, "approve", label=gettext_lazy("Approve"), **_transition("approve"),
        form=forms.ApplicationNoteForm, condition=_not_the_reviewer,
        event_label=gettext_lazy("Certification application approved"), style="success",
        event_data=lambda application, certification: {"certification": certification.pk,
                                                       "certificate_number": certification.certificate_number},
        result_of=lambda certification: certification.application,
        help=gettext_lazy("The certification is issued with its certificate number and validity; the approver "
                          "cannot be the officer who reviewed it."),
        example=lambda application: {"comment": "同意认定"})
def application_approve(*, user, instance: Application, comment: str = "") -> Certification:
    """Approve a reviewed application (by an officer other than its reviewer) and issue the certification: the next
    certificate number of the year, the scheme's level, valid from the decision day for the version's years."""
    application = _decide(instance, user, status=ApplicationStatus.APPROVED, comment=comment)
    today = timezone.localdate()
    data = certification_from(application, decided_on=today)

    def make(number):
        certification = Certification(**data, certificate_number=number)
        certification.full_clean()
        certification.save()
        return certification

    certification = _numbered(make, f"FTKC-RZ-{today.year}-", Certification, "certificate_number")
    audit.record_change(instance=certification, action=ChangeAction.CREATE, user=user, before=None,
                        after=audit.snapshot(certification))
    reminders.refresh_for(certification)
    return certification


@action(Application, "reject", label=gettext_lazy("Reject"), **_transition("reject"),
        form=forms.ApplicationCommentForm, event_label=gettext_lazy("Certification application rejected"),
        style="outline-danger", help=gettext_lazy("Say why the subject is not certified."),
        example=lambda application: {"comment": "在孵企业数量未达到要求"})
def application_reject(*, user, instance: Application, comment: str) -> Application:
    """Decide not to certify a reviewed application, saying why."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the subject is not certified.")})
    return _decide(instance, user, status=ApplicationStatus.REJECTED, comment=comment)


@transaction.atomic
def certification_create(*, user, model=Certification, data):
    """Record a certification directly (one granted before the platform, say); its reminders follow."""
    certification = object_create(user=user, model=model, data=data)
    reminders.refresh_for(certification)
    return certification


@transaction.atomic
def certification_update(*, user, instance, data):
    certification = object_update(user=user, instance=instance, data=data)
    reminders.refresh_for(certification)
    return certification


@transaction.atomic
def certifications_expire_due(*, today: datetime.date | None = None, user=None) -> int:
    """Mark valid certifications past their last valid day as expired (run daily); each change is audited."""
    today = today or timezone.localdate()
    due = list(Certification.objects.select_for_update().filter(status=CertificationStatus.VALID,
                                                                valid_until__lt=today).order_by("pk"))
    for certification in due:
        before = audit.snapshot(certification)
        certification.status = CertificationStatus.EXPIRED
        certification.save(update_fields=["status", "last_updated"])
        audit.record_change(instance=certification, action=ChangeAction.UPDATE, user=user, before=before,
                            after=audit.snapshot(certification))
        reminders.refresh_for(certification)
    return len(due)


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------


ROUND_OFFICE = [Role.BUREAU_ADMIN, Role.BUREAU_OFFICER]
EXPERT_DECLARE = audit.register_event("certification.assessmentround.declare",
                                      gettext_lazy("Conflicts of interest declared"))
PACK_DOWNLOAD = audit.register_event("certification.certification.pack", gettext_lazy("Decision pack downloaded"))
EXPERT_SCORE = audit.register_event("certification.assessment.expert_score", gettext_lazy("Expert scores recorded"))
def fact_label(name: str, indicators=()) -> str:
    fact = CATALOGUE.get(name)
    if fact is not None:
        return f"{fact.label}（{fact.unit}）" if fact.unit else fact.label
    return next((i.get("label") for i in indicators if i.get("fact") == name), name)


def describe_value(name: str, value: int) -> str:
    """A value in storage units as people read it, with the fact's unit ("42 家", "75%", "1,200 ㎡")."""
    fact = CATALOGUE.get(name)
    return format_value(fact.type, value, fact.unit) if fact is not None else str(value)


def to_storage(name: str, written: Decimal) -> int:
    """A value written in the page's unit in the fact's storage units, rounded half-up (a count is whole)."""
    fact = CATALOGUE.get(name)
    try:
        return from_written(fact.type if fact is not None else FactType.COUNT, written)
    except NotWhole:
        raise ValidationError({"value": _("%(fact)s is a whole number.") % {"fact": fact_label(name)}}) from None


def round_of(instance) -> AssessmentRound:
    return instance if isinstance(instance, AssessmentRound) else instance.round


# ----- rounds: create, change, delete -------------------------------------------------------------------------
def _fix_version(data: dict) -> dict:
    scheme, on = data.get("scheme"), data.get("reference_date")
    version = version_in_force(scheme, on) if scheme and on else None
    if scheme and on and version is None:
        raise ValidationError({"reference_date": _("No published version of the scheme is in force on this date.")})
    return {"version": version}


@transaction.atomic
def assessmentround_create(*, user, model=AssessmentRound, data: dict) -> AssessmentRound:
    """Open a round: the version of the scheme in force on the reference date is fixed now."""
    return core_services.object_create(user=user, model=model, data=data, preset=_fix_version(data))


@transaction.atomic
def assessmentround_update(*, user, instance: AssessmentRound, data: dict) -> AssessmentRound:
    """Change a round; once it has assessments, its scheme and reference date stay as they were computed."""
    stored = AssessmentRound.objects.select_for_update().get(pk=instance.pk)
    if stored.assessments.exists() and (data.get("scheme", stored.scheme) != stored.scheme
                                        or data.get("reference_date", stored.reference_date) != stored.reference_date):
        raise ValidationError({"reference_date": _("The round has been computed: its scheme and reference date "
                                                   "can no longer change.")})
    return core_services.object_update(user=user, instance=instance, data={**data, **_fix_version(
        {"scheme": data.get("scheme", stored.scheme), "reference_date": data.get("reference_date",
                                                                                  stored.reference_date)})})


@transaction.atomic
def assessmentround_delete(*, user, instance: AssessmentRound) -> None:
    """Delete a round opened by mistake, with what was computed for it; a closed round is kept."""
    locked = core_services.locked_for_user(user, AssessmentRound, instance.pk)
    if locked.status == RoundStatus.CLOSED:
        raise ValidationError(_("A closed round is kept: it cannot be deleted."))
    core_services.ensure_can(user, "delete", AssessmentRound)
    for assessment in locked.assessments.all():
        before = audit.snapshot(assessment)
        pk = assessment.pk
        assessment.delete()
        assessment.pk = pk
        audit.record_change(instance=assessment, action="delete", user=user, before=before, after=None)
    core_services.object_delete(user=user, instance=locked)


# ----- rounds: the steps -------------------------------------------------------------------------------------
def valid_certifications(scheme, on: datetime.date):
    """The certifications of ``scheme`` valid on ``on``: in their validity period and not revoked by then."""
    return Certification.objects.in_force_on(on).filter(scheme=scheme).select_related("park", "building").order_by("id")


def quantitative_facts(version) -> list[str]:
    return list(dict.fromkeys(i["fact"] for i in (version.indicators or [])
                              if i.get("kind") == scoring.QUANTITATIVE and i.get("fact")))


def _stored(value):
    """A computed value as an assessment keeps it: an integer, or None for a missing one (core.rules.MISSING,
    or a fact the records do not give)."""
    return None if value is None or is_missing(value) else value


def _compute_example(round_):
    return {}


@action(AssessmentRound, "compute", label=gettext_lazy("Start the assessment"), roles=ROUND_OFFICE,
        sources=[RoundStatus.OPEN], style="primary", example=_compute_example,
        help=gettext_lazy("Each subject certified under the scheme on the reference date gets its assessment, and "
                          "its quantitative indicators are computed from the records as of that date. Run again, "
                          "it computes them afresh and adds subjects certified since."),
        event_data=lambda round_, result: {"assessments": result},
        message=lambda result: _("%(count)s assessments computed.") % {"count": result})
def round_compute(*, user, instance: AssessmentRound) -> int:
    """Create one assessment per certification of the round's scheme valid on its reference date and compute the
    quantitative indicators of all of them in one set-based call; returns how many there are."""
    round_ = instance
    if round_.version is None:
        raise Refused(_("No version of the scheme is in force on the round's reference date."))
    certifications = list(valid_certifications(round_.scheme, round_.reference_date))
    subjects = list(dict.fromkeys((c.park_id, c.building_id) for c in certifications))
    computed = facts.compute(subjects, round_.reference_date) if subjects else {}
    wanted = quantitative_facts(round_.version)
    existing = {a.certification_id: a for a in round_.assessments.all()}
    new, changed = [], []
    for certification in certifications:
        values = computed.get((certification.park_id, certification.building_id), {})
        kept = {name: _stored(values.get(name)) for name in wanted}
        assessment = existing.get(certification.pk)
        if assessment is None:
            new.append(Assessment(round=round_, certification=certification, park_id=certification.park_id,
                                  computed=kept))
        elif assessment.computed != kept:
            assessment.computed = kept
            changed.append(assessment)
    Assessment.objects.bulk_create(new)
    Assessment.objects.bulk_update(changed, ["computed", "last_updated"])
    return len(certifications)


def _has_assessments(user, round_):
    if not round_.assessments.exists():
        raise Refused(_("Start the assessment first: the round has no subjects yet."))


@action(AssessmentRound, "score", label=gettext_lazy("Start expert scoring"), roles=ROUND_OFFICE,
        sources=[RoundStatus.OPEN], target=RoundStatus.SCORING, condition=_has_assessments,
        help=gettext_lazy("Operators can no longer add data; the assigned experts declare their conflicts of "
                          "interest and score the qualitative indicators."),
        example=lambda round_: {})
def round_score(*, user, instance: AssessmentRound) -> AssessmentRound:
    instance.status = RoundStatus.SCORING
    instance.save(update_fields=["status", "last_updated"])
    return instance


def assessment_values(assessment: Assessment) -> dict:
    """The values an assessment is scored on: each computed one, and where the records gave none, the
    operator's."""
    values = dict(assessment.computed or {})
    for name, entry in (assessment.supplied or {}).items():
        if values.get(name) is None and isinstance(entry, dict) and entry.get("value") is not None:
            values[name] = entry["value"]
    return values


def expert_scores_of(assessments, *, expert=None) -> dict:
    """assessment id → indicator code → the experts' scores (only ``expert``'s when given)."""
    found: dict = {}
    rows = ExpertScore.objects.filter(assessment__in=assessments)
    if expert is not None:
        rows = rows.filter(expert=expert)
    for assessment_id, code, value in rows.order_by("id").values_list("assessment_id", "indicator", "score"):
        found.setdefault(assessment_id, {}).setdefault(code, []).append(value)
    return found


def assessment_result(assessment: Assessment, scores: dict | None = None) -> scoring.Result:
    """The assessment's points, total and grade from what it holds now."""
    version = assessment.round.version
    if scores is None:
        scores = expert_scores_of([assessment]).get(assessment.pk, {})
    return scoring.score(version.indicators or [], values=assessment_values(assessment), scores=scores,
                         bands=version.grade_bands or [], adjustment=assessment.adjustment, describe=describe_value)


def previous_round(round_: AssessmentRound) -> AssessmentRound | None:
    """The scheme's closed round before this one."""
    return (AssessmentRound.objects.filter(scheme_id=round_.scheme_id, status=RoundStatus.CLOSED,
                                           reference_date__lt=round_.reference_date)
            .exclude(pk=round_.pk).order_by("-reference_date", "-year").first())


def _consecutive_fails(round_: AssessmentRound) -> list[tuple[Assessment, Assessment]]:
    earlier = previous_round(round_)
    if earlier is None:
        return []
    failed_before = {a.certification_id: a for a in earlier.assessments.filter(grade=Grade.D)}
    return [(failed_before[a.certification_id], a)
            for a in round_.assessments.filter(grade=Grade.D).select_related("certification")
            if a.certification_id in failed_before]


@action(AssessmentRound, "close", label=gettext_lazy("Close the assessment"), roles=ROUND_OFFICE,
        sources=[RoundStatus.SCORING], target=RoundStatus.CLOSED, style="outline-danger",
        help=gettext_lazy("Scores, grades and ranks are fixed; a qualitative indicator no expert scored counts 0. "
                          "A subject graded 不合格 this round and in the scheme's previous round loses its "
                          "certification."),
        event_data=lambda round_, result: {"revoked": result},
        example=lambda round_: {})
def round_close(*, user, instance: AssessmentRound) -> list:
    """Close a round: every assessment's points, total and grade (certification.scoring), the ranking, then the
    consequence the scheme sets: two consecutive 不合格 revoke the certification. Returns the revoked
    certifications' ids."""
    round_ = instance
    assessments = list(round_.assessments.select_related("round__version").order_by("id"))
    scores = expert_scores_of(assessments)
    for assessment in assessments:
        result = assessment_result(assessment, scores.get(assessment.pk, {}))
        assessment.score, assessment.grade, assessment.result = result.total, result.grade, result.as_dict()
    ranks = scoring.ranking({a.pk: a.score for a in assessments})
    for assessment in assessments:
        assessment.rank = ranks[assessment.pk]
    Assessment.objects.bulk_update(assessments, ["score", "grade", "result", "rank", "last_updated"])
    round_.status, round_.closed_at = RoundStatus.CLOSED, timezone.now()
    round_.save(update_fields=["status", "closed_at", "last_updated"])
    revoked = []
    for before, now in _consecutive_fails(round_):
        reason = _("Graded 不合格 in two consecutive assessment rounds: %(first)s and %(second)s.") % {
            "first": before.round.title, "second": round_.title}
        certification_revoke(user=user, instance=now.certification, revoked_on=timezone.localdate(),
                             reason=reason)
        revoked.append(now.certification_id)
    return revoked


# ----- certifications: revocation ----------------------------------------------------------------------------
def _certification_valid(user, certification):
    # A revoked certification keeps its date of revocation (a constraint), so the state is checked here rather
    # than declared as the action's sources, which a test sets by the status alone.
    if certification.status != CertificationStatus.VALID:
        raise Refused(_("%(object)s is %(state)s: it cannot be revoked.") % {
            "object": certification, "state": certification.get_status_display()})


@action(Certification, "revoke", label=gettext_lazy("Revoke the certification"), roles=ROUND_OFFICE,
        condition=_certification_valid, form=RevokeForm, style="outline-danger",
        help=gettext_lazy("The certification ends on this date; the reason is recorded and shown on it."),
        initial=lambda certification: {"revoked_on": timezone.localdate()},
        example=lambda certification: {"revoked_on": certification.valid_from,
                                       "reason": "园区运营机构申请退出认定"})
def certification_revoke(*, user, instance: Certification, revoked_on: datetime.date, reason: str) -> Certification:
    """Revoke a certification, from a date within its validity, with the reason (by hand, or after two
    consecutive 不合格 in the yearly assessment)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for revocation.")})
    if revoked_on < instance.valid_from:
        raise ValidationError({"revoked_on": _("The certification cannot be revoked before it became valid.")})
    before = audit.snapshot(instance)
    instance.status, instance.revoked_on, instance.revocation_reason = (
        CertificationStatus.REVOKED, revoked_on, reason.strip()[:300])
    instance.full_clean()
    instance.save()
    audit.record_change(instance=instance, action="update", user=user, before=before, after=audit.snapshot(instance))
    from core import reminders

    reminders.refresh_for(instance)
    return instance


# ----- assessments: what operators add, what officers adjust ---------------------------------------------------
def missing_facts(assessment: Assessment) -> list[str]:
    """The facts of the round's quantitative indicators the records did not give."""
    computed = assessment.computed or {}
    return [name for name in quantitative_facts(assessment.round.version) if computed.get(name) is None]


def supply_choices(assessment: Assessment) -> list[tuple[str, str]]:
    indicators = assessment.round.version.indicators or [] if assessment.round.version else []
    return [(name, fact_label(name, indicators)) for name in missing_facts(assessment)]


def _round_open(user, assessment):
    if assessment.round.status != RoundStatus.OPEN:
        raise Refused(_("The round is no longer open: operators can add data only while it is open."))
    if not missing_facts(assessment):
        raise Refused(_("The records give every value of this assessment: nothing is to be added."))


def _lock_round_of_assessment(pk):
    AssessmentRound.objects.select_for_update(of=("self",)).filter(assessments__pk=pk).first()


def _assessment_supply_example(assessment):
    return {"fact": missing_facts(assessment)[0], "value": "12"}


@action(Assessment, "supply", label=gettext_lazy("Add data"), roles=ROUND_OFFICE + [Role.PARK_OPERATOR],
        form=SupplyForm, condition=_round_open, locks=_lock_round_of_assessment, example=_assessment_supply_example,
        help=gettext_lazy("A value the records lack, with the document that shows it (attach it to this "
                          "assessment first)."))
def assessment_supply(*, user, instance: Assessment, fact: str, value: Decimal, document: int | None = None):
    """Add a value the records lack to an assessment while its round is open, with the document behind it."""
    if fact not in missing_facts(instance):
        raise ValidationError({"fact": _("Only a value the records do not give can be added.")})
    if document is not None:
        from core.attachments.selectors import attachment_list

        if not attachment_list(user=user, record=instance).filter(document_id=document).exists():
            raise ValidationError({"document": _("Choose a document attached to this assessment.")})
    before = audit.snapshot(instance)
    instance.supplied = {**(instance.supplied or {}),
                         fact: {"value": to_storage(fact, value), "document": document, "by": user.username}}
    instance.save(update_fields=["supplied", "last_updated"])
    audit.record_change(instance=instance, action="update", user=user, before=before, after=audit.snapshot(instance))
    return instance


def _not_closed(user, assessment):
    if assessment.round.status == RoundStatus.CLOSED:
        raise Refused(_("The round is closed: its scores can no longer be adjusted."))


@action(Assessment, "adjust", label=gettext_lazy("Adjust the score"), roles=ROUND_OFFICE, form=AdjustForm,
        condition=_not_closed, locks=_lock_round_of_assessment,
        initial=lambda a: {"points": Decimal(a.adjustment) / 100, "reason": a.adjustment_reason},
        example=lambda a: {"points": "2.50", "reason": "现场核查发现服务台账记录不全后已补正"},
        help=gettext_lazy("Points added to (or taken from) the sum of the indicators, at most 10, with the "
                          "reason, which is recorded."))
def assessment_adjust(*, user, instance: Assessment, points: Decimal, reason: str) -> Assessment:
    """An officer's adjustment of an assessment's score, within ±10 points, with the reason recorded."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    hundredths = int((Decimal(points) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(hundredths) > scoring.ADJUSTMENT_LIMIT:
        raise ValidationError({"points": _("An adjustment is at most 10 points either way.")})
    before = audit.snapshot(instance)
    instance.adjustment, instance.adjustment_reason = hundredths, reason.strip()
    instance.full_clean()
    instance.save(update_fields=["adjustment", "adjustment_reason", "last_updated"])
    audit.record_change(instance=instance, action="update", user=user, before=before, after=audit.snapshot(instance))
    return instance


@transaction.atomic
def assessment_create(*, user, model=Assessment, data: dict) -> Assessment:
    """Add a subject to a round by hand (certified after the round was computed): its quantitative indicators
    are computed at once, as of the round's reference date."""
    certification, round_ = data.get("certification"), data.get("round")
    if round_ is not None:  # closing takes this lock too: no subject joins a round while it closes
        round_ = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
    if certification and round_ and certification.scheme_id != round_.scheme_id:
        raise ValidationError({"certification": _("The certification is not of the round's scheme.")})
    if round_ and round_.status == RoundStatus.CLOSED:
        raise ValidationError({"round": _("The round is closed.")})
    computed = {}
    if certification and round_ and round_.version_id:
        key = (certification.park_id, certification.building_id)
        values = facts.compute([key], round_.reference_date).get(key, {})
        computed = {name: _stored(values.get(name)) for name in quantitative_facts(round_.version)}
    return core_services.object_create(user=user, model=model, data=data, preset={
        "park": certification.park if certification else None, "computed": computed})


@transaction.atomic
def assessment_update(*, user, instance: Assessment, data: dict) -> Assessment:
    """Change an assessment's opinion; the round and the subject it assesses stay as they were."""
    stored = core_services.locked_for_user(user, Assessment, instance.pk)
    for name in ("round", "certification"):
        if name in data and getattr(data[name], "pk", data[name]) != getattr(stored, f"{name}_id"):
            raise ValidationError({name: _("An assessment keeps its round and its subject: add another instead.")})
    return core_services.object_update(user=user, instance=instance, data=data)


@transaction.atomic
def assessment_delete(*, user, instance: Assessment) -> None:
    """Remove a subject from a round that is not closed (a closed round's results are kept)."""
    stored = core_services.locked_for_user(user, Assessment, instance.pk)
    if stored.round.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is closed: its assessments are kept."))
    core_services.object_delete(user=user, instance=instance)


# ----- experts: conflicts of interest, then scores ----------------------------------------------------------
def _expert_round(user, round_pk) -> AssessmentRound:
    """The round, locked, when ``user`` is one of its experts (404 otherwise: it does not exist for them)."""
    from django.http import Http404

    if getattr(user, "role", None) != Role.EXPERT:
        raise PermissionDenied(_("You do not have permission to do this."))
    round_ = AssessmentRound.objects.select_for_update().filter(pk=round_pk, experts=user).first()
    if round_ is None:
        raise Http404
    return round_


def declared(round_: AssessmentRound, user) -> bool:
    return ConflictDeclaration.objects.filter(round=round_, expert=user).exists()


@transaction.atomic
def conflicts_declare(*, user, round: AssessmentRound, certifications=(), reason: str = "") -> list:
    """An expert's declaration for a round, made once before it scores: no conflict at all (no certification),
    or the subjects it has a conflict of interest with and why. It then neither sees nor scores those."""
    round_ = _expert_round(user, round.pk)
    if round_.status == RoundStatus.CLOSED:
        raise Refused(_("The round is closed."))
    if declared(round_, user):
        raise Refused(_("You have declared your conflicts of interest for this round already."))
    chosen = list(Assessment.objects.filter(round=round_, certification__in=list(certifications))
                  .values_list("certification_id", flat=True))
    if len(chosen) != len(set(certifications)):
        raise ValidationError({"certifications": _("Choose subjects of this round.")})
    if chosen and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
    rows = [ConflictDeclaration(round=round_, expert=user, certification_id=pk, reason=reason.strip())
            for pk in chosen] or [ConflictDeclaration(round=round_, expert=user, certification=None)]
    ConflictDeclaration.objects.bulk_create(rows)
    audit.record_event(EXPERT_DECLARE, user=user, instance=round_,
                       data={"conflicts": chosen, "reason": reason.strip()})
    return chosen


def qualitative_indicators(version) -> list[dict]:
    return [i for i in (version.indicators or []) if i.get("kind") == scoring.QUALITATIVE] if version else []


@transaction.atomic
def expert_scores_save(*, user, assessment: Assessment, scores: dict) -> list:
    """An expert's scores (0–100, two decimals) of an assessment's qualitative indicators, with comments:
    ``scores`` = {code: (points as Decimal, comment)}. Only while the round is in expert scoring, only after the
    expert declared its conflicts, never for a subject it has a conflict with; a later save replaces its own."""
    round_ = _expert_round(user, assessment.round_id)  # locked: closing the round waits, or this waits for it
    found = Assessment.objects.for_user(user).filter(pk=assessment.pk, round=round_).first()
    if found is None:
        from django.http import Http404

        raise Http404
    if round_.status != RoundStatus.SCORING:
        raise Refused(_("The round is not in expert scoring: scores can be given only then."))
    if not declared(round_, user):
        raise Refused(_("Declare your conflicts of interest for this round before scoring."))
    codes = {i["code"] for i in qualitative_indicators(round_.version)}
    errors = {}
    saved = []
    for code, (points, comment) in scores.items():
        if code not in codes:
            errors[code] = _("Not a qualitative indicator of this round.")
            continue
        value = int((Decimal(points) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if not 0 <= value <= scoring.FULL_MARKS:
            errors[code] = _("A score lies between 0 and 100.")
            continue
        ExpertScore.objects.update_or_create(assessment=found, expert=user, indicator=code,
                                             defaults={"score": value, "comment": (comment or "").strip()[:500]})
        saved.append(code)
    if errors:
        raise ValidationError(errors)
    audit.record_event(EXPERT_SCORE, user=user, instance=found,
                       data={code: str(scores[code][0]) for code in saved})
    return saved


ASSESSMENT_EVIDENCE = "assessment_evidence"


def _operator_may_attach(user, assessment) -> bool:
    """The park's operator attaches the documents behind what it adds while the round is open."""
    return user.role == Role.PARK_OPERATOR and assessment.round.status == RoundStatus.OPEN


def rounds_register() -> None:
    """What the rounds add to the platform when the app is ready: an assessment takes documents, and a
    certification's page lists its assessments with the link to its decision pack."""
    from core.attachments.registry import register_attachable, register_kind
    from core.surfaces.extensions import add_detail_panel

    register_kind(ASSESSMENT_EVIDENCE, gettext_lazy("Assessment evidence"))
    register_attachable("certification.assessment", kinds=[ASSESSMENT_EVIDENCE], also_attach=_operator_may_attach)
    add_detail_panel("certification.certification", "certification/certification_assessments.html",
                     _certification_assessments_panel)


def _certification_assessments_panel(request, certification, context) -> dict:
    """The certification page's yearly assessments, and its decision pack for those who may download it."""
    user = request.user
    return {"assessments": selectors.certification_assessments(user=user, certification=certification),
            "pack": role_may(user, VIEW, Certification)}  # as the pack's page asks


def certification_pack_download(*, user, certification: Certification) -> bytes:
    """The certification's decision pack as a PDF (the selector lays it out), its download recorded."""
    pdf = render_pdf(selectors.certification_pack(user=user, certification=certification))
    audit.record_event(PACK_DOWNLOAD, user=user, instance=certification, data={"bytes": len(pdf)})
    return pdf
