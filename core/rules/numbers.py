"""Integer arithmetic for facts, with its rounding said out loud.

Every division rounds half away from zero: 2.5 → 3, -2.5 → -3, 2.4999 → 2 (``div_half_up``). Python's
``round`` and numpy's round half to even (2.5 → 2), and floats lose digits, so neither is used for a result.
A rate whose denominator is 0 is MISSING (no incubatees: their share of anything is unknown, not 0%), and so is
any result computed from a MISSING input.
"""

from .types import MISSING


def _int(name: str, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {value!r}")
    return value


def div_half_up(a: int, b: int) -> int:
    """a ÷ b rounded to the nearest integer, a half rounded away from zero: 5 ÷ 2 = 3, -5 ÷ 2 = -3, 7 ÷ 3 = 2."""
    _int("a", a), _int("b", b)
    if b == 0:
        raise ZeroDivisionError("div_half_up by zero")
    quotient, remainder = divmod(abs(a), abs(b))
    if 2 * remainder >= abs(b):
        quotient += 1
    return -quotient if (a < 0) != (b < 0) else quotient


def share_of(part, whole):
    """``part`` as basis points of ``whole``: 3 of 8 → 3750; 1 of 3 → 3333; 2 of 3 → 6667. Whole 0 → MISSING."""
    if part is MISSING or whole is MISSING:
        return MISSING
    if _int("whole", whole) == 0:
        return MISSING
    return div_half_up(_int("part", part) * 10_000, whole)


def per_thousand_m2(count, area_hundredths):
    """``count`` per 1,000 m² in hundredths: 50 on 10,000.00 m² (1000000) → 500 (5.00). Area 0 → MISSING."""
    if count is MISSING or area_hundredths is MISSING:
        return MISSING
    if _int("area_hundredths", area_hundredths) == 0:
        return MISSING
    # count / (area_hundredths / 100 / 1000) × 100
    return div_half_up(_int("count", count) * 10_000_000, area_hundredths)


def per_n(count, n_items, n: int):
    """``count`` per ``n`` items in hundredths: 6 mentors for 50 incubatees, per 10 → 120 (1.20). No items →
    MISSING."""
    if count is MISSING or n_items is MISSING:
        return MISSING
    if _int("n_items", n_items) == 0:
        return MISSING
    return div_half_up(_int("count", count) * _int("n", n) * 100, n_items)
