"""Checks on a monitoring report (绩效运行监控): figures that can be judged, lights explained."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.core.checks.registry import Hit
from jixiao.core.checks.stages import StageRegistry
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import IndicatorKind
from jixiao.core.money import fmt
from jixiao.core.monitoring import LIGHT_LABELS, Light, MonitoringReport, MonitoringResult, assess
from jixiao.core.rules import RuleSet


@dataclass(frozen=True, slots=True)
class MonitoringContext:
    report: MonitoringReport
    rules: RuleSet
    result: MonitoringResult


MONITORING_CHECKS: StageRegistry[MonitoringContext] = StageRegistry("monitoring")
check = MONITORING_CHECKS.check
WARNED = (Light.RED, Light.YELLOW)


def run_monitoring_checks(report: MonitoringReport, rules: RuleSet, result: MonitoringResult | None = None) -> list[Finding]:
    return MONITORING_CHECKS.run(MonitoringContext(report, rules, result or assess(report, rules.monitoring)))


def missing_explanations(reason: str | None, action: str | None) -> list[str]:
    return [name for name, text in (("偏差原因", reason), ("纠偏措施", action)) if not (text or "").strip()]


@check("M001", Severity.ERROR, "监控截止日期不在预算年度内")
def cut_off_in_year(ctx: MonitoringContext) -> Iterator[Hit]:
    if ctx.report.cut_off.year != ctx.report.year:
        yield Hit(f"监控截止日期{ctx.report.cut_off.isoformat()}不在{ctx.report.year}年度内", "cut_off")


@check("M002", Severity.WARNING, "截至监控日的执行数超过全年预算数")
def executed_within_budget(ctx: MonitoringContext) -> Iterator[Hit]:
    budget = ctx.report.budget
    if budget.executed_to_date > budget.annual:
        yield Hit(
            f"截至监控日执行数{fmt(budget.executed_to_date)}万元超过全年预算数{fmt(budget.annual)}万元",
            "budget.executed_to_date", budget.annual, budget.executed_to_date, ("budget.annual",),
        )


@check("M003", Severity.WARNING, "预算执行亮黄灯或红灯，须说明偏差原因和纠偏措施")
def budget_light_explained(ctx: MonitoringContext) -> Iterator[Hit]:
    light, result = ctx.result.budget_light, ctx.result
    missing = missing_explanations(ctx.report.deviation_reason, ctx.report.corrective_action)
    if light in WARNED and missing and light is not None:
        yield Hit(
            f"执行进度{fmt(result.execution_progress)}%落后时间进度{fmt(result.time_progress)}%"
            f"{fmt(result.gap)}个百分点（{LIGHT_LABELS[light]}），未填写{'、'.join(missing)}",
            "deviation_reason" if "偏差原因" in missing else "corrective_action",
            result.time_progress, result.execution_progress,
        )


@check("M004", Severity.WARNING, "指标亮黄灯或红灯，须说明偏差原因和纠偏措施")
def indicator_light_explained(ctx: MonitoringContext) -> Iterator[Hit]:
    for i, (ind, lit) in enumerate(zip(ctx.report.indicators, ctx.result.indicators, strict=True)):
        missing = missing_explanations(ind.deviation_reason, ind.corrective_action)
        if lit.light in WARNED and missing and lit.light is not None:
            yield Hit(
                f"指标“{ind.name}”预计完成程度{fmt(lit.completion)}%（{LIGHT_LABELS[lit.light]}），"
                f"未填写{'、'.join(missing)}",
                f"indicators[{i}]." + ("deviation_reason" if "偏差原因" in missing else "corrective_action"),
            )


@check("M005", Severity.WARNING, "指标缺少截至监控日的完成情况，无法判断")
def indicator_has_value(ctx: MonitoringContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.report.indicators):
        if ind.kind is IndicatorKind.QUANTITATIVE and ind.value_to_date is None and ind.expected is None:
            yield Hit(f"指标“{ind.name}”未填写截至监控日完成值（value_to_date）", f"indicators[{i}].value_to_date")
        elif ind.kind is IndicatorKind.QUALITATIVE and ind.on_track is None:
            yield Hit(f"定性指标“{ind.name}”未说明预计能否完成（on_track）", f"indicators[{i}].on_track")


@check("M006", Severity.ERROR, "定量指标缺少年度指标值，无法计算完成程度")
def indicator_has_target(ctx: MonitoringContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.report.indicators):
        if ind.kind is IndicatorKind.QUANTITATIVE and ind.target is None:
            yield Hit(f"指标“{ind.name}”缺少年度指标值（target）", f"indicators[{i}].target")
