"""Writes of certification beyond plain CRUD: each a service, audited; the steps people take are actions."""


# ===== schemes and their versions ==========================================================================
import datetime  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402

from core import audit  # noqa: E402
from core.access.permissions import CHANGE, ensure_can, record_refusal  # noqa: E402
from core.actions import Refused, action  # noqa: E402
from core.reference.choices import ChangeAction, Role  # noqa: E402
from core.rules import ParameterSet, validate  # noqa: E402
from core.services import object_create, object_delete, object_update  # noqa: E402

from . import builder  # noqa: E402
from . import forms as certification_forms  # noqa: E402
from .choices import VersionStatus  # noqa: E402
from .models import Scheme, SchemeVersion  # noqa: E402

SCHEME_MANAGERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
CONTENT_FIELDS = ("criteria", "indicators", "grade_bands", "parameters")
COPIED_FIELDS = (*CONTENT_FIELDS, "source_document", "source_date", "validity_years", "notes")


def fact_catalogue():
    """The facts a scheme's criteria and indicators may name (certification.facts)."""
    from certification.facts import CATALOGUE

    return CATALOGUE


def version_in_force(scheme: Scheme, on: datetime.date) -> SchemeVersion | None:
    """The version of ``scheme`` an application or a round dated ``on`` is judged by: of the published (or since
    retired) versions, the one that took effect last on or before ``on``; None before the first took effect."""
    return scheme.version_on(on)


def _draft_exists_message(scheme) -> str:
    return _("%(scheme)s already has a draft version: finish or delete it before starting another.") % {
        "scheme": scheme}


def _refuse_if_fixed(version: SchemeVersion, verb: str) -> None:
    refused = record_refusal(version, verb)
    if refused:
        raise ValidationError(refused)


def _next_number(scheme_id) -> int:
    return (SchemeVersion.objects.filter(scheme_id=scheme_id).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def schemeversion_create(*, user, model=SchemeVersion, data):
    """A new draft version of a scheme, numbered after the last one. A scheme has one draft at a time (the
    database's constraint ``scheme_one_draft`` holds it when two people start one at the same moment)."""
    scheme = data.get("scheme")
    if scheme is not None and SchemeVersion.objects.filter(scheme=scheme, status=VersionStatus.DRAFT).exists():
        raise ValidationError({"scheme": _draft_exists_message(scheme)})
    preset = {"status": VersionStatus.DRAFT, "number": _next_number(getattr(scheme, "pk", scheme))}
    try:
        return object_create(user=user, model=model, data=data, preset=preset)
    except ValidationError:
        if scheme is not None and SchemeVersion.objects.filter(scheme=scheme, status=VersionStatus.DRAFT).exists():
            raise ValidationError({"scheme": _draft_exists_message(scheme)}) from None
        raise


@transaction.atomic
def schemeversion_update(*, user, instance, data):
    """Only a draft changes; a published or retired version is the record of the rules applied under it."""
    ensure_can(user, CHANGE, SchemeVersion)
    locked = SchemeVersion.objects.select_for_update().get(pk=instance.pk)
    _refuse_if_fixed(locked, "change")
    scheme = data.get("scheme")
    if scheme is not None and getattr(scheme, "pk", scheme) != locked.scheme_id:
        raise ValidationError({"scheme": _("A version stays with its scheme; start a version of the other scheme.")})
    return object_update(user=user, instance=locked, data=data)


@transaction.atomic
def schemeversion_delete(*, user, instance):
    """Only a draft is deleted."""
    locked = SchemeVersion.objects.select_for_update().filter(pk=instance.pk).first()
    if locked is not None:
        _refuse_if_fixed(locked, "delete")
    object_delete(user=user, instance=instance)


@transaction.atomic
def schemeversion_rules_set(*, user, instance, criteria, indicators, grade_bands, parameters):
    """Set a draft's criteria, indicators, grade bands and parameters (built in rows by the condition builder and
    checked there); refused for a published or retired version, as any change is."""
    ensure_can(user, CHANGE, SchemeVersion)
    locked = SchemeVersion.objects.for_user(user).select_for_update().get(pk=instance.pk)
    _refuse_if_fixed(locked, "change")
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


def _copy(version: SchemeVersion, effective_from) -> SchemeVersion:
    copy = SchemeVersion(scheme_id=version.scheme_id, number=_next_number(version.scheme_id),
                         status=VersionStatus.DRAFT, effective_from=effective_from)
    for name in COPIED_FIELDS:
        setattr(copy, name, getattr(version, name))
    return copy


def _refuse_second_draft(user, version):
    if SchemeVersion.objects.filter(scheme_id=version.scheme_id, status=VersionStatus.DRAFT).exists():
        raise Refused(_draft_exists_message(version.scheme))


@action(SchemeVersion, "new_version", label=gettext_lazy("Start a new version"), roles=SCHEME_MANAGERS,
        sources=[VersionStatus.PUBLISHED, VersionStatus.RETIRED], form=certification_forms.NewVersionForm,
        condition=_refuse_second_draft, event_data=lambda version, new: {"new_version": new.pk},
        help=gettext_lazy("Copies this version's criteria, indicators, grade bands and parameters into a new draft "
                          "that takes effect on the date given once it is published."),
        initial=lambda version: {"effective_from": datetime.date.today()},
        example=lambda version: {"effective_from": version.effective_from + datetime.timedelta(days=365)})
def schemeversion_new_version(*, user, instance: SchemeVersion, effective_from: datetime.date) -> SchemeVersion:
    """Start the next version of a scheme from this one: a draft with the same content, to be changed and
    published. Refused while the scheme has a draft; two people starting one at the same moment get one draft
    and one refusal (the constraint ``scheme_one_draft``)."""
    copy = _copy(instance, effective_from)
    try:
        with transaction.atomic():
            copy.full_clean(validate_constraints=False, validate_unique=False)
            copy.save()
    except IntegrityError:
        raise Refused(_draft_exists_message(instance.scheme)) from None
    audit.record_change(instance=copy, action=ChangeAction.CREATE, user=user, before=None,
                        after=audit.snapshot(copy))
    return copy


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
    before = audit.snapshot(instance)
    instance.status = VersionStatus.PUBLISHED
    instance.content_hash = builder.version_hash(instance)
    instance.published_at = timezone.now()
    instance.published_by = user.username
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise Refused(_("Another published version of this scheme takes effect on %(day)s: choose another date.")
                      % {"day": instance.effective_from.isoformat()}) from None
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance


@action(SchemeVersion, "retire", label=gettext_lazy("Retire"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.PUBLISHED], target=VersionStatus.RETIRED, style="outline-danger",
        help=gettext_lazy("A retired version stays the record of the decisions taken under it and still answers "
                          "for the days it was in force; it is no longer offered for new work."),
        example=lambda version: {})
def schemeversion_retire(*, user, instance: SchemeVersion) -> SchemeVersion:
    """Retire a published version (the scheme ended, or its rules were replaced)."""
    before = audit.snapshot(instance)
    instance.status = VersionStatus.RETIRED
    instance.save(update_fields=["status", "last_updated"])
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (datetime, ValidationError, IntegrityError, transaction, timezone, _, gettext_lazy, audit, action, Refused,
# ChangeAction, Role, object_create, object_update, VersionStatus and SchemeVersion come from the part above.)
from decimal import Decimal  # noqa: E402

from core import reminders  # noqa: E402

from . import forms as records_forms  # noqa: E402
from .choices import ApplicationStatus, CertificationStatus  # noqa: E402
from .models import Application, Certification  # noqa: E402

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


def certificate_number_next(scheme, on: datetime.date) -> str:
    """The next certificate number of the year of ``on``: FTKC-RZ-2026-0001, FTKC-RZ-2026-0002, …"""
    prefix = f"FTKC-RZ-{on.year}-"
    last = (Certification.objects.filter(certificate_number__startswith=prefix).order_by("-certificate_number")
            .values_list("certificate_number", flat=True).first())
    sequence = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{sequence:04d}"


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
    from .selectors import application_document_ids

    return application_document_ids(application)


def supplied_from_human(fact, value: Decimal) -> int:
    """A value as people write it (㎡, 元, %, a count) → the fact's storage unit (core.rules), rounded half-up."""
    from core import rules

    kind = getattr(fact.type, "value", fact.type)
    if value < 0:
        raise ValidationError(_("The value cannot be negative."))
    converters = {"area": rules.area_from_m2, "money": rules.money_from_yuan, "share": rules.share_from_percent,
                  "ratio": rules.ratio_from_decimal}
    if kind in converters:
        return converters[kind](value)
    if value != value.to_integral_value():
        raise ValidationError(_("%(fact)s is a whole number.") % {"fact": fact.label})
    return int(value)


def supplied_to_human(fact, value) -> str:
    """The stored value as people write it (the inverse of supplied_from_human); "" when not given."""
    from core import rules

    if value is None:
        return ""
    kind = getattr(fact.type, "value", fact.type)
    converters = {"area": rules.area_to_m2, "money": rules.money_to_yuan, "share": rules.share_to_percent,
                  "ratio": rules.ratio_to_decimal}
    return str(converters[kind](value)) if kind in converters else str(value)


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


def _supply_example(application):
    return {"fact": "subject.fund_size", "value": Decimal("6000000")}


@action(Application, "supply", label=gettext_lazy("Enter one supplied value"), **_transition("supply"),
        form=records_forms.SuppliedValueForm, event_label=gettext_lazy("Supplied value entered"),
        style="outline-primary", button=False,
        help=gettext_lazy("A value the records do not hold, with the document attached to the application that "
                          "shows it; the application is then evaluated with it."),
        example=_supply_example)
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
        form=records_forms.ApplicationCommentForm, event_label=gettext_lazy("Certification application returned"),
        style="outline-warning",
        help=gettext_lazy("The operator corrects the application and submits it again; say what to correct."),
        example=lambda application: {"comment": "请补充孵化基金规模的证明材料"})
def application_return(*, user, instance: Application, comment: str) -> Application:
    """Return a submitted application to its operator for correction, saying what to correct."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the operator should correct.")})
    return _review(instance, user, status=ApplicationStatus.RETURNED, reviewer=False, comment=comment)


@action(Application, "accept", label=gettext_lazy("Pass first review"), **_transition("accept"),
        form=records_forms.ApplicationNoteForm, event_label=gettext_lazy("Certification application reviewed"),
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
        form=records_forms.ApplicationNoteForm, condition=_not_the_reviewer,
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
        form=records_forms.ApplicationCommentForm, event_label=gettext_lazy("Certification application rejected"),
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


# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
