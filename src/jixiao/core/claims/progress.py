"""TIME PROGRESS claims of a monitoring report: the share of the year a date stands for (时间进度, 序时进度),
and an execution rate's distance from it ("支出进度56.47%，低于序时进度1.53个百分点").

A date in the sentence ("截至6月30日", "截至7月底", "1-6月") fixes the time progress; the report may
state it ("时间进度50%") or only the gap between the rate and it. Offices reckon it by months (7 ÷ 12)
or by days (181 ÷ 365) and round it, often to a whole percent: every such reading is an option, and a
claim is wrong only when the stated figure lies outside what they allow.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from decimal import Decimal

from jixiao.core.claims.base import NUM, PERCENT, Claim, Quantity, percent_quantity, places_of, sentence_span

DATE = re.compile(
    r"(?:截至|截止|截止到|截至到|至)\s*(?:(?P<year>20\d\d)年)?(?P<month>1[0-2]|[1-9])月(?:(?P<day>[1-3]?\d)日|(?P<end>底|末))?"
    r"|(?:(?P<year2>20\d\d)年)?1\s*[-—~至]\s*(?P<month2>1[0-2]|[2-9])月"
)
TIME = r"(?:时间|序时)进度"
STATED = re.compile(rf"{TIME}(?:为|是|达|约)?\s*(?P<num>{NUM})\s*%")
GAP = re.compile(
    rf"(?P<dir>低于|慢于|落后于?|滞后于?|高于|快于|超过|超出|超|领先于?){TIME}(?:约)?\s*(?P<num>{NUM})\s*个?百分点"
)
BEHIND = ("低于", "慢于", "落后", "落后于", "滞后", "滞后于")


def time_progress_options(month: int, day: int | None, year: int | None) -> tuple[Decimal, ...]:
    """The time progress at a date, as offices reckon it: months ÷ 12 (the month's share for a day inside
    it), then days ÷ days in the year. The month reckoning comes first: it is the one most reports use."""
    y = year or 2023
    last = monthrange(y, month)[1]
    d = last if day is None else min(day, last)
    by_month = (Decimal(month - 1) + Decimal(d) / last) / 12 * 100
    length = 366 if monthrange(y, 2)[1] == 29 else 365
    by_day = Decimal(date(y, month, d).timetuple().tm_yday) / length * 100
    options = [by_month] + ([by_day] if by_day != by_month else [])
    if d < last:  # inside a month an office may count the month as begun or as done
        options += [Decimal(month - 1) / 12 * 100, Decimal(month) / 12 * 100]
    return tuple(options)


def progress_claims(text: str) -> list[Claim]:
    """A stated time progress, or a rate's gap to it, in a sentence that names its date."""
    claims: list[Claim] = []
    for m in DATE.finditer(text):
        month = int(m.group("month") or m.group("month2"))
        day = int(m.group("day")) if m.group("day") else None
        year_text = m.group("year") or m.group("year2")
        options = time_progress_options(month, day, int(year_text) if year_text else None)
        _, right = sentence_span(text, m.end())
        end = min(right, m.end() + 120)
        for stated in STATED.finditer(text, m.end(), end):
            claims.append(_claim(stated, options, month, day, None))
        for gap in GAP.finditer(text, m.end(), end):
            told = [(s.start("num"), s.end()) for s in STATED.finditer(text, m.end(), gap.start())]
            rates = [p for p in PERCENT.finditer(text, m.end(), gap.start()) if p.group("unit") == "%"
                     and not any(a <= p.start() < b for a, b in told)]
            if not rates:
                continue
            rate = percent_quantity(rates[-1])
            time = next((Decimal(s.group("num")) for s in STATED.finditer(text, m.end(), gap.start())), None)
            sign = -1 if gap.group("dir") in BEHIND else 1
            claims.append(_claim(gap, (time,) if time is not None else options, month, day, rate, sign))
    return claims


def _claim(m: re.Match[str], options: tuple[Decimal, ...], month: int, day: int | None,
           rate: Quantity | None, sign: int = 0) -> Claim:
    stated = Decimal(m.group("num"))
    when = f"{month}月{day}日" if day is not None else f"{month}月底"
    inputs = {"rate": rate} if rate is not None else {}
    readings = tuple({"time": Quantity(o, "%", "percent", m.start(), m.end(), places_of(m.group("num")))} for o in options)
    return Claim("progress", stated, m.start("num") if rate is None else rate.start, m.end(), inputs=inputs,
                 options=readings, direction=sign, name=when)
