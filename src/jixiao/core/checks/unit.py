"""Checks on the unit's basic facts and the report's completeness."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.core.checks.registry import Context, Hit, check
from jixiao.core.findings import Severity


@check("U001", Severity.ERROR, "行政编制与事业编制之和应等于编制总数")
def staffing_adds_up(ctx: Context) -> Iterator[Hit]:
    s = ctx.evaluation.unit.staffing
    if s.authorized_total is None or s.authorized_administrative is None or s.authorized_institutional is None:
        return
    added = s.authorized_administrative + s.authorized_institutional
    if added != s.authorized_total:
        yield Hit(
            f"行政编制{s.authorized_administrative}名与事业编制{s.authorized_institutional}名之和为{added}名，"
            f"与所述编制总数{s.authorized_total}名不符",
            "unit.staffing.authorized_total", Decimal(s.authorized_total), Decimal(added),
            ("unit.staffing.authorized_administrative", "unit.staffing.authorized_institutional"),
        )


@check("U002", Severity.WARNING, "实有人数超过编制数")
def staff_within_authorized(ctx: Context) -> Iterator[Hit]:
    s = ctx.evaluation.unit.staffing
    authorized = s.authorized_total
    if authorized is None and s.authorized_administrative is not None and s.authorized_institutional is not None:
        authorized = s.authorized_administrative + s.authorized_institutional
    if authorized is not None and s.actual is not None and s.actual > authorized:
        yield Hit(
            f"实有在编人数{s.actual}人超过编制数{authorized}名（在职人员控制率超过100%）",
            "unit.staffing.actual", Decimal(authorized), Decimal(s.actual),
        )


@check("U003", Severity.WARNING, "填报时间不在评价年度之后")
def filled_after_year(ctx: Context) -> Iterator[Hit]:
    filled = ctx.evaluation.filled_date
    year = ctx.evaluation.year
    if filled is not None and not (year < filled.year <= year + 1):
        yield Hit(
            f"填报时间{filled.isoformat()}不在{year}年度结束后的次年，请核实评价年度或填报时间",
            "filled_date",
        )


@check("U004", Severity.INFO, "未填写存在问题或改进措施")
def narrative_complete(ctx: Context) -> Iterator[Hit]:
    n = ctx.evaluation.narrative
    if not n.problems:
        yield Hit("未填写存在的主要问题", "narrative.problems")
    if not n.measures:
        yield Hit("未填写改进措施", "narrative.measures")
