"""免申即享: every enterprise screened against every proactive policy in force, offers made to the eligible ones
that have not applied. The run only proposes: it never reserves or pays money.

``run(run)`` does the work of a ScreeningRun already saved (``services.screening_run`` saves it, runs this and
records the event):

1. the versions: of each proactive policy valid in the period, the version in force on the run's day;
2. one column snapshot of every enterprise (``policies.snapshot.build``), with the sub-periods the versions'
   amounts are split into and the history facts of each policy;
3. evaluator B (``engine.decide_columns``) per version: who is eligible, for how much;
4. the sample re-check: ``SAMPLE`` enterprises a version (half among those B found eligible, half among all, drawn
   with the run's seed), their facts computed again from the records (``policies.facts.compute``) and decided
   by evaluator A (``engine.decide_facts``); any difference in eligibility or amount fails the run: status
   failed, the differences in its summary, no offer made;
5. offers for the eligible enterprises with no application or award of that policy for that year and no offer
   of that policy and period already (proposed, confirmed or declined: an enterprise that said 不需要 is not
   asked again for the same period); proposed offers of earlier runs for the same period whose enterprise is no
   longer eligible are superseded;
6. the summary: counts, seconds of each step, and per policy the eligible enterprises and amounts against the
   year's budget.
"""

from __future__ import annotations

import datetime
import random
import time

import numpy as np
from django.db import transaction
from django.db.models import Q

from core.rules.amounts import amount_parts

from . import engine, facts, snapshot
from .choices import AWARD_HOLDING_STATUSES, ApplicationStatus, OfferStatus, RunStatus
from .models import Application, Award, Budget, Offer, Policy, ScreeningRun

SAMPLE = 200
BATCH = 5000


def screened_versions(on: datetime.date, start: datetime.date, end: datetime.date, policies=None) -> list:
    """The version in force on ``on`` of each proactive policy valid in [start, end] (``policies``: only those)."""
    found = Policy.objects.filter(proactive=True, valid_from__lte=end).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=start)).order_by("code")
    if policies is not None:
        found = found.filter(pk__in=[getattr(p, "pk", p) for p in policies])
    versions = []
    for policy in found:
        version = policy.version_on(on)
        if version is not None:
            versions.append(version)
    return versions


def _parts(rules: engine.Rules, start, end) -> list[tuple]:
    return amount_parts(rules.amount, rules.parameters, start, end) if rules.amount else [(start, end)]


def _excluded(policy_id: int, start: datetime.date, end: datetime.date) -> set[int]:
    """Enterprises not to offer ``policy_id`` for the period: an application (not withdrawn) or a holding award
    for its year, or an offer for the period already."""
    year = start.year
    applied = Application.objects.filter(policy_id=policy_id, year=year).exclude(
        status=ApplicationStatus.WITHDRAWN).values_list("enterprise_id", flat=True)
    awarded = Award.objects.filter(policy_id=policy_id, year=year,
                                   status__in=[str(s) for s in AWARD_HOLDING_STATUSES]).values_list(
        "enterprise_id", flat=True)
    offered = Offer.objects.filter(policy_id=policy_id, period_start=start).exclude(
        status=OfferStatus.SUPERSEDED).values_list("enterprise_id", flat=True)
    return set(applied) | set(awarded) | set(offered)


def recheck(rules: engine.Rules, policy, rows: list[int], snap: snapshot.Snapshot, eligible: np.ndarray,
            amounts: np.ndarray, *, on, start, end) -> list[dict]:
    """Evaluator A on ``rows`` of the snapshot, from facts computed again from the records: the differences."""
    if not rows:
        return []
    ids = [int(snap.ids[row]) for row in rows]
    by_part = {part: facts.compute(ids, on=on, start=part[0], end=part[1], policy=policy)
               for part in _parts(rules, start, end)}
    if (start, end) not in by_part:
        by_part[(start, end)] = facts.compute(ids, on=on, start=start, end=end, policy=policy)
    differences = []
    for row, enterprise_id in zip(rows, ids, strict=True):
        result = engine.decide_facts(rules, lambda ps, pe, e=enterprise_id: by_part[(ps, pe)][e], start, end, on)
        b_eligible, b_amount = bool(eligible[row]), int(amounts[row])
        a_amount = result.amount if result.eligible else 0
        if result.eligible != b_eligible or a_amount != b_amount:
            differences.append({"enterprise": enterprise_id, "policy": policy.pk, "a_eligible": result.eligible,
                                "a_amount": a_amount, "b_eligible": b_eligible, "b_amount": b_amount})
    return differences


def sample_rows(rng: random.Random, eligible: np.ndarray, size: int) -> list[int]:
    """Up to ``size`` rows: half among the eligible ones, the rest among all rows, without repeats."""
    n = len(eligible)
    chosen: set[int] = set()
    hits = np.flatnonzero(eligible).tolist()
    chosen.update(rng.sample(hits, min(len(hits), size // 2)))
    want = min(n, size)
    while len(chosen) < want:
        chosen.add(rng.randrange(n))
    return sorted(chosen)


def run(screening: ScreeningRun, *, policies=None, sample: int = SAMPLE, seed: int | None = None,
        build=snapshot.build) -> ScreeningRun:
    """Screen and propose (see the module). Returns the run, done or failed."""
    on, start, end = screening.decided_on, screening.period_start, screening.period_end
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    began = clock

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    versions = screened_versions(on, start, end, policies)
    rules = {version.pk: engine.rules_of(version) for version in versions}
    parts = sorted({part for version in versions for part in _parts(rules[version.pk], start, end)})
    snap = build(on=on, start=start, end=end, parts=parts, policies=[v.policy_id for v in versions])
    lap("snapshot")
    results, shared = {}, {}
    try:
        for version in versions:
            results[version.pk] = engine.decide_columns(
                rules[version.pk], lambda ps, pe, p=version.policy_id: snap.columns_for_part(ps, pe, policy=p),
                start, end, on, snap.rows, shared=shared)
    except Exception as error:  # a version that cannot be decided on this day (a parameter without a value)
        return _fail(screening, versions, seconds, began, snap.rows, str(error), [])
    lap("evaluate")
    rng = random.Random(seed if seed is not None else screening.pk)
    differences, checked = [], 0
    for version in versions:
        eligible, amounts, _failed = results[version.pk]
        rows = sample_rows(rng, eligible, sample)
        checked += len(rows)
        differences.extend(recheck(rules[version.pk], version.policy, rows, snap, eligible, amounts,
                                   on=on, start=start, end=end))
    lap("recheck")
    if differences:
        return _fail(screening, versions, seconds, began, snap.rows, "", differences, checked)

    per_policy, offers_made, total_amount, eligible_total = [], 0, 0, 0
    with transaction.atomic():
        for version in versions:
            eligible, amounts, _failed = results[version.pk]
            excluded = _excluded(version.policy_id, start, end)
            hit = np.flatnonzero(eligible)
            hit_ids = snap.ids[hit]
            keep = ~np.isin(hit_ids, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))
            offer_rows = [Offer(run=screening, policy_id=version.policy_id, version=version,
                                enterprise_id=int(enterprise_id), period_start=start, period_end=end,
                                amount=int(amount))
                          for enterprise_id, amount in zip(hit_ids[keep].tolist(), amounts[hit][keep].tolist(),
                                                           strict=True)]
            for first in range(0, len(offer_rows), BATCH):
                Offer.objects.bulk_create(offer_rows[first:first + BATCH])
            superseded = _supersede(version.policy_id, start, set(hit_ids.tolist()), screening)
            budget = Budget.objects.filter(policy_id=version.policy_id, year=start.year).first()
            eligible_amount = int(amounts[hit].sum())
            offer_amount = int(amounts[hit][keep].sum())
            per_policy.append({
                "policy": version.policy_id, "code": version.policy.code, "name": version.policy.name,
                "version": version.pk, "number": version.number, "eligible": len(hit),
                "eligible_amount": eligible_amount, "offers": len(offer_rows), "offer_amount": offer_amount,
                "excluded": int((~keep).sum()), "superseded": superseded,
                "budget": budget.total if budget else None, "available": budget.available if budget else None,
                "budget_share": round(eligible_amount * 100 / budget.total, 1) if budget and budget.total else None,
            })
            offers_made += len(offer_rows)
            total_amount += offer_amount
            eligible_total += len(hit)
        lap("offers")
        seconds["total"] = round(time.perf_counter() - began, 3)
        screening.versions = [version.pk for version in versions]
        screening.status = RunStatus.DONE
        screening.enterprises = snap.rows
        screening.eligible = eligible_total
        screening.offers = offers_made
        screening.total_amount = total_amount
        screening.sample_checked = checked
        screening.mismatches = 0
        screening.seconds = seconds["total"]
        screening.summary = {"policies": per_policy, "seconds": seconds, "snapshot": snap.seconds,
                             "differences": []}
        screening.save()
    return screening


def _supersede(policy_id: int, start: datetime.date, eligible_ids: set, screening) -> int:
    """Proposed offers of earlier runs for the period whose enterprise this run did not find eligible."""
    stale = [offer_id for offer_id, enterprise_id in Offer.objects.filter(
        policy_id=policy_id, period_start=start, status=OfferStatus.PROPOSED).exclude(run=screening).values_list(
        "id", "enterprise_id") if enterprise_id not in eligible_ids]
    for first in range(0, len(stale), BATCH):
        Offer.objects.filter(pk__in=stale[first:first + BATCH]).update(status=OfferStatus.SUPERSEDED)
    return len(stale)


def _fail(screening, versions, seconds, began, rows, error: str, differences: list, checked: int = 0):
    seconds["total"] = round(time.perf_counter() - began, 3)
    screening.versions = [version.pk for version in versions]
    screening.status = RunStatus.FAILED
    screening.enterprises = rows
    screening.sample_checked = checked
    screening.mismatches = len(differences)
    screening.seconds = seconds["total"]
    screening.summary = {"policies": [], "seconds": seconds, "error": error, "differences": differences[:50]}
    screening.save()
    return screening
