"""Writes of certification beyond plain CRUD: each a service, audited; the steps people take are actions."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
import datetime  # noqa: E402
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402

from core import audit  # noqa: E402
from core import services as core_services  # noqa: E402
from core.actions import Refused, action  # noqa: E402
from core.reference.choices import Role  # noqa: E402
from core.rules import (  # noqa: E402
    FactType,
    area_from_m2,
    format_value,
    is_missing,
    money_from_yuan,
    ratio_from_decimal,
    share_from_percent,
)

from . import facts, scoring  # noqa: E402
from .choices import CertificationStatus, Grade, RoundStatus  # noqa: E402
from .facts import CATALOGUE  # noqa: E402
from .forms import AdjustForm, RevokeForm, SupplyForm  # noqa: E402
from .models import Assessment, AssessmentRound, Certification, ConflictDeclaration, ExpertScore  # noqa: E402

ROUND_OFFICE = [Role.BUREAU_ADMIN, Role.BUREAU_OFFICER]
EXPERT_DECLARE = audit.register_event("certification.assessmentround.declare",
                                      gettext_lazy("Conflicts of interest declared"))
PACK_DOWNLOAD = audit.register_event("certification.certification.pack", gettext_lazy("Decision pack downloaded"))
EXPERT_SCORE = audit.register_event("certification.assessment.expert_score", gettext_lazy("Expert scores recorded"))
# A value people write (㎡, %, 元, 家/千㎡) in the storage units of its kind of fact (core.rules), half-up.
FROM_WRITTEN = {FactType.AREA: area_from_m2, FactType.SHARE: share_from_percent, FactType.MONEY: money_from_yuan,
                FactType.RATIO: ratio_from_decimal}


def _round_version(scheme, on: datetime.date):
    """The version of ``scheme`` in force on ``on`` (published, the latest to take effect by then)."""
    return scheme.version_on(on)


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
    convert = FROM_WRITTEN.get(fact.type) if fact is not None else None
    if convert is not None:
        return convert(written)
    return int(Decimal(written).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_of(instance) -> AssessmentRound:
    return instance if isinstance(instance, AssessmentRound) else instance.round


# ----- rounds: create, change, delete -------------------------------------------------------------------------
def _fix_version(data: dict) -> dict:
    scheme, on = data.get("scheme"), data.get("reference_date")
    version = _round_version(scheme, on) if scheme and on else None
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
    return (Certification.objects.filter(scheme=scheme, valid_from__lte=on, valid_until__gte=on)
            .filter(~Q(status=CertificationStatus.REVOKED) | Q(revoked_on__gt=on))
            .select_related("park", "building").order_by("id"))


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


def expert_scores_of(assessments) -> dict:
    """assessment id → indicator code → the experts' scores."""
    found: dict = {}
    for assessment_id, code, value in (ExpertScore.objects.filter(assessment__in=assessments)
                                       .order_by("id").values_list("assessment_id", "indicator", "score")):
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
@action(Certification, "revoke", label=gettext_lazy("Revoke the certification"), roles=ROUND_OFFICE,
        sources=[CertificationStatus.VALID], target=CertificationStatus.REVOKED, form=RevokeForm,
        style="outline-danger",
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


def _supply_example(assessment):
    return {"fact": missing_facts(assessment)[0], "value": "12"}


@action(Assessment, "supply", label=gettext_lazy("Add data"), roles=ROUND_OFFICE + [Role.PARK_OPERATOR],
        form=SupplyForm, condition=_round_open, locks=_lock_round_of_assessment, example=_supply_example,
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
    """Add a subject to a round by hand (certified after the round was computed): it is computed at once."""
    certification, round_ = data.get("certification"), data.get("round")
    if certification and round_ and certification.scheme_id != round_.scheme_id:
        raise ValidationError({"certification": _("The certification is not of the round's scheme.")})
    if round_ and round_.status == RoundStatus.CLOSED:
        raise ValidationError({"round": _("The round is closed.")})
    return core_services.object_create(user=user, model=model, data=data,
                                       preset={"park": certification.park if certification else None})


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
    """What the rounds add to the platform when the app is ready: an assessment takes documents."""
    from core.attachments.registry import register_attachable, register_kind

    register_kind(ASSESSMENT_EVIDENCE, gettext_lazy("Assessment evidence"))
    register_attachable("certification.assessment", kinds=[ASSESSMENT_EVIDENCE], also_attach=_operator_may_attach)
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
