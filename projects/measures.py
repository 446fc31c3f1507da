"""A project's measures: the relocation (搬迁交房) rate, PPP fiscal affordability year by year, and value for
money against the public sector comparator. Pure: plain integers in and out, no Django (DOMAIN §6).

Money is in fen, shares in basis points (1 = 0.01%); every division rounds half-up (core.rules.numbers). A fact
may be MISSING, and a result computed from it is MISSING too. The caps (10% and 5% of the budget) are data
chosen by the caller, never constants here; they, and the discount rate, must be given as ints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.rules.numbers import div_half_up, share_of
from core.rules.types import MISSING

OVER_CAP = "over_cap"
NO_NEW_GOVERNMENT_PAY = "no_new_government_pay"


def _int(name: str, value) -> int:
    """``value`` when it is an int (not a bool, a float or a Decimal); TypeError otherwise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {value!r}")
    return value


def _not_negative(name: str, value) -> int:
    if _int(name, value) < 0:
        raise ValueError(f"{name} may not be negative: {value}")
    return value


def relocation_rate(relocated, to_relocate):
    """The relocation (搬迁交房) rate: ``relocated`` of ``to_relocate`` (households, or areas in one unit) in
    basis points, half-up (96% = 9600). MISSING when nothing is to relocate; ValueError when ``relocated`` is
    negative or exceeds ``to_relocate``."""
    if relocated is MISSING or to_relocate is MISSING:
        return MISSING
    _not_negative("relocated", relocated), _not_negative("to_relocate", to_relocate)
    if relocated > to_relocate:
        raise ValueError(f"relocated ({relocated}) may not exceed to_relocate ({to_relocate})")
    return share_of(relocated, to_relocate)


@dataclass(frozen=True)
class AffordabilityYear:
    """One year's PPP spending from the general public budget against that level's budget expenditure (fen):
    its share in basis points (MISSING when the budget is 0), whether it is within the cap, and whether a new
    government-pay project is still allowed. The last three are MISSING when a figure is."""

    year: int
    spending_fen: object  # int, or MISSING
    budget_fen: object  # int, or MISSING
    share_bp: object  # int, or MISSING
    within_cap: object  # bool, or MISSING
    new_government_pay_allowed: object  # bool, or MISSING


def affordability(years: Mapping[int, tuple[int, int]], *, cap_bp: int, new_government_pay_cap_bp: int):
    """Fiscal affordability year by year, ``years`` being {year: (PPP spending, budget expenditure)} in fen:
    a list of ``AffordabilityYear`` sorted by year. Within the cap: spending ≤ ``cap_bp`` of the budget; a new
    government-pay project allowed: spending ≤ ``new_government_pay_cap_bp`` of it. Both compare exactly
    (cross-multiplied), so equal holds and one fen over does not; with a budget of 0, only no spending holds."""
    _int("cap_bp", cap_bp), _int("new_government_pay_cap_bp", new_government_pay_cap_bp)
    result = []
    for year in sorted(years):
        spending, budget = years[year]
        if spending is MISSING or budget is MISSING:
            result.append(AffordabilityYear(year, spending, budget, MISSING, MISSING, MISSING))
            continue
        _not_negative("spending_fen", spending), _not_negative("budget_fen", budget)
        result.append(AffordabilityYear(
            year=year, spending_fen=spending, budget_fen=budget, share_bp=share_of(spending, budget),
            within_cap=spending * 10_000 <= cap_bp * budget,
            new_government_pay_allowed=spending * 10_000 <= new_government_pay_cap_bp * budget,
        ))
    return result


def add_project_spending(existing: Mapping[int, int], project: Mapping[int, int]) -> dict:
    """The level's PPP spending with a project's added: {year: fen}, every year of either, sorted by year. A
    MISSING amount makes its year's sum MISSING."""
    total = {}
    for year in sorted(set(existing) | set(project)):
        amounts = [spending[year] for spending in (existing, project) if year in spending]
        if MISSING in amounts:
            total[year] = MISSING
        else:
            total[year] = sum(_not_negative(f"spending in {year}", amount) for amount in amounts)
    return total


def affordability_refusals(years_after: Mapping[int, tuple[int, int]], *, government_pay: bool, cap_bp: int,
                           new_government_pay_cap_bp: int):
    """Why a project cannot go ahead, as (year, code) pairs sorted by year, from ``years_after`` ({year: (PPP
    spending with the project, budget expenditure)}, fen): "over_cap" in a year above ``cap_bp``, and for a
    government-pay project also "no_new_government_pay" in a year above ``new_government_pay_cap_bp`` (a year
    above both gets both). An empty list: no refusal. MISSING when any year's figure is MISSING."""
    if not isinstance(government_pay, bool):
        raise TypeError(f"government_pay must be a bool, not {government_pay!r}")
    refusals = []
    for year in affordability(years_after, cap_bp=cap_bp, new_government_pay_cap_bp=new_government_pay_cap_bp):
        if year.within_cap is MISSING:
            return MISSING
        if not year.within_cap:
            refusals.append((year.year, OVER_CAP))
        if government_pay and not year.new_government_pay_allowed:
            refusals.append((year.year, NO_NEW_GOVERNMENT_PAY))
    return refusals


@dataclass(frozen=True)
class VfmResult:
    """Value for money: whether it passes, the saving in fen (PSC − PPP, negative when PPP costs more) and the
    saving in basis points of the PSC (MISSING when the PSC is 0)."""

    passes: bool
    saving_fen: int
    saving_bp: object  # int, or MISSING


def value_for_money(ppp_present_cost_fen, psc_fen):
    """Value for money: passes when the PPP's present cost ≤ the public sector comparator (equal passes). MISSING
    when either is MISSING."""
    if ppp_present_cost_fen is MISSING or psc_fen is MISSING:
        return MISSING
    _not_negative("ppp_present_cost_fen", ppp_present_cost_fen), _not_negative("psc_fen", psc_fen)
    saving = psc_fen - ppp_present_cost_fen
    return VfmResult(passes=saving >= 0, saving_fen=saving, saving_bp=share_of(saving, psc_fen))


def present_value(flows: Mapping[int, int], rate_bp: int):
    """The present value in fen of yearly flows {t: fen} (t = 0, 1, 2, …) discounted at ``rate_bp`` a year:
    the sum of flow ÷ (1 + rate)^t, each term rounded half-up to a fen. MISSING when a flow is MISSING."""
    _int("rate_bp", rate_bp)
    if rate_bp <= -10_000:
        raise ValueError(f"rate_bp must be above -10000: {rate_bp}")
    if MISSING in flows.values():
        return MISSING
    total = 0
    for t, flow in flows.items():
        _not_negative("year t", t)
        total += div_half_up(_int(f"flow in year {t}", flow) * 10_000**t, (10_000 + rate_bp) ** t)
    return total
