"""What the auditor read and which checks it ran: so a reviewer sees why a finding is or is not there.

`jixiao audit FILE --explain` prints it after the findings (and `--format json --explain` adds it as
"explain"): the document's kind, every table with its header mapping and rows, the claims read
from the prose, and the checks that were not run with the reason (an input the document does not
state, a table cut off, a kind of document that does not state it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.audit.kinds import KIND_LABELS
from jixiao.audit.table_facts import LEVEL1_LABELS
from jixiao.audit.tables import Tables

ROLE_LABELS = {
    "initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数", "weight": "分值", "rate": "执行率",
    "score": "得分", "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
    "actual": "实际完成值", "mid_year": "年中完成值", "reason": "偏差原因", "unit": "计量单位", "comparator": "指标性质", "adjusted_target": "调整指标值",
    "coefficient": "得分系数", "core": "是否核心指标", "seq": "序号", "criteria": "评分标准",
    "forecast": "全年预计数", "likelihood": "完成目标可能性", "light": "预警",
}
ROW_LABELS = {
    "total": "年度资金总额", "fiscal": "财政拨款", "higher_level": "上级资金", "own_level": "本级资金",
    "carried_over": "上年结转", "other": "其他资金",
}


def _n(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def tables_explained(tables: Tables | None, line_of: Any, raw: str = "") -> list[dict[str, Any]]:
    """Each table: where, which columns its header names (in its own order), and what each row gave."""
    if tables is None:
        return []
    out: list[dict[str, Any]] = []
    if raw:
        from jixiao.audit.per_place import read_place_tables

        for place in read_place_tables(raw):
            total = [place.total_column.text] if place.total_column is not None else []
            out.append({
                "table": "分列指标表", "line": line_of(place.start),
                "columns": ["三级指标", *(c.text for c in place.columns), *total],
                "rows": [{"三级指标": r.name.text, "line": line_of(r.name.start),
                          **{c.text: v.text for c, v in zip(place.columns, r.values, strict=True)},
                          **({total[0]: r.total.text} if total and r.total is not None else {}),
                          "各列之和": _n(r.added), "总体目标所述": _n(r.goal[0]) if r.goal else None} for r in place.rows],
            })
    for block in tables.budgets:
        out.append({
            "table": "预算资金", "line": line_of(block.band.start), "unit": block.band.unit or "未写明",
            "columns": [ROLE_LABELS[r] for r in block.band.roles],
            "complete": block.closed,
            "rows": [{"row": ROW_LABELS.get(r.label, r.label), "line": line_of(r.start),
                      **{ROLE_LABELS[k]: _n(v.value) for k, v in r.values.items()}} for r in block.rows],
        })
    for table in tables.indicators:
        out.append({
            "table": "评分表" if table.scorecard else "绩效指标", "line": line_of(table.band.start),
            "columns": [ROLE_LABELS[r] for r in table.band.roles],
            "groups": [{"一级指标" if g.level == 1 else "二级指标": LEVEL1_LABELS.get(g.category, g.category),
                        "分值": _n(g.weight.value) if g.weight else None} for g in table.groups],
            "rows": [{
                "三级指标": r.name, "line": line_of(r.start),
                **({"一级指标": r.level1[0], "二级指标": r.level2[0] if r.level2 else None} if table.scorecard and r.level1 else {}),
                **{ROLE_LABELS[k]: t.text for k, t in r.cells.items()},
                "分值": _n(r.weight.value) if r.weight else None, "得分": _n(r.score.value) if r.score else None,
            } for r in table.rows],
            "总分": {"分值": _n(table.total_weight.value) if table.total_weight else None,
                   "得分": _n(table.total_score.value) if table.total_score else None},
            "等级": table.grade[0] if table.grade else None,
            "elided": table.elided,
        })
    return out


def explained(document_kind: str, tables: list[dict[str, Any]], claims: list[dict[str, object]],
              skipped: list[tuple[tuple[str, ...], str]]) -> dict[str, Any]:
    return {
        "document_kind": document_kind,
        "document_kind_label": KIND_LABELS.get(document_kind, document_kind),
        "tables": tables,
        "claims": claims,
        "skipped_checks": [{"codes": list(codes), "reason": reason} for codes, reason in skipped],
    }


CLAIM_KINDS = {
    "sum": "合计与其中各项", "over_task": "超任务比例", "count": "个数与所列项目", "rate": "比率", "share": "占比",
    "delta": "增减", "unit_cost": "单价×数量", "name": "同名数字", "result": "评价结果", "arithmetic": "算式",
    "progress": "时间进度",
}
CLAIM_INPUTS = {
    "numerator": "分子", "denominator": "分母", "current": "本期", "previous": "上期", "change": "增减额",
    "task": "任务数", "done": "完成数", "unit_cost": "单价", "count": "数量", "first": "首次所述",
}


def claim_line(claim: dict[str, Any]) -> str:
    """One claim as a reviewer reads it: its kind, the stated figure and what it was read against."""
    parts = [f"所述 {claim['stated']}{claim.get('unit', '')}"] if claim.get("stated") not in (None, "") else []
    if claim.get("expression"):  # a written-out calculation reads best as written
        return f"{CLAIM_KINDS['arithmetic']}：{claim['expression']}"
    if claim.get("name"):
        parts.insert(0, f"“{claim['name']}”")
    if claim.get("parts"):
        parts.append("各项 " + " + ".join(claim["parts"]))
    if claim.get("n_items"):
        parts.append(f"共{claim['n_items']}项")
    parts += [f"{CLAIM_INPUTS.get(k, k)} {v}" for k, v in (claim.get("inputs") or {}).items()]
    if claim.get("items"):
        parts.append("所列：" + "、".join(claim["items"]))
    if claim.get("grade"):
        parts.append(f"等级 {claim['grade']}")
    return f"{CLAIM_KINDS.get(claim['kind'], claim['kind'])}：" + "，".join(parts)
