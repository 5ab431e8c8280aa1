"""What every claim reader shares: quantities with their units and precision, and the claim record.

A quantity is a figure with the unit it was written in, converted to its dimension's base unit
(万元 for money; the count itself, "万" inside the number applied, for a count), with the span
it was read from and the precision it was written at. A figure without a unit is never read as a
quantity: no unit is ever assumed. Two quantities are compared only within one dimension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

NUM = r"\d+(?:\.\d+)?"
MONEY_UNITS = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000), "万": Decimal(1), "亿": Decimal(10000)}
COUNT_UNITS = "户个项家名人所条座场件套台辆处批村间类种位期次株亩"
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
# Measure words that count the same things: a 名 and a 人 are both people, a 户 is not.
SAME_COUNT = {"名": "人", "位": "人", "人": "人"}
QUANTITY = re.compile(
    rf"(?P<num>{NUM})\s*(?:(?P<unit>万元|亿元|元(?![/\d]))|(?P<mult>万|亿)?(?P<cunit>人次|个(?!月|百分点|工作日)|[{COUNT_UNITS}](?!/)))"
)
PERCENT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>%|‰)")
SENTENCE_END = re.compile(r"[。;\n]|\.(?!\d)")


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal  # in the dimension's base unit: 万元 for money, the count itself otherwise
    unit: str  # as written, multiplier included ("万元", "万人次", "户")
    dimension: str  # "money", "percent", "permille" or the count word (人 for 名/位)
    start: int
    end: int
    places: int  # decimals as written
    scale: Decimal = Decimal(1)  # base units per written unit (0.0001 for 元, 10000 for 万人)

    @property
    def half_place(self) -> Decimal:
        return Decimal(5).scaleb(-self.places - 1)

    @property
    def spread(self) -> Decimal:
        """How far the true figure may lie from the written one (a whole count is exact)."""
        if self.dimension not in ("money", "percent", "permille") and self.places == 0 and self.scale == 1:
            return Decimal(0)
        return self.half_place * self.scale

    @property
    def low(self) -> Decimal:
        return self.value - self.spread

    @property
    def high(self) -> Decimal:
        return self.value + self.spread

    def base_unit(self) -> str:
        return "万元" if self.dimension == "money" else ("%" if self.dimension == "percent" else self.dimension)


@dataclass(frozen=True, slots=True)
class Claim:
    kind: str  # "sum", "over_task", "count", "rate", "share", "delta", "unit_cost", "name"
    stated: Quantity | Decimal
    start: int
    end: int
    parts: tuple[Quantity, ...] = ()
    n_items: int | None = None
    counted: bool = False  # a SUM's n_items is written in words ("用于6类专项"), not only counted from its parts
    inputs: dict[str, Quantity] = field(default_factory=dict)
    # Other readings of the same sentence (another denominator, another pairing): a claim is
    # wrong only when no reading reproduces it.
    options: tuple[dict[str, Quantity], ...] = ()
    items: tuple[str, ...] = ()  # a COUNT's listed items
    closed: bool = True  # a COUNT's list is complete (no 等, 包括但不限于)
    listed: tuple[int, int] = (0, 0)  # a COUNT's fewest and most items, as the list can be split
    direction: int = 0  # a DELTA's sign: +1 增长, −1 下降
    name: str = ""  # what a NAME claim names

    def describe(self) -> dict[str, object]:
        stated = self.stated.value if isinstance(self.stated, Quantity) else self.stated
        out: dict[str, object] = {
            "kind": self.kind, "stated": _plain(stated), "parts": [_plain(p.value) for p in self.parts],
            "n_items": self.n_items, "inputs": {k: _plain(v.value) for k, v in self.inputs.items()},
            "start": self.start, "end": self.end,
        }
        if isinstance(self.stated, Quantity):
            out["unit"] = self.stated.base_unit()
        if self.options:
            out["options"] = len(self.options)
        if self.kind == "count":
            out.update(items=list(self.items), closed=self.closed, listed=list(self.listed))
        if self.direction:
            out["direction"] = self.direction
        if self.name:
            out["name"] = self.name
        if self.kind == "arithmetic" and isinstance(self.stated, Quantity):
            figures = iter(self.inputs.values())
            shown = "".join(written_form(next(figures)) if ch == "#" else ch for ch in expression_shape(self.name))
            out["expression"] = f"{shown}={written_form(self.stated)}"
        return out


def expression_shape(ops: str) -> str:
    """An ARITHMETIC claim's expression with "#" for each figure, from its operators and brackets in order
    ("(-)÷" → "(#-#)÷#"): a figure stands before each operator and after the last."""
    out: list[str] = []
    expect_figure = True
    for token in ops:
        if expect_figure and token != "(":
            out.append("#")
            expect_figure = False
        out.append(token)
        if token in "+-×÷":
            expect_figure = True
    if expect_figure:
        out.append("#")
    return "".join(out)


def written_form(q: Quantity) -> str:
    """A figure as the document wrote it: in its own unit, at its own places."""
    return f"{format(q.value / q.scale, f'.{q.places}f')}{q.unit}"


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def blank_brackets(text: str, openers: str = "(（", closers: str = ")）") -> str:
    """text with what stands inside brackets blanked (same length, so offsets hold)."""
    out, depth = [], 0
    for ch in text:
        if ch in openers:
            depth += 1
        out.append(" " if depth else ch)
        if ch in closers:
            depth = max(0, depth - 1)
    return "".join(out)


def places_of(num: str) -> int:
    return len(num.split(".")[1]) if "." in num else 0


def quantity(m: re.Match[str], offset: int = 0) -> Quantity:
    """A match of QUANTITY (groups num, unit | mult + cunit) as a Quantity; offsets shifted by `offset`."""
    num = m.group("num")
    places = places_of(num)
    start, end = m.start() + offset, m.end() + offset
    unit = m.group("unit")
    if unit in MONEY_UNITS:
        scale = MONEY_UNITS[unit]
        return Quantity(Decimal(num) * scale, unit, "money", start, end, places, scale)
    mult = m.group("mult") if "mult" in m.re.groupindex else None
    cunit = m.group("cunit") if "cunit" in m.re.groupindex else m.group("unit")
    scale = MULTIPLIERS[mult] if mult else Decimal(1)
    return Quantity(Decimal(num) * scale, (mult or "") + cunit, SAME_COUNT.get(cunit, cunit), start, end, places, scale)


def money(num: str, unit: str, start: int, end: int) -> Quantity:
    """An amount written as num + 元/万元/亿元 at [start, end)."""
    scale = MONEY_UNITS[unit]
    return Quantity(Decimal(num) * scale, unit, "money", start, end, places_of(num), scale)


def percent_quantity(m: re.Match[str], offset: int = 0) -> Quantity:
    num, unit = m.group("num"), m.group("unit")
    return Quantity(Decimal(num), unit, "percent" if unit == "%" else "permille",
                    m.start() + offset, m.end() + offset, places_of(num))


def quantities(text: str, start: int, end: int, inherit: bool = False) -> list[Quantity]:
    """Every quantity with a unit in text[start:end], in order (percentages excluded); with `inherit`, also
    the bare amounts that take their unit from a "单位：元" / "(万元)" line before them (`inherited`)."""
    found = [quantity(m) for m in QUANTITY.finditer(text, start, end) if not _inside_number(text, m.start())]
    if inherit:
        more = inherited(text, start, end)
        if more:
            found = sorted(found + more, key=lambda q: q.start)
    return found


# A unit stated for what follows: "单位：万元", "金额单位:元", "(万元)", "（单位：亿元）" — in a heading, a
# caption or a line of its own. It holds until the next such statement or the next numbered heading.
UNIT_LINE = re.compile(r"单位 *: *(?P<u>万元|亿元|元)(?!/)|\( *(?:单位 *: *)?(?P<p>万元|亿元|元) *\)")
SCOPE_END = re.compile(r"\n *(?:第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\))")
# Only a figure right after a word that names an amount takes the unit ("编制数143", a score, a year do not);
# and only one that nothing else follows (no measure word, %, or word glued to it).
MONEY_LABEL = re.compile(
    r"(?:预算|决算|执行|支出|收入|资金|经费|金额|拨款|合计|总计|小计|总额|结余|结转|支付|到位|安排|下达|投入)"
    r"(?:数|额)?(?:为|是|共|达|共计)? *:? *$"
)
BARE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?+(?! *[\d.%‰/\u4e00-\u9fffA-Za-z])")


@lru_cache(maxsize=4)
def unit_scopes(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, unit) of each stretch of text whose bare amounts are in a stated unit."""
    found = list(UNIT_LINE.finditer(text))
    scopes = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        heading = SCOPE_END.search(text, m.end(), end)
        scopes.append((m.end(), heading.start() if heading else end, m.group("u") or m.group("p")))
    return tuple(scopes)


def inherited(text: str, start: int, end: int) -> list[Quantity]:
    """The bare amounts in text[start:end] that a stated unit covers, each after a word naming an amount."""
    out = []
    for lo, hi, unit in unit_scopes(text):
        if hi <= start or lo >= end:
            continue
        for m in BARE.finditer(text, max(lo, start), min(hi, end)):
            if MONEY_LABEL.search(text, max(0, m.start() - 12), m.start()):
                out.append(money(m.group(), unit, m.start(), m.end()))
    return out


def _inside_number(text: str, pos: int) -> bool:
    """A match starting in the middle of a longer figure ("2023年" read as "023"), or a date's day."""
    return pos > 0 and (text[pos - 1].isdigit() or text[pos - 1] == ".")


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """The sentence around pos: from after the previous 。/;/newline to before the next."""
    left = 0
    for m in SENTENCE_END.finditer(text, max(0, pos - 400), pos):
        left = m.end()
    right_m = SENTENCE_END.search(text, pos)
    return left, right_m.start() if right_m else len(text)


def ratio_range(num: Quantity, den: Quantity, scale: Decimal = Decimal(100)) -> tuple[Decimal, Decimal] | None:
    """The range num ÷ den × scale can take, each figure anywhere within its written precision."""
    if den.low <= 0:
        return None
    return max(num.low, Decimal(0)) / den.high * scale, num.high / den.low * scale


def stated_agrees(stated: Decimal, places: int, low: Decimal, high: Decimal) -> bool:
    """A stated figure agrees with a computed range if it is within one unit of its last written place
    (rounded or cut off, as reports do)."""
    unit = Decimal(1).scaleb(-places)
    return low - unit < stated < high + unit


def within(stated: Decimal, computed: Decimal, tolerance: Decimal) -> bool:
    return abs(stated - computed) <= tolerance
