"""ARITHMETIC claims: a sum, difference, product or quotient written out with its result
("500+300=800万元", "1200万元减去200万元为1000万元", "450÷500=90%", "10×95%=9.5分").

Only an expression that states its own result is a claim (a bare "a-b" is a range: 1-6月,
2021-2025年). Figures of different money units are converted to 万元 when every figure has a unit;
a figure without a unit takes the unit written beside it; % is a hundredth in a product or quotient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.claims.base import MONEY_UNITS, NUM, Claim, Quantity, places_of

UNIT = r"万元|亿元|元|%|分|人次|[户个项家名人所条座场件套台辆处批村间种次株亩]"
TERM = rf"{NUM}\s*(?:{UNIT})?"
OP = r"\s*(?:[+×*÷/]|[-−–](?!\d*\s*(?:月|年|日|号)))\s*"
# "a+b=c": two or more terms joined by operators, then = and the result.
SYMBOLIC = re.compile(rf"(?<![\d.+×*÷/\-−–])(?P<expr>{TERM}(?:{OP}{TERM})+)\s*=\s*(?P<result>{TERM})(?![\d.])")
# "a万元减去b万元为c万元": one operator word, then the word that gives the result.
WORDS = {"加上": "+", "加": "+", "减去": "-", "扣除": "-", "扣减": "-", "减": "-", "乘以": "×", "除以": "÷"}
WORDED = re.compile(
    rf"(?<![\d.])(?P<a>{TERM})\s*(?P<op>加上|减去|扣除|扣减|乘以|除以|加|减(?![少免轻半]))\s*(?P<b>{TERM})\s*"
    rf"(?:后|之后)?(?:为|等于|得|剩余|结余|余|即)\s*(?P<result>{TERM})(?![\d.])"
)
PART = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>{UNIT})?")
OPERATOR = re.compile(r"[+×*÷/]|[-−–]")
CANON = {"*": "×", "/": "÷", "−": "-", "–": "-"}


def _figure(text: str, start: int, end: int) -> Quantity:
    m = PART.match(text, start, end)
    assert m is not None
    num, unit = m.group("num"), m.group("unit") or ""
    places = places_of(num)
    if unit in MONEY_UNITS:
        scale = MONEY_UNITS[unit]
        return Quantity(Decimal(num) * scale, unit, "money", m.start(), m.end(), places, scale)
    if unit == "%":
        return Quantity(Decimal(num), unit, "percent", m.start(), m.end(), places)
    # A whole bare number or count is exact; "分" and counts keep the figure as written.
    dimension = unit or "number"
    return Quantity(Decimal(num), unit, dimension, m.start(), m.end(), places)


def _terms(text: str, start: int, end: int) -> tuple[list[Quantity], list[str]] | None:
    figures: list[Quantity] = []
    ops: list[str] = []
    pos = start
    for m in PART.finditer(text, start, end):
        between = text[pos : m.start()].strip()
        if figures:
            op = OPERATOR.fullmatch(between)
            if op is None:
                return None
            ops.append(CANON.get(op.group(), op.group()))
        elif between:
            return None
        figures.append(_figure(text, m.start(), m.end()))
        pos = m.end()
    return (figures, ops) if len(figures) >= 2 and len(ops) == len(figures) - 1 else None


def arithmetic_claims(text: str) -> list[Claim]:
    """Each written-out calculation with the figures it is made of."""
    claims: list[Claim] = []
    for m in SYMBOLIC.finditer(text):
        read = _terms(text, m.start("expr"), m.end("expr"))
        if read is not None:
            claims.append(_claim(read[0], read[1], _figure(text, m.start("result"), m.end("result"))))
    for m in WORDED.finditer(text):
        figures = [_figure(text, m.start("a"), m.end("a")), _figure(text, m.start("b"), m.end("b"))]
        claims.append(_claim(figures, [WORDS[m.group("op")]], _figure(text, m.start("result"), m.end("result"))))
    return sorted(claims, key=lambda c: c.start)


def _claim(figures: list[Quantity], ops: list[str], result: Quantity) -> Claim:
    inputs = {f"x{i}": q for i, q in enumerate(figures)}
    return Claim("arithmetic", result, figures[0].start, result.end, inputs=inputs, name="".join(ops))



@dataclass(frozen=True, slots=True)
class Reckoning:
    """An ARITHMETIC claim worked out on the figures as written (whoever wrote the sum did it on them),
    and the result stated, in the same terms."""

    value: Decimal
    stated: Decimal
    step: Decimal  # one unit of the stated result's last written place

    def agrees(self) -> bool:
        """Rounded or cut off at the stated result's precision."""
        return abs(self.stated - self.value) < self.step


def reckon(claim: Claim) -> Reckoning | None:
    """The claim's expression evaluated (× ÷ before + −), or None where its units do not allow it
    (figures of different kinds added, mixed money units with a figure that has none, a zero divisor)."""
    assert isinstance(claim.stated, Quantity)
    figures, result, ops = list(claim.inputs.values()), claim.stated, list(claim.name)
    everything = [*figures, result]
    multiplies = any(op in "×÷" for op in ops)
    money_units = {q.unit for q in everything if q.dimension == "money"}
    if len(money_units) > 1 and any(not q.unit for q in everything):
        return None
    if not multiplies and len({q.dimension for q in everything if q.unit}) > 1:
        return None
    base = len(money_units) > 1  # convert to 万元; otherwise figures are taken as written

    def written(q: Quantity) -> Decimal:
        value = q.value if base else q.value / q.scale
        return value / 100 if multiplies and q.dimension == "percent" else value

    terms, signs = [written(figures[0])], [1]
    for op, q in zip(ops, figures[1:], strict=True):
        if op == "×":
            terms[-1] *= written(q)
        elif op == "÷":
            if written(q) == 0:
                return None
            terms[-1] /= written(q)
        else:
            terms.append(written(q))
            signs.append(1 if op == "+" else -1)
    value = sum((s * t for s, t in zip(signs, terms, strict=True)), Decimal(0))
    if multiplies and result.dimension == "percent":
        value *= 100
    stated = result.value if base else result.value / result.scale
    step = Decimal(1).scaleb(-result.places) * (result.scale if base else 1)
    return Reckoning(value, stated, step)
