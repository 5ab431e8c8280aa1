"""A unit's 监控表 uploaded into the monitoring report it already has (the one its round created).

The file brings the unit's figures — execution to date, each indicator's value to date, expected
value, 偏差原因 and 纠偏措施 — and they replace the record's as a new version. What came from the
approved targets does not move: a row whose target differs from the approved one, a row that is not
among the targets, another round's cut-off date or another annual budget refuse the whole file,
each problem naming the file and the row or cell, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from jixiao.core.model import Location
from jixiao.core.monitoring import MonitoringIndicator, MonitoringReport
from jixiao.io.errors import InputError, Problem
from jixiao.io.stage_file import StageDocument

# What the unit reports; everything else of an indicator comes from the approved targets.
UNIT_FIGURES = ("value_to_date", "value_text", "expected", "on_track", "deviation_reason", "corrective_action")
# What a monitoring row holds of its target: an upload may repeat these, never change them.
TARGET_CELLS = {"comparator": "比较符", "target": "年度指标值", "target_text": "年度指标值（定性）", "unit": "计量单位"}


class Where:
    """Names a field of the uploaded file: its cell in a form (.xlsx/.docx), its line in YAML/JSON."""

    def __init__(self, locations: dict[str, Location], table: bool) -> None:
        self.locations = locations
        self.table = table

    def problem(self, message: str, *fields: str) -> Problem:
        found = next((self.locations[f] for f in fields if f in self.locations), None)
        if found is None:
            return Problem(message)
        if self.table:  # the form reader's quote is the place itself: 工作表“…”C7 / 表2第5行第3列
            return Problem(f"{found.quote}：{message}")
        return Problem(message, line=found.line)


def _shown(ind: MonitoringIndicator) -> str:
    from jixiao.web.planning.services import shown

    return shown(ind.comparator, ind.target, ind.target_text, ind.unit)


def _changed_target(mine: MonitoringIndicator, theirs: MonitoringIndicator) -> list[str]:
    """The target cells the file states differently from the approved target (a cell left empty is no change)."""
    changed = []
    for field, label in TARGET_CELLS.items():
        stated = getattr(theirs, field)
        if stated not in (None, "") and stated != getattr(mine, field):  # Decimal: 100 == 100.00
            changed.append(label)
    return changed


def merged_report(current: MonitoringReport, document: StageDocument, source: str, table: bool) -> tuple[MonitoringReport, list[str]]:
    """The record's report with the uploaded figures in; InputError(source) listing every refused row.
    Also returns the names of the record's indicators the file left out (they keep their values)."""
    uploaded = document.model
    if not isinstance(uploaded, MonitoringReport):
        raise InputError(source, [Problem("上传的文件不是绩效运行监控表（stage: monitoring 的 YAML/JSON，或 jixiao 导出的绩效监控表 .xlsx/.docx）")])
    if document.codes_from_names:  # a form without 指标编码: its rows are this report's by their names
        from jixiao.core.chain import adopt_codes

        uploaded = adopt_codes(uploaded, current)
    where = Where(document.locations, table)
    problems: list[Problem] = []
    if uploaded.year != current.year:
        problems.append(where.problem(f"年度 {uploaded.year} 与本监控表的 {current.year} 年不一致", "year"))
    if uploaded.cut_off != current.cut_off:
        problems.append(where.problem(
            f"监控截止日期 {uploaded.cut_off.isoformat()} 与本轮的 {current.cut_off.isoformat()} 不一致，请上传本轮的监控表", "cut_off"))
    if uploaded.budget.annual != current.budget.annual:
        problems.append(where.problem(
            f"全年预算数 {uploaded.budget.annual} 万元与批准的 {current.budget.annual} 万元不一致；全年预算数来自批准的绩效目标，不能在监控表中修改",
            "budget.annual"))
    by_code = {ind.code: ind for ind in current.indicators}
    figures: dict[str, dict[str, Any]] = {}
    for i, theirs in enumerate(uploaded.indicators):
        row = f"指标“{theirs.code} {theirs.name}”"
        mine = by_code.get(theirs.code)
        if mine is None:
            problems.append(where.problem(
                f"{row}不在本监控表中；监控表的指标来自批准的绩效目标，不能新增", f"indicators[{i}].code", f"indicators[{i}]"))
            continue
        if theirs.code in figures:
            problems.append(where.problem(f"{row}出现了两次", f"indicators[{i}].code", f"indicators[{i}]"))
            continue
        changed = _changed_target(mine, theirs)
        if changed:
            problems.append(where.problem(
                f"{row}的{'、'.join(changed)}为“{_shown(theirs)}”，与批准的目标“{_shown(mine)}”不一致；"
                "目标已锁定，不能在监控表中修改，如需改变请在绩效目标中申请调整",
                f"indicators[{i}].target", f"indicators[{i}]"))
            continue
        figures[theirs.code] = {field: getattr(theirs, field) for field in UNIT_FIGURES}
    if problems:
        raise InputError(source, problems)
    indicators = [ind.model_copy(update=figures[ind.code]) if ind.code in figures else ind for ind in current.indicators]
    budget = current.budget.model_copy(update={"executed_to_date": uploaded.budget.executed_to_date, "expected": uploaded.budget.expected})
    merged = current.model_copy(update={
        "budget": budget, "indicators": indicators, "deviation_reason": uploaded.deviation_reason,
        "corrective_action": uploaded.corrective_action, "goal_progress": uploaded.goal_progress,
    })
    left_out = [ind.name for ind in current.indicators if ind.code not in figures]
    return MonitoringReport.model_validate(merged.model_dump()), left_out
