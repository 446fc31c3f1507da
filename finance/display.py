"""How the funds' figures read: money in 元, 万元 or 亿元 as officers write them, shares and ratios in per cent,
leverage in 倍. Plain functions (the template filters of ``finance`` call them; exports use them too)."""

from decimal import ROUND_HALF_UP, Decimal

from core.rules import percent_text
from core.rules.types import MISSING

YI = Decimal(100_000_000)
WAN = Decimal(10_000)


def to_fen(yuan) -> int:
    """An amount in yuan (a Decimal of two places at most) in fen, exactly; MISSING for None."""
    if yuan is None or yuan is MISSING:
        return MISSING
    fen = Decimal(yuan) * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{yuan} has more than two decimal places")
    return int(fen)


def from_fen(fen) -> Decimal | None:
    if fen is None or fen is MISSING:
        return None
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _two(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def yuan_large(yuan) -> str:
    """1,234.56 亿元 from a hundred million up, 1,234.56 万元 from ten thousand up, else 元; "—" when unknown."""
    if yuan is None or yuan is MISSING:
        return "—"
    value = Decimal(yuan)
    if abs(value) >= YI:
        return f"{_two(value / YI)} 亿元"
    if abs(value) >= WAN:
        return f"{_two(value / WAN)} 万元"
    return f"{_two(value)} 元"


def fen_large(fen) -> str:
    return yuan_large(from_fen(fen))


def bp_percent(bp) -> str:
    """Basis points as a per cent with two decimals: 3200 → 32.00% (core.rules.percent_text)."""
    return percent_text(bp)


def times(hundredths) -> str:
    """Leverage in hundredths of ×: 450 → 4.50 倍."""
    if hundredths is None or hundredths is MISSING:
        return "—"
    return f"{Decimal(hundredths) / 100:,.2f} 倍"
