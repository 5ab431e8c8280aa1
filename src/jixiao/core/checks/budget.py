"""Checks on the budget: its identities, its rates and the explanations they require."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.core.checks.registry import Context, Hit, check
from jixiao.core.findings import Severity
from jixiao.core.model import FUND_SOURCE_LABELS, BudgetLine
from jixiao.core.money import HUNDRED, agrees, fmt, percent, quantize

NO_ADJUSTMENT = re.compile(r"(未|没有|无|不存在|未曾)(作|做|进行|发生)?(预算)?调整|无需调整|不需调整")

COLUMNS = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "执行数"}


@check("B001", Severity.ERROR, "预算调整数应等于全年预算数减年初预算数")
def adjustment_identity(ctx: Context) -> Iterator[Hit]:
    b = ctx.evaluation.budget
    if b.adjustment is None:
        return
    expected = b.adjusted - b.initial
    if b.adjustment != expected:
        yield Hit(
            f"预算调整数为{fmt(b.adjustment)}万元，但全年预算数{fmt(b.adjusted)}万元减年初预算数"
            f"{fmt(b.initial)}万元等于{fmt(expected)}万元",
            "budget.adjustment", expected, b.adjustment, ("budget.adjusted", "budget.initial"),
        )


@check("B002", Severity.ERROR, "各资金来源之和应等于预算合计")
def sources_add_up(ctx: Context) -> Iterator[Hit]:
    b = ctx.evaluation.budget
    if not b.sources:
        return
    for column, label in COLUMNS.items():
        parts = [getattr(line, column) for line in b.sources.values()]
        if any(part is None for part in parts):
            continue
        total: Decimal = getattr(b, column)
        added = sum(parts, Decimal(0))
        if added != total:
            names = "、".join(FUND_SOURCE_LABELS[s] for s in b.sources)
            yield Hit(
                f"{names}的{label}之和为{fmt(added)}万元，与{label}合计{fmt(total)}万元不符"
                f"（差{fmt(total - added)}万元）",
                f"budget.{column}", total, added,
                tuple(f"budget.sources.{s.value}.{column}" for s in b.sources),
            )


@check("B003", Severity.ERROR, "财政资金部分不应超过预算合计")
def fiscal_within_total(ctx: Context) -> Iterator[Hit]:
    b = ctx.evaluation.budget
    if b.fiscal is None:
        return
    for column, label in COLUMNS.items():
        part = getattr(b.fiscal, column)
        total = getattr(b, column)
        if part is not None and part > total:
            yield Hit(
                f"财政资金{label}{fmt(part)}万元大于部门整体{label}{fmt(total)}万元",
                f"budget.fiscal.{column}", total, part, (f"budget.{column}",),
            )


@check("B004", Severity.WARNING, "资金来源的调整与整体“未调整”矛盾")
def part_adjusted_while_total_not(ctx: Context) -> Iterator[Hit]:
    b = ctx.evaluation.budget
    if b.adjusted != b.initial:
        return
    parts: list[tuple[str, str, BudgetLine]] = [
        (f"budget.sources.{s.value}", FUND_SOURCE_LABELS[s], line) for s, line in b.sources.items()
    ]
    if b.fiscal is not None:
        parts.append(("budget.fiscal", "财政资金", b.fiscal))
    for path, label, line in parts:
        if line.initial is None or line.adjusted is None or line.initial == line.adjusted:
            continue
        change = line.adjusted - line.initial
        yield Hit(
            f"整体预算未调整（年初与全年预算数均为{fmt(b.initial)}万元），但{label}由年初"
            f"{fmt(line.initial)}万元{'调增' if change > 0 else '调减'}至{fmt(line.adjusted)}万元"
            f"（{fmt(change)}万元），应说明其余资金如何相应调整或核实数据",
            f"{path}.adjusted", line.initial, line.adjusted,
            (f"{path}.initial", "budget.adjusted", "budget.initial"),
        )


@check("B005", Severity.WARNING, "执行数超过全年预算数")
def executed_within_budget(ctx: Context) -> Iterator[Hit]:
    b = ctx.evaluation.budget
    if b.executed > b.adjusted:
        yield Hit(
            f"执行数{fmt(b.executed)}万元超过全年预算数{fmt(b.adjusted)}万元，请核实是否超预算支出",
            "budget.executed", b.adjusted, b.executed, ("budget.adjusted",),
        )


def _rate_agrees(stated: Decimal, rounded: Decimal, exact: Decimal) -> bool:
    """A rate written to fewer places than the scorecard's is compared with the exact quotient too: 15.2487%
    is 15.25% on the scorecard, but "15.2%" is its right one-place rounding, not a slip (no double rounding)."""
    return agrees(stated, rounded) or agrees(stated, exact)


@check("B006", Severity.ERROR, "所述预算调整率与计算值不符")
def stated_adjustment_rate(ctx: Context) -> Iterator[Hit]:
    stated = ctx.evaluation.budget.stated.adjustment_rate
    result = ctx.scorecard.budget
    if stated is None:
        return
    if result.adjustment_rate is None:
        yield Hit(
            f"年初预算数为0，预算调整率无法计算，但报告称{fmt(stated)}%",
            "budget.stated.adjustment_rate", None, stated,
        )
    elif not _rate_agrees(stated, result.adjustment_rate, result.adjustment / result.initial * HUNDRED):
        yield Hit(
            f"所述预算调整率为{fmt(stated)}%，但调整数{fmt(result.adjustment)}万元 ÷ 年初预算数"
            f"{fmt(result.initial)}万元 = {fmt(result.adjustment_rate)}%",
            "budget.stated.adjustment_rate", result.adjustment_rate, stated,
            ("budget.adjustment", "budget.initial", "budget.adjusted"),
        )


@check("B007", Severity.ERROR, "所述预算执行率与计算值不符")
def stated_execution_rate(ctx: Context) -> Iterator[Hit]:
    stated = ctx.evaluation.budget.stated.execution_rate
    result = ctx.scorecard.budget
    if stated is None or result.execution_rate is None:
        return
    if not _rate_agrees(stated, result.execution_rate, result.executed / result.adjusted * HUNDRED):
        yield Hit(
            f"所述预算执行率为{fmt(stated)}%，但执行数{fmt(result.executed)}万元 ÷ 全年预算数"
            f"{fmt(result.adjusted)}万元 = {fmt(result.execution_rate)}%",
            "budget.stated.execution_rate", result.execution_rate, stated,
            ("budget.executed", "budget.adjusted"),
        )


@check("B008", Severity.WARNING, "预算执行率偏低须说明原因")
def low_execution_explained(ctx: Context) -> Iterator[Hit]:
    rate = ctx.scorecard.budget.execution_rate
    threshold = ctx.rules.execution.explain_below
    if rate is not None and rate < threshold and not ctx.evaluation.budget.execution_explanation:
        yield Hit(
            f"预算执行率{fmt(rate)}%低于{fmt(threshold)}%，应在“执行率偏低原因”中说明原因",
            "budget.execution_explanation", threshold, rate, ("budget.executed",),
        )


@check("B009", Severity.WARNING, "预算调整幅度较大须说明原因")
def large_adjustment_explained(ctx: Context) -> Iterator[Hit]:
    rate = ctx.scorecard.budget.adjustment_rate
    threshold = ctx.rules.execution.adjustment_explain_above
    if (
        rate is not None
        and abs(rate) > threshold
        and not ctx.evaluation.budget.adjustment_explanation
    ):
        yield Hit(
            f"预算调整率{fmt(rate)}%超过{fmt(threshold)}%，应在“预算调整原因”中说明调整原因",
            "budget.adjustment_explanation", threshold, rate, ("budget.adjusted",),
        )


@check("B010", Severity.ERROR, "全年预算数为0，执行率无法计算")
def zero_budget(ctx: Context) -> Iterator[Hit]:
    if ctx.evaluation.budget.adjusted == 0:
        yield Hit("全年预算数为0，预算执行率无法计算，预算执行按0分计", "budget.adjusted")


@check("B011", Severity.WARNING, "财政资金执行率与整体执行率推出其余资金超支")
def fiscal_execution_consistent(ctx: Context) -> Iterator[Hit]:
    b = ctx.evaluation.budget
    f = b.fiscal
    if f is None or f.adjusted is None or f.executed is None:
        return
    rest_budget = b.adjusted - f.adjusted
    rest_executed = b.executed - f.executed
    if rest_budget < 0 or rest_executed <= rest_budget:
        return
    fiscal_rate = percent(f.executed, f.adjusted)
    rest_rate = percent(rest_executed, rest_budget)
    yield Hit(
        f"财政资金执行率为{fmt(fiscal_rate)}%（{fmt(f.executed)}/{fmt(f.adjusted)}万元），而整体执行率为"
        f"{fmt(ctx.scorecard.budget.execution_rate)}%，意味着其余资金执行{fmt(rest_executed)}万元、超过其预算"
        f"{fmt(rest_budget)}万元（执行率{fmt(rest_rate)}%），请核实执行数",
        "budget.fiscal.executed",
        quantize(rest_budget),
        quantize(rest_executed),
        ("budget.executed", "budget.fiscal.adjusted", "budget.stated.execution_rate"),
    )


def share_text(part: Decimal, whole: Decimal) -> str:
    return f"{fmt(part / whole * HUNDRED)}%" if whole else "—"


@check("B012", Severity.WARNING, "预算未调整，却描述了调整的效果")
def adjustment_narrative_without_adjustment(ctx: Context) -> Iterator[Hit]:
    b = ctx.evaluation.budget
    effect = ctx.evaluation.narrative.adjustment_effect
    if b.adjusted == b.initial and effect and "调整" in effect and not NO_ADJUSTMENT.search(effect):
        yield Hit(
            f"全年预算数与年初预算数相同（{fmt(b.initial)}万元，未作调整），但文字部分描述了预算调整的效果"
            f"（“{effect[:30]}…”），疑为套用模板或往年文字",
            "narrative.adjustment_effect", related=("budget.adjusted",),
        )
