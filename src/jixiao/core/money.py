"""Exact arithmetic for amounts (万元), rates (percent) and scores (points).

Every figure jixiao computes goes through these helpers so that one rounding
policy applies everywhere: Decimal, half-up, at a fixed number of places.
Floats are refused: a float has already lost the cents.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, getcontext, localcontext

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "truncate": ROUND_DOWN}


def to_decimal(value: object) -> Decimal:
    """Convert an int, str or Decimal to Decimal; refuse floats and bools."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise TypeError(f"refusing {type(value).__name__} {value!r}: use Decimal or str")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    raise TypeError(f"cannot convert {type(value).__name__} to Decimal")


_EXPONENTS: dict[int, Decimal] = {}


def quantize(value: Decimal, places: int = 2, mode: str = "half_up") -> Decimal:
    """Round to `places` decimals with the named rounding mode."""
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = _EXPONENTS[places] = Decimal(1).scaleb(-places)
    # The default context holds 28 digits; a huge figure (1e30 万元, or a ratio over a tiny
    # denominator) needs more to keep `places` decimals, else quantize raises InvalidOperation.
    # Only then is a wider context made (making one for every figure was a tenth of the checks' time).
    if value.is_finite() and value.adjusted() + places + 2 > getcontext().prec:
        with localcontext() as ctx:
            ctx.prec = value.adjusted() + places + 2
            return value.quantize(exponent, rounding=ROUNDING_MODES[mode])
    return value.quantize(exponent, rounding=ROUNDING_MODES[mode])


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator, or None when the denominator is zero."""
    if denominator == 0:
        return None
    return numerator / denominator


def percent(numerator: Decimal, denominator: Decimal, places: int = 2) -> Decimal | None:
    """numerator / denominator in percent, rounded; None when undefined."""
    value = ratio(numerator, denominator)
    if value is None:
        return None
    return quantize(value * HUNDRED, places)


def decimals_of(value: Decimal) -> int:
    """How many decimals a stated figure was written with ("101.5" → 1)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agrees(stated: Decimal, computed: Decimal, max_places: int = 2) -> bool:
    """Whether a stated figure is the computed one written at the stated precision.

    Reports round freely ("101.5%" for 101.50, "85分" for 85.00), so the computed
    value is rounded to as many decimals as the statement shows before comparing.
    """
    places = min(decimals_of(stated), max_places)
    return quantize(computed, places) == quantize(stated, places)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Human text for a figure, without trailing zeros beyond what matters."""
    if value is None:
        return "—"
    text = f"{quantize(value, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
