"""The guidance fund's measures against its sub-funds: leverage, the reinvestment (返投) ratio, the caps on the
guidance fund's and all public money's shares, and which investments count as local. Pure: plain integers and
dates in and out, no Django (DOMAIN §5).

Money is in fen, shares and ratios in basis points (1 = 0.01%), leverage in hundredths of × (450 = 4.50×);
every division rounds half-up (core.rules.numbers). A fact may be MISSING, and a result computed from it is
MISSING too. Thresholds (caps, the required ratio) are data chosen by the caller for the fund's kind and date,
never constants here; they must be given as ints.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from core.rules.numbers import div_half_up, share_of
from core.rules.types import MISSING

GUIDANCE_SHARE = "guidance_share"
PUBLIC_SHARE = "public_share"


def _int(name: str, value) -> int:
    """``value`` when it is an int (not a bool, a float or a Decimal); TypeError otherwise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {value!r}")
    return value


def _fen(name: str, value) -> int:
    """An amount of money in fen: an int, not negative."""
    if _int(name, value) < 0:
        raise ValueError(f"{name} may not be negative: {value}")
    return value


def _date(name: str, value) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise TypeError(f"{name} must be a datetime.date, not {value!r}")
    return value


def leverage(sub_fund_size_fen, guidance_commitment_fen):
    """The sub-fund's size ÷ the guidance fund's commitment, in hundredths of × (450 = 4.50×), half-up.
    MISSING when the commitment is 0."""
    if sub_fund_size_fen is MISSING or guidance_commitment_fen is MISSING:
        return MISSING
    size = _fen("sub_fund_size_fen", sub_fund_size_fen)
    if _fen("guidance_commitment_fen", guidance_commitment_fen) == 0:
        return MISSING
    return div_half_up(size * 100, guidance_commitment_fen)


def reinvestment_ratio(local_investment_fen, guidance_commitment_fen):
    """The reinvestment (返投) ratio: local investments ÷ the guidance fund's commitment, in basis points
    (15000 = 1.5×), half-up. MISSING when the commitment is 0."""
    if local_investment_fen is MISSING or guidance_commitment_fen is MISSING:
        return MISSING
    _fen("local_investment_fen", local_investment_fen)
    _fen("guidance_commitment_fen", guidance_commitment_fen)
    return share_of(local_investment_fen, guidance_commitment_fen)


@dataclass(frozen=True)
class ShareBreach:
    """A share above its cap: ``code`` is "guidance_share" or "public_share"; ``share_bp`` the share rounded
    half-up for display (MISSING when the fund's size is 0); ``cap_bp`` the cap it exceeds."""

    code: str
    share_bp: object  # int, or MISSING
    cap_bp: int


def share_checks(*, fund_size_fen, guidance_fen, public_fen, guidance_cap_bp: int, public_cap_bp: int):
    """The sub-fund's share caps that are breached, as ``ShareBreach``es (an empty list when all hold):
    the guidance fund's commitment ≤ ``guidance_cap_bp`` of the fund's size (the cap of the fund's kind), and all
    public money, the guidance fund's plus ``public_fen`` (the other public money), ≤ ``public_cap_bp``.

    Exactly at a cap holds; one fen over breaches: the comparison is exact (cross-multiplied), never on the
    rounded share. MISSING when any amount is MISSING."""
    _int("guidance_cap_bp", guidance_cap_bp), _int("public_cap_bp", public_cap_bp)
    if MISSING in (fund_size_fen, guidance_fen, public_fen):
        return MISSING
    size = _fen("fund_size_fen", fund_size_fen)
    guidance = _fen("guidance_fen", guidance_fen)
    all_public = guidance + _fen("public_fen", public_fen)
    breaches = []
    for code, amount, cap_bp in ((GUIDANCE_SHARE, guidance, guidance_cap_bp),
                                 (PUBLIC_SHARE, all_public, public_cap_bp)):
        if amount * 10_000 > cap_bp * size:
            breaches.append(ShareBreach(code=code, share_bp=share_of(amount, size), cap_bp=cap_bp))
    return breaches


def counts_as_local(*, invested_on, registered_in_district_on, moved_out_on,
                    lease_periods: Iterable[tuple[datetime.date, datetime.date]]):
    """Whether an investment counts as local: on ``invested_on`` the investee is registered in the district
    (registered on or before that day, ``None`` = never; and not moved out on or before it, ``None`` = still
    there) and holds a lease there (a (start, end) period, both days inclusive, that contains the day).
    MISSING when any of the three dates is MISSING."""
    if MISSING in (invested_on, registered_in_district_on, moved_out_on):
        return MISSING
    day = _date("invested_on", invested_on)
    if registered_in_district_on is None or _date("registered_in_district_on", registered_in_district_on) > day:
        return False
    if moved_out_on is not None and _date("moved_out_on", moved_out_on) <= day:
        return False
    return any(_date("lease start", start) <= day <= _date("lease end", end) for start, end in lease_periods)


@dataclass(frozen=True)
class Investment:
    """One investment by a sub-fund: its amount in fen, its date, and whether it counts as local (MISSING when
    that is not known)."""

    amount_fen: object  # int, or MISSING
    invested_on: datetime.date
    local: object  # bool, or MISSING

    def __post_init__(self):
        if self.amount_fen is not MISSING:
            _fen("amount_fen", self.amount_fen)
        if self.local is not MISSING and not isinstance(self.local, bool):
            raise TypeError(f"local must be a bool, not {self.local!r}")


def verified_local_total(investments: Iterable[Investment]):
    """(all investments' total, the local ones' total), in fen. A MISSING amount makes the totals it belongs to
    MISSING; an investment whose locality is MISSING makes the local total MISSING."""
    total, local = 0, 0
    for investment in investments:
        amount = investment.amount_fen
        total = MISSING if MISSING in (total, amount) else total + amount
        if investment.local is MISSING:
            local = MISSING
        elif investment.local:
            local = MISSING if MISSING in (local, amount) else local + amount
    return total, local


def required_ratio_met(ratio_bp, required_bp: int) -> bool:
    """Whether a reinvestment ratio reaches the required one (both basis points; equal meets it). A MISSING
    ratio does not."""
    _int("required_bp", required_bp)
    if ratio_bp is MISSING:
        return False
    return _int("ratio_bp", ratio_bp) >= required_bp
