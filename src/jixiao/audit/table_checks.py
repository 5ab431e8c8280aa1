"""Checks of what a 自评表 states against itself: its weights and scores against its own totals.

These need no rule set: a table whose first-level weights add up to 110 under a 总分 of 100
contradicts itself whatever the province's scoring. A table cut off or with rows left out ("……")
can still be shown wrong where what it does state already exceeds its total.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.audit.doc_checks import Collector
from jixiao.audit.facts import Facts, Stmt
from jixiao.core.money import fmt

FULL_MARKS = Decimal(100)


# Instruction text a template carries until someone fills it in.
# Each alternative opens with one literal character: the engine then finds where a match may start
# by that set of characters, not by trying every alternative at every position (4 × faster).
_INSTRUCTIONS = re.compile(r"请(?:据实)?填写|填写说明[:：]?\s*$|\(\s*(?:请)?填写[^)）]{0,20}[)）]|（\s*(?:请)?填写[^)）]{0,20}[)）]"
                           r"|××|XX单位|\(盖章[)）]\s*$|（盖章[)）]\s*$")


def table_unfilled(facts: Facts) -> bool:
    """An indicator table was read and not one of its rows has an actual value or a score."""
    if facts.first("kind.table") is None or not facts.blocks:
        return False
    rows = range(len(facts.blocks))
    return not any(facts.first(f"indicators[{i}].actual") or facts.first(f"indicators[{i}].stated.score") for i in rows)


def unfilled_template(c: Collector) -> None:
    """A017: instructions left where the conclusion belongs, or a table with no actual value and no score."""
    facts = c.facts
    m = _INSTRUCTIONS.search(facts.text.norm)
    if m:
        c.add("A017", f"报告中仍有模板的填写说明“{m.group().strip()}”，疑为未填写完成的模板", (m.start(), m.end()))
    if not table_unfilled(facts):
        return
    first = facts.first("indicators[0].name")
    if facts.first("table.scorecard") is not None:
        c.add("A017", f"评分表的{len(facts.blocks)}个评价指标都没有填写得分，自评尚未完成", first, "indicators")
    elif facts.first("kind.table").value is True:  # type: ignore[union-attr]
        c.add("A017", f"自评表的{len(facts.blocks)}个指标都没有填写实际完成值和得分，自评尚未完成",
              first, "indicators")


def table_checks(c: Collector) -> None:
    unfilled_template(c)
    facts = c.facts
    if facts.first("kind.table") is None:
        return
    total = facts.first("table.total_weight")
    elided = facts.first("table.elided") is not None
    budget = facts.first("budget.weight")
    groups = _groups(c)
    rows = [s for i in range(len(facts.blocks)) if (s := facts.first(f"indicators[{i}].weight")) is not None]
    _group_weights(c, groups, elided)
    _weights_against_total(c, groups, rows, budget, total, elided)
    _scores_against_total(c, elided)
    if facts.first("table.scorecard") is not None:
        _scorecard_items(c, elided)


def _scorecard_items(c: Collector, elided: bool) -> None:
    """A 评分表's own arithmetic: each item's score within its weight, the scores adding up to the total."""
    facts = c.facts
    scores: list[Stmt] = []
    for i, block in enumerate(facts.blocks):
        weight, score = facts.first(f"indicators[{i}].weight"), facts.first(f"indicators[{i}].stated.score")
        if score is None or not isinstance(score.value, Decimal):
            continue
        scores.append(score)
        if weight is not None and isinstance(weight.value, Decimal) and score.value > weight.value:
            c.add("A027", f"评价指标“{block.name}”得分{fmt(score.value)}分，超过其分值{fmt(weight.value)}分",
                  score, f"indicators[{i}].stated.score", weight.value, score.value, [weight])
    total = facts.first("stated.total_score")
    closed = facts.first("table.closed") is not None
    if total is None or not isinstance(total.value, Decimal) or elided or not closed or len(scores) < len(facts.blocks):
        return
    added = _sum(scores)
    if added < total.value:  # more than the total is A016's
        c.add("A028", f"评分表{len(scores)}项得分之和为{fmt(added)}分，与所述总分{fmt(total.value)}分不符",
              total, "stated.total_score", added, total.value, list(scores[:2]))


def _groups(c: Collector) -> list[tuple[str, Stmt, Stmt, int]]:
    """Each group the table heads with a weight: its name, the name's cell, its weight, its level."""
    out = []
    k = 0
    while (category := c.facts.first(f"table.groups[{k}].category")) is not None:
        weight = c.facts.first(f"table.groups[{k}].weight")
        level = c.facts.first(f"table.groups[{k}].level")
        if weight is not None:
            out.append((str(category.value), category, weight, int(str(level.value)) if level is not None else 1))
        k += 1
    return out


def _rows_of(c: Collector, cell: Stmt, level: int) -> list[Stmt]:
    """The weights of the rows under the group whose name is written at `cell`."""
    facts = c.facts
    out = []
    for i in range(len(facts.blocks)):
        under = facts.stmts.get(f"indicators[{i}].level{level}", [])
        weight = facts.first(f"indicators[{i}].weight")
        if weight is not None and any(s.start == cell.start for s in under):
            out.append(weight)
    return out


def _sum(stmts: list[Stmt]) -> Decimal:
    return sum((s.value for s in stmts if isinstance(s.value, Decimal)), Decimal(0))


def _group_weights(c: Collector, groups: list[tuple[str, Stmt, Stmt, int]], elided: bool) -> None:
    for category, cell, weight, level in groups:
        rows = _rows_of(c, cell, level)
        if not rows or not isinstance(weight.value, Decimal):
            continue
        added = _sum(rows)
        whole = not elided and (c.facts.first("table.total_weight") or c.facts.first("table.closed"))
        if added > weight.value or (added < weight.value and whole):
            c.add(
                "A015",
                f"{category}所述分值为{fmt(weight.value)}分，但其下各三级指标分值之和为{fmt(added)}分",
                weight, "indicators", weight.value, added, list(rows[:3]),
            )


def _weights_against_total(
    c: Collector, groups: list[tuple[str, Stmt, Stmt, int]], rows: list[Stmt], budget: Stmt | None,
    total: Stmt | None, elided: bool,
) -> None:
    if total is None or not isinstance(total.value, Decimal):
        return
    groups = [g for g in groups if g[3] == 1]
    parts = [g[2] for g in groups] if groups else rows
    if not parts:
        return
    added = _sum(parts) + (budget.value if budget is not None and isinstance(budget.value, Decimal) else Decimal(0))
    if added > total.value or (added < total.value and not elided and not groups and budget is not None):
        names = "、".join(f"{name}{w.value}分" for name, _, w, _ in groups)
        listed = (f"预算执行率{budget.value}分 + " if budget is not None else "") + (names or "各指标分值")
        c.add(
            "A014",
            f"表中分值合计为{fmt(added)}分（{listed}），但总分所列分值为{fmt(total.value)}分",
            parts[0], "indicators", total.value, added, [total, *( [budget] if budget is not None else [])],
        )


def _scores_against_total(c: Collector, elided: bool) -> None:
    facts = c.facts
    total = facts.first("stated.total_score")
    if total is None or not isinstance(total.value, Decimal):
        return
    scores = [s for i in range(len(facts.blocks)) if (s := facts.first(f"indicators[{i}].stated.score")) is not None]
    execution = facts.first("stated.execution_score")
    added = _sum(scores) + (execution.value if execution is not None and isinstance(execution.value, Decimal) else 0)
    if scores and added > total.value:
        c.add(
            "A016",
            f"表中预算执行得分与各指标得分之和为{fmt(added)}分，超过所述总分{fmt(total.value)}分",
            total, "stated.total_score", added, total.value, [s for s in [execution, *scores[:2]] if s is not None],
        )
    del elided
