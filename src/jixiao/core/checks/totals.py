"""Checks on the stated execution score, total and grade."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.core.checks.registry import Context, Hit, check
from jixiao.core.findings import Severity
from jixiao.core.money import agrees, fmt


@check("T001", Severity.ERROR, "所述预算执行得分与计算值不符")
def stated_execution_score(ctx: Context) -> Iterator[Hit]:
    stated = ctx.evaluation.stated.execution_score
    result = ctx.scorecard.budget
    if stated is not None and not agrees(stated, result.score):
        yield Hit(
            f"所述预算执行得分{fmt(stated)}分，按规则应得{fmt(result.score)}分（{result.explanation}）",
            "stated.execution_score", result.score, stated, ("budget.executed", "budget.adjusted"),
        )


@check("T002", Severity.ERROR, "所述总分与计算值不符")
def stated_total(ctx: Context) -> Iterator[Hit]:
    stated = ctx.evaluation.stated.total_score
    card = ctx.scorecard
    if stated is not None and not agrees(stated, card.total_score):
        cap = f"，执行率封顶{fmt(card.cap.max_total)}分" if card.cap else ""
        yield Hit(
            f"所述综合得分{fmt(stated)}分，按规则计算为{fmt(card.total_score)}分"
            f"（预算执行{fmt(card.execution_score)}分 + 指标{fmt(card.indicator_total)}分{cap}）",
            "stated.total_score", card.total_score, stated,
        )


@check("T003", Severity.ERROR, "所述总分与所述各项得分之和不符")
def stated_total_adds_up(ctx: Context) -> Iterator[Hit]:
    ev = ctx.evaluation
    parts = [ev.stated.execution_score, *(ind.stated.score for ind in ev.indicators)]
    if ev.stated.total_score is None or any(p is None for p in parts):
        return
    added = sum((p for p in parts if p is not None), Decimal(0))
    if ctx.scorecard.cap is None and not agrees(ev.stated.total_score, added):
        yield Hit(
            f"所述综合得分{fmt(ev.stated.total_score)}分，但所述预算执行得分与各指标得分之和为{fmt(added)}分",
            "stated.total_score", added, ev.stated.total_score,
            ("stated.execution_score", *(f"indicators[{i}].stated.score" for i in range(len(ev.indicators)))),
        )


@check("T004", Severity.ERROR, "所述等级与总分不符")
def stated_grade(ctx: Context) -> Iterator[Hit]:
    ev = ctx.evaluation
    stated = ev.stated.grade
    if stated is None:
        return
    basis = ev.stated.total_score if ev.stated.total_score is not None else ctx.scorecard.total_score
    expected = ctx.rules.grade_for(basis)
    if stated is not expected:
        yield Hit(
            f"评价结果为“{stated.value}”，但{fmt(basis)}分按规则“{ctx.rules.title}”对应“{expected.value}”",
            "stated.grade", related=("stated.total_score",),
        )
