"""The scoring engine: an Evaluation and a RuleSet in, a Scorecard out.

Every score carries a Chinese explanation naming the rule and the numbers it used,
so a reviewer can follow each figure without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.model import (
    Comparator,
    Direction,
    Evaluation,
    Grade,
    Indicator,
    IndicatorKind,
    QualitativeBand,
)
from jixiao.core.money import HUNDRED, ZERO, fmt, quantize
from jixiao.core.rules import ExecutionCap, ReverseFormula, RuleSet

ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class BudgetResult:
    initial: Decimal
    adjusted: Decimal
    executed: Decimal
    adjustment: Decimal
    adjustment_rate: Decimal | None
    execution_rate: Decimal | None
    weight: Decimal
    score: Decimal
    explanation: str


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    index: int
    name: str
    weight: Decimal
    completion_rate: Decimal | None
    coefficient: Decimal
    formula_score: Decimal
    score: Decimal
    explanation: str
    met: bool | None
    overachieved: bool
    zero_target: bool
    scored: bool


@dataclass(frozen=True, slots=True)
class Scorecard:
    rules_name: str
    budget: BudgetResult
    indicators: tuple[IndicatorResult, ...]
    indicator_total: Decimal
    uncapped_total: Decimal
    total_score: Decimal
    grade: Grade
    cap: ExecutionCap | None
    # Why the total cannot be graded (the weights do not add up to full marks), or None.
    ungradable: str | None = None

    @property
    def gradable(self) -> bool:
        return self.ungradable is None

    @property
    def grade_text(self) -> str:
        """The grade, or "不能评定" when the weights do not add up to the rule set's full marks."""
        return self.grade.value if self.ungradable is None else "不能评定"

    @property
    def execution_score(self) -> Decimal:
        return self.budget.score

    @property
    def weight_total(self) -> Decimal:
        return self.budget.weight + sum((r.weight for r in self.indicators), ZERO)


def score(evaluation: Evaluation, rules: RuleSet) -> Scorecard:
    """Compute every derived figure of an evaluation under a rule set."""
    budget = score_budget(evaluation, rules)
    indicators = tuple(
        score_indicator(index, indicator, rules)
        for index, indicator in enumerate(evaluation.indicators)
    )
    indicator_total = sum((r.score for r in indicators), ZERO)
    uncapped = budget.score + indicator_total
    cap = _cap_for(budget.execution_rate, rules)
    total = min(uncapped, cap.max_total) if cap is not None else uncapped
    total = quantize(total, rules.places, rules.rounding)
    return Scorecard(
        rules_name=rules.name,
        budget=budget,
        indicators=indicators,
        indicator_total=indicator_total,
        uncapped_total=uncapped,
        total_score=total,
        grade=rules.grade_for(total),
        cap=cap,
        ungradable=_ungradable(budget.weight + sum((r.weight for r in indicators), ZERO), rules),
    )


def _ungradable(weights: Decimal, rules: RuleSet) -> str | None:
    # A total out of 105 (or 95) is not a score out of 100: its grade would mean nothing.
    if weights == rules.total:
        return None
    return (f"分值合计{fmt(weights)}分（含预算执行{fmt(rules.execution.weight)}分），不等于满分{fmt(rules.total)}分，"
            "总分不能评定等级；请先调整指标分值")


def score_budget(evaluation: Evaluation, rules: RuleSet) -> BudgetResult:
    b = evaluation.budget
    places, mode = rules.places, rules.rounding
    weight = rules.execution.weight
    adjustment = b.adjusted - b.initial
    adjustment_rate = (
        quantize(adjustment / b.initial * HUNDRED, places, mode) if b.initial != 0 else None
    )
    if b.adjusted == 0:
        return BudgetResult(
            b.initial, b.adjusted, b.executed, adjustment, adjustment_rate, None, weight, ZERO,
            "全年预算数为0，预算执行率无法计算，预算执行得0分",
        )
    share = b.executed / b.adjusted
    execution_rate = quantize(share * HUNDRED, places, mode)
    scored_share = min(share, ONE) if rules.execution.cap_at_weight else share
    points = quantize(scored_share * weight, places, mode)
    explanation = (
        f"预算执行率 = 执行数 {fmt(b.executed)} ÷ 全年预算数 {fmt(b.adjusted)} = "
        f"{fmt(execution_rate)}%，得分 = {fmt(min(execution_rate, HUNDRED) if rules.execution.cap_at_weight else execution_rate)}% × {fmt(weight)} = {fmt(points)}"
    )
    return BudgetResult(
        b.initial, b.adjusted, b.executed, adjustment, adjustment_rate, execution_rate,
        weight, points, explanation,
    )


def score_indicator(index: int, indicator: Indicator, rules: RuleSet) -> IndicatorResult:
    if indicator.kind is IndicatorKind.QUALITATIVE:
        return _score_qualitative(index, indicator, rules)
    return _score_quantitative(index, indicator, rules)


def _score_qualitative(index: int, ind: Indicator, rules: RuleSet) -> IndicatorResult:
    w = ind.weight
    places, mode = rules.places, rules.rounding
    band_rule = rules.band_rule(ind.band) if ind.band is not None else None
    if ind.manual_score is not None:
        points = quantize(min(ind.manual_score, w), places, mode)
        why = f"定性指标，评价人评定得分 {fmt(points)}（档次：{ind.band or '未填'}）"
    elif band_rule is not None:
        points = quantize(band_rule.low * w, places, mode)
        why = f"定性指标，档次“{ind.band}”，未填写得分，按档次下限 {fmt(band_rule.low * HUNDRED)}% × {fmt(w)} 计 {fmt(points)}"
    else:
        points = ZERO
        why = "定性指标未填写完成档次和得分，得0分"
    points = _apply_deduction(points, ind, rules)
    coefficient = points / w if w else ZERO
    return IndicatorResult(
        index, ind.name, w, None, coefficient, points, points, why,
        met=None if ind.band is None else ind.band is QualitativeBand.ACHIEVED,
        overachieved=False,
        zero_target=False,
        scored=ind.band is not None or ind.manual_score is not None,
    )


def _score_quantitative(index: int, ind: Indicator, rules: RuleSet) -> IndicatorResult:
    w = ind.weight
    places, mode = rules.places, rules.rounding
    a, b = ind.target, ind.actual
    if a is None or b is None or ind.comparator is None:
        missing = "目标值" if a is None else "比较符" if ind.comparator is None else "实际完成值"
        return IndicatorResult(
            index, ind.name, w, None, ZERO, ZERO, ZERO, f"缺少{missing}，无法计分，得0分",
            met=None, overachieved=False, zero_target=False, scored=False,
        )
    if rules.indicators.clamp_negative_actual and b < 0:
        b = ZERO
    direction = ind.effective_direction
    zero_target = a == 0
    overachieved = False
    completion: Decimal | None
    if direction is Direction.REVERSE:
        coefficient, completion, rule_text = _reverse(a, b, rules.indicators.reverse_formula)
    elif ind.comparator is Comparator.EQ and a == 0:
        coefficient = ONE if b <= 0 else ZERO
        completion = None
        rule_text = "等于0型指标：完成值≤0得满分，否则得0分"
    elif a <= 0:
        coefficient = ONE if b >= a else ZERO
        completion = None
        rule_text = f"目标值为{fmt(a)}，完成值达到目标值得满分，否则得0分（需人工复核）"
    else:
        share = b / a
        completion = quantize(share * HUNDRED, places, mode)
        coefficient = min(share, ONE)
        overachieved = share >= rules.indicators.overachieve_ratio
        rule_text = (
            "完成值达到目标值，得满分"
            if share >= 1
            else f"未达到目标值，按完成比例 {fmt(b)} ÷ {fmt(a)} 计分"
        )
    formula = quantize(coefficient * w, places, mode)
    points = formula
    notes = [rule_text, f"公式得分 {fmt(formula)}"]
    if overachieved and rules.indicators.overachieve_deduction > 0:
        points = max(ZERO, points - rules.indicators.overachieve_deduction)
        notes.append(
            f"完成值达到目标值的{fmt(rules.indicators.overachieve_ratio * HUNDRED)}%以上，"
            f"按规则扣{fmt(rules.indicators.overachieve_deduction)}分"
        )
    if ind.manual_score is not None:
        points = quantize(min(ind.manual_score, w), places, mode)
        notes.append(f"人工调整为 {fmt(points)}（理由：{ind.manual_reason or '未填写'}）")
    points = _apply_deduction(points, ind, rules)
    if ind.deduction:
        notes.append(f"扣分 {fmt(ind.deduction)}（{ind.deduction_reason or '未说明理由'}）")
    notes.append(f"得分 {fmt(points)}")
    return IndicatorResult(
        index, ind.name, w, completion, coefficient, formula, points, "；".join(notes),
        met=coefficient >= ONE, overachieved=overachieved, zero_target=zero_target, scored=True,
    )


def _reverse(a: Decimal, b: Decimal, formula: ReverseFormula) -> tuple[Decimal, Decimal | None, str]:
    completion = quantize(a / b * HUNDRED) if b > 0 else None
    if b <= a:
        return ONE, completion, "反向指标：完成值不高于目标值，得满分"
    if a <= 0:
        return ZERO, completion, "反向指标：目标值为0而完成值超出，得0分"
    if formula is ReverseFormula.LINEAR_2X:
        coefficient = max(ZERO, ONE - (b - a) / a)
        return coefficient, completion, "反向指标：超出目标值按超出比例线性扣减，达到两倍目标值得0分"
    return a / b, completion, f"反向指标：超出目标值，按 {fmt(a)} ÷ {fmt(b)} 计分"


def _apply_deduction(points: Decimal, ind: Indicator, rules: RuleSet) -> Decimal:
    if ind.deduction:
        points = max(ZERO, points - ind.deduction)
    return quantize(points, rules.places, rules.rounding)


def _cap_for(execution_rate: Decimal | None, rules: RuleSet) -> ExecutionCap | None:
    if execution_rate is None or not rules.execution_caps:
        return None
    applicable = [cap for cap in rules.execution_caps if execution_rate < cap.below]
    return min(applicable, key=lambda cap: cap.max_total) if applicable else None
