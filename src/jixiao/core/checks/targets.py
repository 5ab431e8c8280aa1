"""Checks on a target declaration (绩效目标申报): measurable, complete, weighted, consistent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.checks.registry import Hit
from jixiao.core.checks.stages import StageRegistry
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Direction, IndicatorKind
from jixiao.core.money import ZERO, fmt
from jixiao.core.rules import RuleSet
from jixiao.core.targets import Decision, TargetDeclaration, TargetIndicator, apply_adjustments


@dataclass(frozen=True, slots=True)
class TargetContext:
    declaration: TargetDeclaration  # as filed, with its adjustment requests
    in_force: TargetDeclaration  # approved adjustments applied
    rules: RuleSet


TARGET_CHECKS: StageRegistry[TargetContext] = StageRegistry("targets")
check = TARGET_CHECKS.check

# Words that promise a direction without a measure ("有所提高", "进一步加强").
VAGUE = ("有所", "进一步", "明显", "显著", "较好", "逐步", "不断", "大幅", "稳步", "力争", "尽量", "基本")
TEN_THOUSAND = Decimal(10000)


def run_target_checks(declaration: TargetDeclaration, rules: RuleSet) -> list[Finding]:
    return TARGET_CHECKS.run(TargetContext(declaration, apply_adjustments(declaration), rules))


def label(ind: TargetIndicator) -> str:
    return f"指标“{ind.name}”（{ind.code}）"


def path(i: int, field: str | None = None) -> str:
    return f"indicators[{i}]" + (f".{field}" if field else "")


def quantitative(ctx: TargetContext) -> Iterator[tuple[int, TargetIndicator]]:
    for i, ind in enumerate(ctx.in_force.indicators):
        if ind.kind is IndicatorKind.QUANTITATIVE:
            yield i, ind


@check("G001", Severity.ERROR, "定量目标应有比较符、数值和计量单位")
def measurable(ctx: TargetContext) -> Iterator[Hit]:
    for i, ind in quantitative(ctx):
        missing = [
            name
            for name, value in (("比较符", ind.comparator), ("指标值", ind.target), ("计量单位", ind.unit))
            if value is None or (isinstance(value, str) and not value.strip())
        ]
        if missing:
            field = "comparator" if ind.comparator is None else "target" if ind.target is None else "unit"
            yield Hit(
                f"{label(ind)}缺少{'、'.join(missing)}，无法衡量；如为定性指标请把“定量/定性”设为定性并写明评判标准",
                path(i, field),
            )


@check("G002", Severity.ERROR, "定性目标应写明明确的评判标准")
def qualitative_standard(ctx: TargetContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.in_force.indicators):
        if ind.kind is IndicatorKind.QUALITATIVE and not (ind.target_text or "").strip():
            yield Hit(f"{label(ind)}是定性指标，未写明评判标准（target_text）", path(i, "target_text"))


@check("G003", Severity.WARNING, "目标值表述模糊，难以衡量")
def vague(ctx: TargetContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.in_force.indicators):
        text = (ind.target_text or "").strip()
        words = [w for w in VAGUE if w in text]
        if text and words and not re.search(r"\d", text):
            yield Hit(
                f"{label(ind)}的目标“{text}”只有“{'、'.join(words)}”这类方向性表述，没有可核验的标准；"
                "请写明数量、比例或达到的具体状态",
                path(i, "target_text"),
            )


@check("G004", Severity.WARNING, "绩效目标缺少应设的一级指标")
def level1_complete(ctx: TargetContext) -> Iterator[Hit]:
    present = {ind.level1 for ind in ctx.in_force.indicators}
    missing = [level.value for level in ctx.rules.targets.required_level1 if level not in present]
    if missing:
        yield Hit(f"绩效目标未设置{'、'.join(missing)}指标，指标体系不完整", "indicators")


@check("G005", Severity.WARNING, "产出指标应包括数量、质量、时效、成本")
def output_complete(ctx: TargetContext) -> Iterator[Hit]:
    required = ctx.rules.targets.required_output_level2
    outputs = [ind for ind in ctx.in_force.indicators if ind.level1.value == "产出"]
    if not outputs or not required:
        return
    present = {ind.level2.strip() for ind in outputs}
    missing = [name for name in required if name not in present]
    if missing:
        yield Hit(f"产出指标缺少{'、'.join(missing)}", "indicators")


@check("G006", Severity.ERROR, "部分指标设了分值，部分没有")
def weights_complete(ctx: TargetContext) -> Iterator[Hit]:
    indicators = ctx.in_force.indicators
    if any(ind.weight is not None for ind in indicators):
        for i, ind in enumerate(indicators):
            if ind.weight is None:
                yield Hit(f"{label(ind)}未设分值，而其他指标设了分值", path(i, "weight"))


@check("G007", Severity.ERROR, "指标分值合计应等于规则集规定的指标总分")
def weights_add_up(ctx: TargetContext) -> Iterator[Hit]:
    weights = [ind.weight for ind in ctx.in_force.indicators if ind.weight is not None]
    if not weights:
        return
    total = sum(weights, ZERO)
    expected = ctx.rules.indicator_weight_total
    if total != expected:
        yield Hit(
            f"指标分值合计{fmt(total)}分，应为{fmt(expected)}分（满分{fmt(ctx.rules.total)}分减预算执行率"
            f"{fmt(ctx.rules.execution.weight)}分）",
            "indicators", expected, total,
            tuple(path(i, "weight") for i in range(len(ctx.in_force.indicators))),
        )


def cost_in_wanyuan(ind: TargetIndicator) -> Decimal | None:
    """A cost target stated as an amount (万元 or 元), in 万元; None for per-unit costs and others."""
    if "成本" not in ind.level2 or ind.target is None or ind.kind is not IndicatorKind.QUANTITATIVE:
        return None
    unit = (ind.unit or "").strip()
    if unit == "万元":
        return ind.target
    if unit == "元":
        return ind.target / TEN_THOUSAND
    return None


@check("G008", Severity.ERROR, "成本指标超过年度资金总额")
def cost_within_budget(ctx: TargetContext) -> Iterator[Hit]:
    budget = ctx.in_force.budget.total
    for i, ind in enumerate(ctx.in_force.indicators):
        cost = cost_in_wanyuan(ind)
        if cost is not None and cost > budget:
            yield Hit(
                f"{label(ind)}的成本目标{fmt(cost)}万元超过年度资金总额{fmt(budget)}万元",
                path(i, "target"), budget, cost, ("budget.total",),
            )


@check("G009", Severity.WARNING, "成本指标合计超过年度资金总额")
def costs_sum_within_budget(ctx: TargetContext) -> Iterator[Hit]:
    budget = ctx.in_force.budget.total
    costs = [(i, c) for i, ind in enumerate(ctx.in_force.indicators) if (c := cost_in_wanyuan(ind)) is not None]
    total = sum((c for _, c in costs), ZERO)
    if len(costs) > 1 and all(c <= budget for _, c in costs) and total > budget:
        yield Hit(
            f"各成本指标合计{fmt(total)}万元超过年度资金总额{fmt(budget)}万元；如有重复计列请说明",
            "indicators", budget, total, ("budget.total", *(path(i, "target") for i, _ in costs)),
        )


@check("G010", Severity.WARNING, "目标低于上年实际完成值且未说明理由")
def not_below_last_year(ctx: TargetContext) -> Iterator[Hit]:
    # An approved adjustment's reason is the reason for the target it set.
    adjusted_codes = {a.code for a in ctx.declaration.adjustments if a.decision is Decision.APPROVED and a.target is not None}
    for i, ind in quantitative(ctx):
        if ind.target is None or ind.last_year_actual is None or (ind.below_last_year_reason or "").strip():
            continue
        if ind.code in adjusted_codes:
            continue
        reverse = ind.effective_direction is Direction.REVERSE
        lower = ind.target > ind.last_year_actual if reverse else ind.target < ind.last_year_actual
        if lower:
            yield Hit(
                f"{label(ind)}的目标{fmt(ind.target)}{ind.unit or ''}"
                f"{'宽于' if reverse else '低于'}上年实际完成值{fmt(ind.last_year_actual)}{ind.unit or ''}，"
                "请填写理由（below_last_year_reason）",
                path(i, "target"), ind.last_year_actual, ind.target, (path(i, "last_year_actual"),),
            )


@check("G011", Severity.ERROR, "调整申请所指的指标不存在")
def adjustment_known(ctx: TargetContext) -> Iterator[Hit]:
    codes = {ind.code for ind in ctx.declaration.indicators}
    for j, adj in enumerate(ctx.declaration.adjustments):
        if adj.code not in codes:
            yield Hit(f"第{j + 1}条调整申请的指标编码“{adj.code}”不在绩效目标中", f"adjustments[{j}].code")


@check("G012", Severity.INFO, "目标调整申请尚待审批")
def adjustment_pending(ctx: TargetContext) -> Iterator[Hit]:
    for j, adj in enumerate(ctx.declaration.adjustments):
        if adj.decision is Decision.PENDING:
            yield Hit(
                f"指标“{adj.code}”的调整申请尚待审批，审批前仍按原目标执行", f"adjustments[{j}].decision"
            )
