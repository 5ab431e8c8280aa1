"""Bounded numbers: the one parser for the numbers people type (forms, URLs, files) and the one bound
every number of the model keeps.

Python reads `²` and `٣` as digits (`str.isdigit`, `int()`), builds `Decimal("1e999999999")` in a
moment and then overflows on the first multiplication, and refuses to print an integer of more than
4,300 digits. So numbers are read here from ASCII digits only, within a length, and every Decimal or
integer of the model is kept within `MAX_WHOLE_DIGITS` whole digits and `MAX_PLACES` decimals —
far beyond any budget (10¹⁵ 万元), small enough that the engine's arithmetic (rates, ratios, scores
to 28 significant digits) never overflows or loses its decimals. Out of bounds is a NumberError in
Chinese (a ValueError, so pydantic reports it at its field).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_WHOLE_DIGITS = 15
MAX_PLACES = 10
MAX_TEXT = 64  # characters of a typed number, signs and separators included
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?)([0-9]+))?")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class NumberError(ValueError):
    """A number that cannot be read or is out of bounds; the message is Chinese."""


def check_decimal(value: Decimal) -> Decimal:
    """`value` when finite and within the bounds, else NumberError."""
    if not value.is_finite():
        raise NumberError("应为有限的数字")
    if value and value.adjusted() >= MAX_WHOLE_DIGITS:
        raise NumberError(f"数字过大（整数部分最多 {MAX_WHOLE_DIGITS} 位）")
    exponent = value.as_tuple().exponent
    if value and isinstance(exponent, int) and exponent < -MAX_PLACES:
        # A float's noise (0.30000000000000004) or a typed 1e-30: keep MAX_PLACES decimals of it.
        if value.adjusted() < -MAX_PLACES:
            raise NumberError(f"数字过小（小数最多 {MAX_PLACES} 位）")
        return value.quantize(Decimal(1).scaleb(-MAX_PLACES)).normalize()
    return value


def check_int(value: int) -> int:
    if abs(value) >= 10**MAX_WHOLE_DIGITS:  # compared, never printed: no 4,300-digit limit is hit
        raise NumberError(f"数字过大（最多 {MAX_WHOLE_DIGITS} 位）")
    return value


def parse_decimal(text: str) -> Decimal:
    """A Decimal from what someone typed: ASCII digits, one point, an optional exponent; bounded."""
    stripped = text.strip()
    if len(stripped) > MAX_TEXT:
        raise NumberError(f"数字过长（最多 {MAX_TEXT} 个字符）")
    match = _NUMBER.fullmatch(stripped)
    if not match:
        raise NumberError(f"应为数字（填写的是“{stripped[:20]}”）")
    if match.group(2) and len(match.group(2).lstrip("0")) > 4:  # 1e999999999: never built, said at once
        raise NumberError(f"数字过小（小数最多 {MAX_PLACES} 位）" if match.group(1) == "-"
                          else f"数字过大（整数部分最多 {MAX_WHOLE_DIGITS} 位）")
    try:
        return check_decimal(Decimal(stripped))
    except InvalidOperation:
        raise NumberError(f"应为数字（填写的是“{stripped[:20]}”）") from None


def parse_int(text: str | None, low: int | None = None, high: int | None = None) -> int:
    """An integer from ASCII digits only (never `²`), within [low, high] when given."""
    stripped = (text or "").strip()
    if not stripped or len(stripped) > MAX_WHOLE_DIGITS + 1 or not _INTEGER.fullmatch(stripped):
        raise NumberError(f"应为整数（填写的是“{stripped[:20]}”）")
    value = int(stripped)
    if (low is not None and value < low) or (high is not None and value > high):
        raise NumberError(f"应为 {low}—{high} 之间的整数（填写的是 {value}）")
    return value


def int_or_none(text: str | None, low: int = 0, high: int = 10**MAX_WHOLE_DIGITS - 1) -> int | None:
    """The integer in `text` (a URL or form parameter), None when it is absent, not one, or out of range."""
    try:
        return parse_int(text, low, high)
    except NumberError:
        return None


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(text: str) -> int | None:
    """二十三 → 23, 一百零五 → 105, 十 → 10; None if not a plain Chinese number."""
    total, digit = 0, -1
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (digit if digit >= 0 else 1) * CN_UNITS[ch]
            digit = -1
        else:
            return None
    return total + max(digit, 0)
