"""ARITHMETIC claims: a sum, difference, product or quotient written out with its result
("500+300=800万元", "1200万元减去200万元为1000万元", "450÷500=90%", "10×95%=9.5分",
"(63.46-32)÷32=98.31%", "1894=187+1707", "4000元/人×3000人=1200万元").

Only an expression that states its own result is a claim (a bare "a-b" is a range: 1-6月,
2021-2025年). The result is the side of the "=" that is one figure: the last one ("a+b=c"), else the
first ("T=a+b"); a chain ("(a-b)÷b=0.9831=98.31%") checks each expression against it. Brackets group
as written; × ÷ bind before + −. Figures of different money units are converted to 万元 when every
figure has a unit; a figure without a unit takes the unit written beside it; % is a hundredth in a
product or quotient; a per-unit amount ("4000元/人") is money in a product.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from operator import add, mul, sub, truediv

from jixiao.core.claims.base import MONEY_UNITS, NUM, Claim, Quantity, expression_shape, places_of

UNIT = r"(?:万元|亿元|元)(?:/[\u4e00-\u9fff](?![\u4e00-\u9fff]))?|%|分|人次|[户个项家名人所条座场件套台辆处批村间种次株亩]"
# Spaces, never line breaks: a figure on the next line is another cell or sentence.
TERM = rf"{NUM} *(?:{UNIT})?+"  # possessive: "90%5" is 90% before another figure, never a bare 90
OP = r" *(?:[+×*÷/]|[-−–](?!\d* *(?:月|年|日|号))) *"
# One side of an "=": figures joined by operators, with brackets around any of them.
SIDE = rf"\(* *[-−–]? *{TERM} *\)*(?:{OP}\(* *{TERM} *\)*)*"
EQUATION = re.compile(rf"(?<![\d.+×*÷/\-−–])(?P<eq>{SIDE}(?: *= *{SIDE})+)(?!(?<=\d)[\d.])")
# "a万元减去b万元为c万元": one operator word, then the word that gives the result.
WORDS = {"加上": "+", "加": "+", "减去": "-", "扣除": "-", "扣减": "-", "减": "-", "乘以": "×", "除以": "÷"}
WORDED = re.compile(
    rf"(?<![\d.])(?P<a>{TERM})\s*(?P<op>加上|减去|扣除|扣减|乘以|除以|加|减(?![少免轻半]))\s*(?P<b>{TERM})\s*"
    rf"(?:后|之后)?(?:为|等于|得|剩余|结余|余|即)\s*(?P<result>{TERM})(?!(?<=\d)[\d.])"
)
PART = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>{UNIT})?")
TOKEN = re.compile(rf" *(?:(?P<fig>{NUM} *(?:{UNIT})?)|(?P<op>[+×*÷/]|[-−–])|(?P<paren>[()]))")
CANON = {"*": "×", "/": "÷", "−": "-", "–": "-"}
APPLY: dict[str, Callable[[Decimal, Decimal], Decimal]] = {"+": add, "-": sub, "×": mul, "÷": truediv}


def _figure(text: str, start: int, end: int) -> Quantity:
    m = PART.match(text, start, end)
    assert m is not None
    num, unit = m.group("num"), m.group("unit") or ""
    places = places_of(num)
    money_unit = unit.split("/")[0]
    if money_unit in MONEY_UNITS:
        scale = MONEY_UNITS[money_unit]
        return Quantity(Decimal(num) * scale, unit, "money", m.start(), m.end(), places, scale)
    if unit == "%":
        return Quantity(Decimal(num), unit, "percent", m.start(), m.end(), places)
    # A whole bare number or count is exact; "分" and counts keep the figure as written.
    dimension = unit or "number"
    return Quantity(Decimal(num), unit, dimension, m.start(), m.end(), places)


Side = tuple[list[Quantity], str]  # the figures, and the shape: operators and brackets in order


def _side(text: str, start: int, end: int) -> Side | None:
    """One side of an equation as its figures and shape, or None where it is not one expression
    (brackets that do not balance once the stray ones at its edges are dropped)."""
    figures: list[Quantity] = []
    shape: list[str] = []
    pos = start
    while pos < end:
        m = TOKEN.match(text, pos, end)
        if m is None or m.end() == pos:
            if text[pos:end].strip():
                return None
            break
        pos = m.end()
        if m.group("fig"):
            if shape and shape[-1] not in "+-×÷(":  # two figures with no operator between them
                return None
            figures.append(_figure(text, m.start("fig"), m.end("fig")))
            shape.append("#")
        elif m.group("op"):
            shape.append(CANON.get(m.group("op"), m.group("op")))
        else:
            shape.append(m.group("paren"))
    while shape and shape[0] == "(" and shape.count("(") > shape.count(")"):
        shape.pop(0)  # "(其中:a+b=c" — a bracket opened before the figures
    while shape and shape[-1] == ")" and shape.count(")") > shape.count("("):
        shape.pop()
    # A sign before a figure that opens the side or a bracket ("=-37.5%", "-5+3=-2", "(-5+3)×2"): the figure is
    # negative; a "-" anywhere else is a subtraction.
    # The sign is glued to its figure and follows a word or "=": a "-" that opens a line is a list's bullet
    # ("- 500+300=800", its space dropped by normalisation), and the side then is no expression.
    signed = [i for i, t in enumerate(shape) if t == "-" and shape[i + 1 : i + 2] == ["#"] and (i == 0 or shape[i - 1] == "(")
              and _glued_sign(text, figures[shape[:i].count("#")].start)]
    for i in reversed(signed):
        k = shape[:i].count("#")
        q = figures[k]
        figures[k] = Quantity(-q.value, q.unit, q.dimension, q.start - 1, q.end, q.places, q.scale)
        del shape[i]
    if not figures or _value(shape, [f.value for f in figures]) is None:
        return None
    return figures, "".join(shape)


def _glued_sign(text: str, figure: int) -> bool:
    """A sign right before the figure at `figure`, not at the start of a line."""
    return figure >= 2 and text[figure - 1] in "-−–" and text[max(0, figure - 9) : figure - 1].rstrip(" (")[-1:] not in ("", "\n")


def arithmetic_claims(text: str) -> list[Claim]:
    """Each written-out calculation with the figures it is made of."""
    claims: list[Claim] = []
    for m in EQUATION.finditer(text):
        cuts = [m.start("eq") - 1, *(i for i in range(m.start("eq"), m.end("eq")) if text[i] == "="), m.end("eq")]
        sides = [_side(text, a + 1, b) for a, b in pairwise(cuts)]
        if any(s is None for s in sides):
            continue
        read = [s for s in sides if s is not None]
        singles = [i for i, (figs, shape) in enumerate(read) if shape == "#"]
        if not singles or len(singles) == len(read):
            continue
        at = singles[-1] if singles[-1] == len(read) - 1 else singles[0]
        result = read[at][0][0]
        # each expression against the result; an intermediate figure ("=0.9831=") is a rounding step
        claims.extend(_claim(figs, shape, result) for figs, shape in read if shape != "#")
    for m in WORDED.finditer(text):
        figures = [_figure(text, m.start("a"), m.end("a")), _figure(text, m.start("b"), m.end("b"))]
        claims.append(_claim(figures, f"#{WORDS[m.group('op')]}#", _figure(text, m.start("result"), m.end("result"))))
    return sorted(claims, key=lambda c: c.start)


def _claim(figures: list[Quantity], shape: str, result: Quantity) -> Claim:
    inputs = {f"x{i}": q for i, q in enumerate(figures)}
    start, end = min(figures[0].start, result.start), max(figures[-1].end, result.end)
    return Claim("arithmetic", result, start, end, inputs=inputs, name=shape.replace("#", ""))


def shape_of(claim: Claim) -> str:
    """The claim's expression with "#" for each figure, rebuilt from its operators and brackets."""
    return expression_shape(claim.name)


def _value(shape: list[str] | str, values: list[Decimal]) -> Decimal | None:
    """The expression evaluated (brackets, then × ÷, then + −), or None where it does not parse or divides by 0."""
    tokens = list(shape)
    figures = iter(values)
    pos = 0

    def level(operand: Callable[[], Decimal | None], ops: str) -> Decimal | None:
        """One precedence level: operands joined by `ops`, left to right."""
        nonlocal pos
        value = operand()
        while value is not None and pos < len(tokens) and tokens[pos] in ops:
            op = tokens[pos]
            pos += 1
            right = operand()
            if right is None or (op == "÷" and right == 0):
                return None
            value = APPLY[op](value, right)
        return value

    def expression() -> Decimal | None:
        return level(term, "+-")

    def term() -> Decimal | None:
        return level(factor, "×÷")

    def factor() -> Decimal | None:
        nonlocal pos
        if pos >= len(tokens):
            return None
        if tokens[pos] == "(":
            pos += 1
            inner = expression()
            if inner is None or pos >= len(tokens) or tokens[pos] != ")":
                return None
            pos += 1
            return inner
        if tokens[pos] == "#":
            pos += 1
            return next(figures, None)
        return None

    try:
        value = expression()
    except InvalidOperation:
        return None
    return value if pos == len(tokens) else None


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
    """The claim's expression evaluated (brackets, × ÷ before + −), or None where its units do not allow it
    (figures of different kinds added, mixed money units with a figure that has none, a zero divisor)."""
    assert isinstance(claim.stated, Quantity)
    figures, result = list(claim.inputs.values()), claim.stated
    everything = [*figures, result]
    multiplies = any(op in "×÷" for op in claim.name)
    money_units = {q.unit.split("/")[0] for q in everything if q.dimension == "money"}
    if len(money_units) > 1 and any(not q.unit for q in everything):
        return None
    if not multiplies and len({q.dimension for q in everything if q.unit}) > 1:
        return None
    base = len(money_units) > 1  # convert to 万元; otherwise figures are taken as written

    def written(q: Quantity) -> Decimal:
        value = q.value if base else q.value / q.scale
        return value / 100 if multiplies and q.dimension == "percent" else value

    value = _value(shape_of(claim), [written(q) for q in figures])
    if value is None:
        return None
    if multiplies and result.dimension == "percent":
        value *= 100
    stated = result.value if base else result.value / result.scale
    step = Decimal(1).scaleb(-result.places) * (result.scale if base else 1)
    return Reckoning(value, stated, step)
