"""Checks of the COUNT, RATE, SHARE, DELTA, UNIT COST, NAME, ARITHMETIC and TIME PROGRESS claims
(A020–A024, A026, A029).

Each check raises only when no reading of the claim reproduces the stated figure, every input
taken anywhere within the precision it was written at, and the stated figure allowed one unit of
its last written place (reports round and cut off alike). Pure: claims in, `TextHit`s out, so an
evaluation's narrative (`core.checks.narrative`: `jixiao check`, the web app, the report writer) and
a whole report (`audit.doc_checks`) get the same checks and messages.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jixiao.core.claims.arith import reckon, shape_of
from jixiao.core.claims.base import Claim, Quantity, ratio_range, stated_agrees, written_form
from jixiao.core.money import decimals_of, fmt
from jixiao.core.prose import Span, TextHit

Range = tuple[Decimal, Decimal]
Place = Callable[[Span], str]  # where a span is, for a message: "第27行" or "“年度重点工作”中"
CLAIM_CODES = ("A020", "A021", "A022", "A023", "A024", "A026", "A029")


def _corners(values: list[Decimal]) -> Range:
    return min(values), max(values)


def _agrees(q: Quantity, rng: Range) -> bool:
    unit = Decimal(1).scaleb(-q.places) * q.scale
    return rng[0] - unit < q.value < rng[1] + unit


def _pct_agrees(stated: Decimal, rng: Range | None) -> bool:
    return rng is None or stated_agrees(stated, decimals_of(stated), *rng)


def _show(q: Quantity) -> str:
    return f"{fmt(q.value, 4)}{q.base_unit()}"


def claim_kind_hits(claims: list[Claim], place: Place) -> list[TextHit]:
    """Every COUNT, RATE, SHARE, DELTA, UNIT COST, NAME and ARITHMETIC claim, each where its inputs were read."""
    hits: list[TextHit] = []
    for claim in claims:
        check = CHECKS.get(claim.kind)
        if check is not None:
            hit = check(claim, place)
            if hit is not None:
                hits.append(hit)
    return hits


def _spans(*quantities: Quantity) -> tuple[Span, ...]:
    return tuple((q.start, q.end) for q in quantities)


def rate(claim: Claim, place: Place) -> TextHit | None:
    assert isinstance(claim.stated, Decimal)
    scale = Decimal(1000) if claim.name.endswith("‰") else Decimal(100)
    readings = (claim.inputs, *claim.options)
    for r in readings:
        if _pct_agrees(claim.stated, ratio_range(r["numerator"], r["denominator"], scale)):
            return None
    num, den = claim.inputs["numerator"], claim.inputs["denominator"]
    computed = num.value / den.value * scale
    sign = "‰" if scale == 1000 else "%"
    what = claim.name.rstrip("‰") or "比率"
    return TextHit("A020", f"叙述称{what}为{fmt(claim.stated)}{sign}，但{_show(num)} ÷ {_show(den)} = {fmt(computed)}{sign}，"
                   "比率与其所依据的数字不符，请核实", (claim.start, claim.end), None, computed, claim.stated,
                   _spans(num, den))


def count(claim: Claim, place: Place) -> TextHit | None:
    fewest, most = claim.listed
    if not claim.closed or claim.n_items is None or fewest <= claim.n_items <= most:
        return None
    listed = str(fewest) if fewest == most else f"{fewest}至{most}"
    return TextHit("A021", f"叙述称共{claim.n_items}项（个、类），但其后列举了{listed}项：{'、'.join(claim.items)}；"
                   "所述个数与列举的项目数不符，请核实", (claim.start, claim.end), None,
                   Decimal(claim.n_items), Decimal(fewest))


def delta(claim: Claim, place: Place) -> TextHit | None:
    cur = claim.inputs["current"]
    prev, chg = claim.inputs.get("previous"), claim.inputs.get("change")
    d = Decimal(claim.direction)
    is_pct = claim.name == "%"
    where = (claim.start, claim.end)
    related = _spans(*claim.inputs.values())
    if prev is not None and prev.low > 0:
        diffs = [d * (u - p) for u in (cur.low, cur.high) for p in (prev.low, prev.high)]
        if chg is not None and not _agrees(chg, _corners(diffs)):
            return TextHit("A022", f"叙述称本期{_show(cur)}、上期{_show(prev)}，{'增加' if d > 0 else '减少'}{_show(chg)}，"
                           f"但两期之差为{fmt(d * (cur.value - prev.value), 4)}{cur.base_unit()}，增减额与两期数字不符，请核实",
                           where, None, d * (cur.value - prev.value), chg.value, related)
        if is_pct:
            assert isinstance(claim.stated, Decimal)
            pcts = [d * (u - p) / p * 100 for u in (cur.low, cur.high) for p in (prev.low, prev.high)]
            if not _pct_agrees(claim.stated, _corners(pcts)):
                computed = d * (cur.value - prev.value) / prev.value * 100
                return TextHit("A022", f"叙述称{'增长' if d > 0 else '下降'}{fmt(claim.stated)}%，但本期{_show(cur)}、"
                               f"上期{_show(prev)}，变动为{fmt(computed)}%，增减幅度与两期数字不符，请核实", where, None,
                               computed, claim.stated, related)
        return None
    if chg is None or not is_pct:
        return None
    assert isinstance(claim.stated, Decimal)
    bases = [(u - d * g, g) for u in (cur.low, cur.high) for g in (chg.low, chg.high)]
    if any(b <= 0 for b, _ in bases):
        return None
    pcts = [g / b * 100 for b, g in bases]
    if _pct_agrees(claim.stated, _corners(pcts)):
        return None
    base = cur.value - d * chg.value
    computed = chg.value / base * 100
    return TextHit("A022", f"叙述称本期{_show(cur)}，较上期{'增加' if d > 0 else '减少'}{_show(chg)}（上期应为{fmt(base, 4)}"
                   f"{cur.base_unit()}），{'增长' if d > 0 else '下降'}应为{fmt(computed)}%，而非{fmt(claim.stated)}%，请核实",
                   where, None, computed, claim.stated, related)


def unit_cost(claim: Claim, place: Place) -> TextHit | None:
    assert isinstance(claim.stated, Quantity)
    cost, n = claim.inputs["unit_cost"], claim.inputs["count"]
    total = claim.stated
    if _agrees(total, (cost.low * n.low, cost.high * n.high)):
        return None
    product = cost.value * n.value
    return TextHit("A023", f"叙述称每{claim.name}{fmt(cost.value * 10000, 2)}元、共{fmt(n.value, 0)}{n.unit}，合计应为"
                   f"{fmt(product, 4)}万元，但所述合计为{fmt(total.value, 4)}万元，请核实", (total.start, total.end), None,
                   product, total.value, _spans(cost, n))


def name(claim: Claim, place: Place) -> TextHit | None:
    assert isinstance(claim.stated, Quantity)
    first = claim.inputs["first"]
    return TextHit("A024", f"“{claim.name}”{place((first.start, first.end))}为{_show(first)}，此处为{_show(claim.stated)}，"
                   "同一名称的数字前后不一致，请核实", (claim.stated.start, claim.stated.end), None, first.value,
                   claim.stated.value, _spans(first))


def arithmetic(claim: Claim, place: Place) -> TextHit | None:
    assert isinstance(claim.stated, Quantity)
    worked = reckon(claim)
    if worked is None or worked.agrees():
        return None
    figures = list(claim.inputs.values())
    written = iter(figures)
    shown = "".join(written_form(next(written)) if ch == "#" else ch for ch in shape_of(claim))
    result = claim.stated
    return TextHit("A026", f"叙述中的算式{shown}，按所列数字计算为{fmt(worked.value, 4)}，而所写结果为{written_form(result)}，"
                   "算式结果与其数字不符，请核实", (result.start, result.end), None, worked.value, worked.stated,
                   _spans(*figures))


def progress(claim: Claim, place: Place) -> TextHit | None:
    """A029: a time progress (or a rate's gap to it) outside what any way of reckoning the date allows."""
    assert isinstance(claim.stated, Decimal)
    unit = Decimal(1).scaleb(-decimals_of(claim.stated))
    times = [r["time"].value for r in claim.options]
    # by months or by days, and rounded to a whole percent as many offices do
    low, high = min(min(times), min(times).quantize(Decimal(1))), max(max(times), max(times).quantize(Decimal(1)))
    rate = claim.inputs.get("rate")
    if rate is None:
        if low - unit <= claim.stated <= high + unit:
            return None
        shown = "或".join(f"{fmt(t, 2)}%" for t in times[:2])
        return TextHit("A029", f"叙述称截至{claim.name}时间进度为{fmt(claim.stated)}%，但该日的时间进度为{shown}"
                       "（按月或按日计算），时间进度与所述日期不符，请核实", (claim.start, claim.end), None,
                       times[0], claim.stated)
    slack = unit + Decimal(1).scaleb(-rate.places) / 2
    gaps = sorted(Decimal(claim.direction) * (rate.value - t) for t in (low, high))
    if gaps[0] - slack <= claim.stated <= gaps[1] + slack:
        return None
    gap = rate.value - times[0]
    side = "低于" if claim.direction < 0 else "高于"
    actual = f"{'低于' if gap < 0 else '高于'}{fmt(abs(gap), 2)}个百分点"
    return TextHit("A029", f"叙述称截至{claim.name}进度{fmt(rate.value)}%，{side}时间进度{fmt(claim.stated)}个百分点，"
                   f"但按该日时间进度{fmt(times[0], 2)}%计算应为{actual}，与所述不符，请核实", (claim.start, claim.end), None,
                   abs(gap), claim.stated, _spans(rate))


CHECKS: dict[str, Callable[[Claim, Place], TextHit | None]] = {"rate": rate, "share": rate, "count": count, "delta": delta, "unit_cost": unit_cost, "name": name,
          "arithmetic": arithmetic, "progress": progress}
