"""Checks across the stages: monitoring and self-evaluation keep to the approved targets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.core.checks.registry import Hit
from jixiao.core.checks.stages import StageRegistry
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Evaluation
from jixiao.core.money import fmt
from jixiao.core.monitoring import MonitoringReport
from jixiao.core.targets import TargetDeclaration, TargetIndicator, apply_adjustments


@dataclass(frozen=True, slots=True)
class ChainContext:
    in_force: TargetDeclaration
    monitoring: MonitoringReport | None
    evaluation: Evaluation | None


CHAIN_CHECKS: StageRegistry[ChainContext] = StageRegistry("chain")
check = CHAIN_CHECKS.check


def run_chain_checks(
    declaration: TargetDeclaration, monitoring: MonitoringReport | None = None, evaluation: Evaluation | None = None
) -> list[Finding]:
    return CHAIN_CHECKS.run(ChainContext(apply_adjustments(declaration), monitoring, evaluation))


def shown(ind: TargetIndicator) -> str:
    value = fmt(ind.target) if ind.target is not None else (ind.target_text or "—")
    return f"{ind.comparator.value if ind.comparator else ''}{value}{ind.unit or ''}"


def differs(target: TargetIndicator, comparator: object, value: object, text: object, unit: object) -> bool:
    return (target.comparator, target.target, target.target_text, target.unit) != (comparator, value, text, unit)


@check("C001", Severity.ERROR, "监控表的指标不在批准的绩效目标中")
def monitoring_known(ctx: ChainContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.monitoring.indicators if ctx.monitoring else []):
        if ctx.in_force.indicator(ind.code) is None:
            yield Hit(f"监控表的指标“{ind.name}”（{ind.code}）不在批准的绩效目标中", f"indicators[{i}].code")


@check("C002", Severity.ERROR, "监控表的目标值与批准的绩效目标不一致")
def monitoring_targets(ctx: ChainContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.monitoring.indicators if ctx.monitoring else []):
        target = ctx.in_force.indicator(ind.code)
        if target is not None and differs(target, ind.comparator, ind.target, ind.target_text, ind.unit):
            yield Hit(
                f"监控表中指标“{ind.name}”的目标与批准的目标{shown(target)}不一致；目标只能通过调整申请改变",
                f"indicators[{i}].target",
            )


@check("C003", Severity.ERROR, "自评的目标值与批准的绩效目标不一致")
def evaluation_targets(ctx: ChainContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators if ctx.evaluation else []):
        target = ctx.in_force.indicator(ind.code) if ind.code else None
        if target is not None and differs(target, ind.comparator, ind.target, ind.target_text, ind.unit):
            yield Hit(
                f"自评中指标“{ind.name}”的目标与批准的目标{shown(target)}不一致；目标只能通过调整申请改变",
                f"indicators[{i}].target",
            )


@check("C004", Severity.WARNING, "批准的绩效目标未在自评中评价")
def evaluation_complete(ctx: ChainContext) -> Iterator[Hit]:
    if ctx.evaluation is None:
        return
    codes = {ind.code for ind in ctx.evaluation.indicators if ind.code}
    for ind in ctx.in_force.indicators:
        if ind.code not in codes:
            yield Hit(f"批准的指标“{ind.name}”（{ind.code}）未在自评中评价", "indicators")


@check("C005", Severity.ERROR, "自评的指标不在批准的绩效目标中")
def evaluation_known(ctx: ChainContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.evaluation.indicators if ctx.evaluation else []):
        if ind.code is None or ctx.in_force.indicator(ind.code) is None:
            yield Hit(
                f"自评中的指标“{ind.name}”{'（' + ind.code + '）' if ind.code else '没有指标编码'}，不在批准的绩效目标中",
                f"indicators[{i}].code",
            )
