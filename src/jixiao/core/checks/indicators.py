"""Checks on performance indicators: measurability, weights, explanations, stated figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from jixiao.core.checks.registry import Context, Hit, check
from jixiao.core.findings import Severity
from jixiao.core.model import (
    COMPARATOR_LABELS,
    PERCENT_UNITS,
    Comparator,
    Direction,
    Indicator,
    IndicatorKind,
    Level1,
    QualitativeBand,
    measures_a_level,
)
from jixiao.core.money import HUNDRED, ZERO, agrees, fmt, quantize
from jixiao.core.scoring import IndicatorResult


def label(ind: Indicator) -> str:
    return f"指标“{ind.name}”"


def path(i: int, field: str | None = None) -> str:
    return f"indicators[{i}]" + (f".{field}" if field else "")


def quantitative(ctx: Context) -> Iterator[tuple[int, Indicator, IndicatorResult]]:
    for i, ind in enumerate(ctx.evaluation.indicators):
        if ind.kind is IndicatorKind.QUANTITATIVE:
            yield i, ind, ctx.scorecard.indicators[i]


def is_rate_unit(unit: str | None) -> bool:
    return unit is not None and unit.strip() in PERCENT_UNITS


def is_level(ind: Indicator) -> bool:
    """A level (a rate, a ratio, a per-unit cost) rather than a running total that grows through the year."""
    return measures_a_level(ind.unit, ind.name)


@check("I001", Severity.ERROR, "指标分值与预算执行分值之和应等于满分")
def weights_add_up(ctx: Context) -> Iterator[Hit]:
    weights = sum((ind.weight for ind in ctx.evaluation.indicators), ZERO)
    expected = ctx.rules.indicator_weight_total
    if weights != expected:
        yield Hit(
            f"绩效指标分值合计{fmt(weights)}分，加预算执行率{fmt(ctx.rules.execution.weight)}分为"
            f"{fmt(weights + ctx.rules.execution.weight)}分，应为{fmt(ctx.rules.total)}分"
            f"（指标分值合计应为{fmt(expected)}分）",
            "indicators", expected, weights,
            tuple(path(i, "weight") for i in range(len(ctx.evaluation.indicators))),
        )


@check("I002", Severity.ERROR, "定量指标应有比较符、数值目标和计量单位")
def measurable(ctx: Context) -> Iterator[Hit]:
    for i, ind, _ in quantitative(ctx):
        missing = [
            name
            for name, value in (("比较符", ind.comparator), ("目标值", ind.target), ("计量单位", ind.unit))
            if value is None or value == ""
        ]
        if missing:
            yield Hit(
                f"{label(ind)}缺少{'、'.join(missing)}，无法衡量；如为定性指标请把“定量/定性”设为定性",
                path(i, "target" if ind.target is None else "comparator" if ind.comparator is None else "unit"),
            )


@check("I003", Severity.ERROR, "定量指标缺少实际完成值")
def has_actual(ctx: Context) -> Iterator[Hit]:
    for i, ind, _ in quantitative(ctx):
        if ind.actual is None:
            yield Hit(f"{label(ind)}未填写实际完成值，按0分计", path(i, "actual"))


@check("I004", Severity.ERROR, "未完成目标须说明偏差原因")
def shortfall_explained(ctx: Context) -> Iterator[Hit]:
    if not ctx.rules.indicators.shortfall_requires_reason:
        return
    for i, ind in enumerate(ctx.evaluation.indicators):
        result = ctx.scorecard.indicators[i]
        if result.met is False and not ind.deviation_reason:
            yield Hit(
                f"{label(ind)}未完成目标（得分{fmt(result.score)}/{fmt(ind.weight)}），未填写偏差原因",
                path(i, "deviation_reason"), related=(path(i, "actual"),),
            )


@check("I005", Severity.WARNING, "未完成目标应提出改进措施")
def shortfall_has_measure(ctx: Context) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators):
        if ctx.scorecard.indicators[i].met is False and not ind.improvement:
            yield Hit(f"{label(ind)}未完成目标，未填写改进措施", path(i, "improvement"))


@check("I006", Severity.WARNING, "大幅超额完成须分析原因")
def overachievement_explained(ctx: Context) -> Iterator[Hit]:
    if not ctx.rules.indicators.overachieve_requires_reason:
        return
    ratio = ctx.rules.indicators.overachieve_ratio
    for i, ind, result in quantitative(ctx):
        if result.overachieved and not ind.deviation_reason:
            yield Hit(
                f"{label(ind)}完成率{fmt(result.completion_rate)}%，达到目标值的{fmt(ratio * HUNDRED)}%以上，"
                "应分析超额原因（是否目标设定偏低）并填写偏差原因",
                path(i, "deviation_reason"), ratio * HUNDRED, result.completion_rate, (path(i, "actual"),),
            )


@check("I007", Severity.WARNING, "年中监控进度滞后")
def mid_year_lag(ctx: Context) -> Iterator[Hit]:
    progress = ctx.rules.monitoring.mid_year_time_progress
    for i, ind, _ in quantitative(ctx):
        a, m = ind.target, ind.mid_year
        if a is None or m is None or ind.comparator is None:
            continue
        reverse = ind.effective_direction is Direction.REVERSE
        if is_level(ind) or reverse or ind.comparator is Comparator.EQ:
            # Rates and ceilings are levels, not running totals: compare them with the target itself.
            lagging = (m > a) if reverse else (m < a)
            if lagging:
                yield Hit(
                    f"{label(ind)}年中监控值{fmt(m)}{ind.unit or ''}{'高于' if reverse else '低于'}目标值"
                    f"{fmt(a)}{ind.unit or ''}，年中已显示偏离目标",
                    path(i, "mid_year"), a, m,
                )
        elif a > 0:
            share = quantize(m / a * HUNDRED)
            if share < progress:
                yield Hit(
                    f"{label(ind)}年中监控完成{fmt(m)}{ind.unit or ''}，仅为目标值{fmt(a)}{ind.unit or ''}的"
                    f"{fmt(share)}%，低于年中时间进度{fmt(progress)}%",
                    path(i, "mid_year"), progress, share,
                )


@check("I008", Severity.WARNING, "年中监控值好于最终完成值且未说明")
def mid_year_above_final(ctx: Context) -> Iterator[Hit]:
    for i, ind, _ in quantitative(ctx):
        if ind.mid_year is None or ind.actual is None or ind.mid_year_note:
            continue
        if is_level(ind) and ind.deviation_reason:
            continue  # a level may fall back in the second half; the deviation reason already explains it
        worse = ind.actual > ind.mid_year if ind.effective_direction is Direction.REVERSE else ind.actual < ind.mid_year
        if worse:
            yield Hit(
                f"{label(ind)}年中监控值{fmt(ind.mid_year)}好于最终完成值{fmt(ind.actual)}，"
                "应在“年中监控偏差原因”中说明口径或数据差异",
                path(i, "mid_year_note"), ind.mid_year, ind.actual, (path(i, "mid_year"), path(i, "actual")),
            )


@check("I009", Severity.WARNING, "缺少规则要求的指标类别")
def required_categories(ctx: Context) -> Iterator[Hit]:
    present = {ind.level1 for ind in ctx.evaluation.indicators if ind.level1 is not None}
    for level1 in ctx.rules.required_level1:
        if level1 in present:
            continue
        if level1 is Level1.SATISFACTION and any("满意" in ind.name for ind in ctx.evaluation.indicators):
            continue
        yield Hit(f"未设置{level1.value}指标（规则集“{ctx.rules.title}”要求设置）", "indicators")


@check("I010", Severity.ERROR, "所述完成率与计算值不符")
def stated_completion_rate(ctx: Context) -> Iterator[Hit]:
    for i, ind, result in quantitative(ctx):
        stated = ind.stated.completion_rate
        if stated is None or result.completion_rate is None:
            continue
        if not agrees(stated, result.completion_rate):
            basis = (
                f"{fmt(ind.target)} ÷ {fmt(ind.actual)}"
                if ind.effective_direction is Direction.REVERSE
                else f"{fmt(ind.actual)} ÷ {fmt(ind.target)}"
            )
            yield Hit(
                f"{label(ind)}所述完成率{fmt(stated)}%，但{basis} = {fmt(result.completion_rate)}%",
                path(i, "stated.completion_rate"), result.completion_rate, stated,
                (path(i, "actual"), path(i, "target")),
            )


@check("I011", Severity.ERROR, "所述指标得分与计分规则不符")
def stated_score(ctx: Context) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators):
        result = ctx.scorecard.indicators[i]
        stated = ind.stated.score
        if stated is None or not result.scored:
            continue
        if not agrees(stated, result.score):
            yield Hit(
                f"{label(ind)}所述得分{fmt(stated)}分，按规则应得{fmt(result.score)}分（{result.explanation}）",
                path(i, "stated.score"), result.score, stated, (path(i, "actual"), path(i, "weight")),
            )


@check("I012", Severity.ERROR, "得分不得超过分值")
def score_within_weight(ctx: Context) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators):
        for field, value in (("stated.score", ind.stated.score), ("manual_score", ind.manual_score)):
            if value is not None and value > ind.weight:
                yield Hit(
                    f"{label(ind)}得分{fmt(value)}分超过其分值{fmt(ind.weight)}分",
                    path(i, field), ind.weight, value,
                )


@check("I013", Severity.ERROR, "定性指标得分应在所选档次范围内")
def qualitative_band(ctx: Context) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators):
        if ind.kind is not IndicatorKind.QUALITATIVE:
            continue
        if ind.band is None:
            yield Hit(
                f"{label(ind)}为定性指标，未选择完成档次（{'/'.join(b.value for b in QualitativeBand)}）",
                path(i, "band"),
            )
            continue
        rule = ctx.rules.band_rule(ind.band)
        if rule is None or ind.manual_score is None:
            continue
        low = quantize(rule.low * ind.weight)
        high = quantize(rule.high * ind.weight)
        score = ind.manual_score
        inside = low <= score <= high if rule.high_inclusive else low <= score < high
        if not inside:
            bracket = "]" if rule.high_inclusive else ")"
            yield Hit(
                f"{label(ind)}档次为“{ind.band}”，得分应在[{fmt(low)}, {fmt(high)}{bracket}之间，"
                f"实为{fmt(score)}",
                path(i, "manual_score"), low, score,
            )


@check("I014", Severity.ERROR, "人工调整得分须说明理由")
def manual_override_reason(ctx: Context) -> Iterator[Hit]:
    for i, ind, _ in quantitative(ctx):
        if ind.manual_score is not None and not ind.manual_reason:
            yield Hit(f"{label(ind)}人工调整了得分，但未填写“人工调整得分的理由”", path(i, "manual_reason"))
    for i, ind in enumerate(ctx.evaluation.indicators):
        if ind.deduction and not ind.deduction_reason:
            yield Hit(f"{label(ind)}扣{fmt(ind.deduction)}分，但未填写扣分理由", path(i, "deduction_reason"))


@check("I015", Severity.ERROR, "正向/反向与比较符矛盾")
def direction_matches_comparator(ctx: Context) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators):
        if ind.direction is None or ind.comparator is None or ind.comparator is Comparator.EQ:
            continue
        comparator_reverse = ind.comparator in (Comparator.LE, Comparator.LT)
        if comparator_reverse != (ind.direction is Direction.REVERSE):
            yield Hit(
                f"{label(ind)}标为{'反向' if ind.direction is Direction.REVERSE else '正向'}指标，"
                f"但比较符为“{COMPARATOR_LABELS[ind.comparator]}”",
                path(i, "direction"),
            )


@check("I016", Severity.WARNING, "指标名称重复")
def duplicate_names(ctx: Context) -> Iterator[Hit]:
    counts = Counter(ind.name for ind in ctx.evaluation.indicators)
    for name, count in counts.items():
        if count > 1:
            places = [i for i, ind in enumerate(ctx.evaluation.indicators) if ind.name == name]
            yield Hit(
                f"指标“{name}”出现{count}次", path(places[1], "name"), related=tuple(path(i, "name") for i in places)
            )


@check("I017", Severity.INFO, "目标值为0或负数，按规则计分后需人工复核")
def zero_target(ctx: Context) -> Iterator[Hit]:
    for i, ind, result in quantitative(ctx):
        if ind.target is not None and ind.target <= 0 and ind.comparator is not None:
            yield Hit(f"{label(ind)}目标值为{fmt(ind.target)}，{result.explanation}", path(i, "target"))


@check("I018", Severity.WARNING, "二级指标不在规则集的指标体系中")
def known_level2(ctx: Context) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators):
        if ind.level1 is None or ind.level2 is None:
            continue
        known = ctx.rules.known_level2.get(ind.level1)
        if known and ind.level2 not in known and f"{ind.level2}指标" not in known:
            yield Hit(
                f"{label(ind)}的二级指标“{ind.level2}”不在“{ind.level1.value}”的常用二级指标"
                f"（{'、'.join(known)}）中",
                path(i, "level2"),
            )


@check("I019", Severity.INFO, "未标注一级、二级指标")
def categories_given(ctx: Context) -> Iterator[Hit]:
    missing = [ind.name for ind in ctx.evaluation.indicators if ind.level1 is None]
    if missing:
        yield Hit(
            f"{len(missing)}个指标未标注一级指标（{'、'.join(missing)}），自评表中无法归类",
            "indicators",
        )


@check("I020", Severity.INFO, "一级指标分值与规则集建议不同")
def level1_split(ctx: Context) -> Iterator[Hit]:
    suggested = ctx.rules.level1_weights
    indicators = ctx.evaluation.indicators
    if not suggested or any(ind.level1 is None for ind in indicators):
        return
    actual: dict[Level1, Decimal] = {}
    for ind in indicators:
        assert ind.level1 is not None
        actual[ind.level1] = actual.get(ind.level1, ZERO) + ind.weight
    if set(actual) <= set(suggested) and actual != suggested:
        text = "、".join(f"{k.value}{fmt(v)}分" for k, v in actual.items())
        advice = "、".join(f"{k.value}{fmt(v)}分" for k, v in suggested.items())
        yield Hit(f"一级指标分值为{text}，规则集建议{advice}（原则上）", "indicators")


@check("I021", Severity.WARNING, "计量单位与指标名称不符")
def unit_matches_name(ctx: Context) -> Iterator[Hit]:
    for i, ind, _ in quantitative(ctx):
        if ind.unit is None:
            continue
        rate_name = ind.name.endswith("率") or ind.name.endswith("度")
        if ind.name.endswith("率") and not is_rate_unit(ind.unit):
            yield Hit(f"{label(ind)}名称为比率，计量单位却为“{ind.unit}”", path(i, "unit"))
        elif not rate_name and "数量" in ind.name and is_rate_unit(ind.unit):
            yield Hit(f"{label(ind)}名称为数量，计量单位却为“{ind.unit}”", path(i, "unit"))


@check("I022", Severity.INFO, "等于型指标完成值与目标值不同")
def equal_off_target(ctx: Context) -> Iterator[Hit]:
    for i, ind, _ in quantitative(ctx):
        off_target = ind.target not in (None, ZERO) and ind.actual is not None and ind.actual != ind.target
        if ind.comparator is Comparator.EQ and off_target:
            yield Hit(
                f"{label(ind)}目标为等于{fmt(ind.target)}，实际为{fmt(ind.actual)}，按正向指标计分，请核实",
                path(i, "actual"), ind.target, ind.actual,
            )
