"""How figures are written in a report: money in 万元 with 2 decimals, rates and scores trimmed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jixiao.core.labels import COMPARATOR_SYMBOLS as COMPARATOR_SYMBOLS
from jixiao.core.money import fmt, quantize

_DIGITS = "零一二三四五六七八九"


def money(value: Decimal | None) -> str:
    """万元 amounts always carry two decimals, as on the official forms ("3142.55", "0.00")."""
    if value is None:
        return "—"
    return f"{quantize(value, 2):f}"


def rate(value: Decimal | None) -> str:
    """A percentage without its % sign, trailing zeros trimmed ("100", "102.86")."""
    return fmt(value)


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt(value)}%"


def points(value: Decimal | None) -> str:
    return fmt(value)


def number(value: Decimal | None) -> str:
    """An indicator value as written ("4", "244.62", "1.5")."""
    return fmt(value, 4)


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section and indicator numbering up to 99)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def chinese_date(value: dt.date | None) -> str:
    """The cover's 填报时间 as in the seed ("2025年02月19日"); blanks to fill by hand when unknown."""
    if value is None:
        return "    年  月  日"
    return f"{value.year}年{value.month:02d}月{value.day:02d}日"
