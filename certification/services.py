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
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
