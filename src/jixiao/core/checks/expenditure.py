"""Checks on expenditure: basic + projects, personnel + public, the project list."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.core.checks.registry import Context, Hit, check
from jixiao.core.findings import Severity
from jixiao.core.money import agrees, fmt, percent

ZERO = Decimal(0)


@check("E001", Severity.ERROR, "基本支出与项目支出之和应等于全年预算数")
def basic_plus_projects(ctx: Context) -> Iterator[Hit]:
    e = ctx.evaluation.expenditure
    b = ctx.evaluation.budget
    project_budget = _project_budget(ctx)
    if e.basic is None or project_budget is None:
        return
    added = e.basic.budget + project_budget
    if added != b.adjusted:
        yield Hit(
            f"基本支出{fmt(e.basic.budget)}万元与项目支出{fmt(project_budget)}万元之和为{fmt(added)}万元，"
            f"与全年预算数{fmt(b.adjusted)}万元不符（差{fmt(b.adjusted - added)}万元）",
            "expenditure.basic.budget", b.adjusted, added,
            ("expenditure.project_total.budget", "budget.adjusted"),
        )


@check("E002", Severity.ERROR, "人员经费与公用经费之和应等于基本支出")
def personnel_plus_public(ctx: Context) -> Iterator[Hit]:
    basic = ctx.evaluation.expenditure.basic
    if basic is None or basic.personnel is None or basic.public is None:
        return
    added = basic.personnel + basic.public
    if added != basic.budget:
        yield Hit(
            f"人员经费{fmt(basic.personnel)}万元与公用经费{fmt(basic.public)}万元之和为{fmt(added)}万元，"
            f"与基本支出{fmt(basic.budget)}万元不符",
            "expenditure.basic.budget", basic.budget, added,
            ("expenditure.basic.personnel", "expenditure.basic.public"),
        )


@check("E003", Severity.ERROR, "项目明细之和应等于所述项目合计")
def project_list_adds_up(ctx: Context) -> Iterator[Hit]:
    e = ctx.evaluation.expenditure
    total = e.project_total
    if total is None or not e.projects:
        return
    related = tuple(f"expenditure.projects[{i}]" for i in range(len(e.projects)))
    count = sum(p.count for p in e.projects)
    if total.count is not None and count != total.count:
        yield Hit(
            f"所述共有{total.count}个项目，但分项列出的项目合计{count}个",
            "expenditure.project_total.count", Decimal(total.count), Decimal(count), related,
        )
    budget = sum((p.budget for p in e.projects), ZERO)
    if total.budget is not None and budget != total.budget:
        yield Hit(
            f"所述项目总金额{fmt(total.budget)}万元，但分项预算之和为{fmt(budget)}万元",
            "expenditure.project_total.budget", total.budget, budget, related,
        )
    executed = [p.executed for p in e.projects]
    if total.executed is not None and all(x is not None for x in executed):
        added = sum((x for x in executed if x is not None), ZERO)
        if added != total.executed:
            yield Hit(
                f"所述项目执行金额{fmt(total.executed)}万元，但分项执行数之和为{fmt(added)}万元",
                "expenditure.project_total.executed", total.executed, added, related,
            )


@check("E004", Severity.ERROR, "所述基本支出执行率与计算值不符")
def basic_execution_rate(ctx: Context) -> Iterator[Hit]:
    basic = ctx.evaluation.expenditure.basic
    if basic is None or basic.executed is None or basic.stated.execution_rate is None:
        return
    computed = percent(basic.executed, basic.budget)
    if computed is not None and not agrees(basic.stated.execution_rate, computed):
        yield Hit(
            f"所述基本支出预算执行率为{fmt(basic.stated.execution_rate)}%，但实际支出"
            f"{fmt(basic.executed)}万元 ÷ 预算{fmt(basic.budget)}万元 = {fmt(computed)}%",
            "expenditure.basic.stated.execution_rate", computed, basic.stated.execution_rate,
            ("expenditure.basic.executed", "expenditure.basic.budget"),
        )


@check("E005", Severity.WARNING, "项目执行数超过预算")
def project_over_budget(ctx: Context) -> Iterator[Hit]:
    for i, p in enumerate(ctx.evaluation.expenditure.projects):
        if p.executed is not None and p.executed > p.budget:
            yield Hit(
                f"项目“{p.name}”执行数{fmt(p.executed)}万元超过预算{fmt(p.budget)}万元",
                f"expenditure.projects[{i}].executed", p.budget, p.executed,
            )


@check("E006", Severity.ERROR, "基本支出与项目支出的执行数之和应等于整体执行数")
def executed_adds_up(ctx: Context) -> Iterator[Hit]:
    e = ctx.evaluation.expenditure
    if e.basic is None or e.basic.executed is None:
        return
    project_executed = _project_executed(ctx)
    if project_executed is None:
        return
    added = e.basic.executed + project_executed
    executed = ctx.evaluation.budget.executed
    if added != executed:
        yield Hit(
            f"基本支出执行{fmt(e.basic.executed)}万元与项目支出执行{fmt(project_executed)}万元之和为"
            f"{fmt(added)}万元，与整体执行数{fmt(executed)}万元不符",
            "expenditure.basic.executed", executed, added,
            ("expenditure.project_total.executed", "budget.executed"),
        )


@check("E007", Severity.ERROR, "所述支出总额应等于全年预算数")
def stated_total(ctx: Context) -> Iterator[Hit]:
    total = ctx.evaluation.expenditure.total
    adjusted = ctx.evaluation.budget.adjusted
    if total is not None and total != adjusted:
        yield Hit(
            f"所述全年预算支出金额{fmt(total)}万元与全年预算数{fmt(adjusted)}万元不符",
            "expenditure.total", adjusted, total, ("budget.adjusted",),
        )


def _project_budget(ctx: Context) -> Decimal | None:
    e = ctx.evaluation.expenditure
    if e.project_total is not None and e.project_total.budget is not None:
        return e.project_total.budget
    if e.projects:
        return sum((p.budget for p in e.projects), ZERO)
    return None


def _project_executed(ctx: Context) -> Decimal | None:
    e = ctx.evaluation.expenditure
    if e.project_total is not None and e.project_total.executed is not None:
        return e.project_total.executed
    if e.projects and all(p.executed is not None for p in e.projects):
        return sum((p.executed for p in e.projects if p.executed is not None), ZERO)
    return None
