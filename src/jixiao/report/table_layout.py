"""The 自评表 as a grid of cells with merges, independent of any file format.

One layout feeds the .xlsx (openpyxl), the Word table (python-docx), HTML and
Markdown, so the form looks the same everywhere and the reader knows what to expect.
Department-level layout: rules.md §3.1 (central/Xinjiang style); project-level: §1.7.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from jixiao.core.model import FUND_SOURCE_LABELS, Evaluation, FundSource, Indicator, IndicatorKind, Kind
from jixiao.core.money import HUNDRED
from jixiao.core.scoring import IndicatorResult, Scorecard
from jixiao.report import text

COLUMNS = 9
# Relative widths (characters) of the nine columns, shared by every renderer.
COLUMN_WIDTHS = (10, 9, 10, 20, 13, 13, 9, 11, 24)


class CellFormat(StrEnum):
    TEXT = "text"
    MONEY = "money"  # 万元, 2 decimals
    PERCENT = "percent"  # value in percent (102.86), shown "102.86%"
    SCORE = "score"
    NUMBER = "number"  # indicator value, shown with its unit


class Role(StrEnum):
    TITLE = "title"
    SUBTITLE = "subtitle"
    HEADER = "header"
    LABEL = "label"
    VALUE = "value"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    col: int
    text: str
    role: Role = Role.VALUE
    value: Decimal | None = None
    format: CellFormat = CellFormat.TEXT
    prefix: str = ""  # shown before a number (the comparator of a target: "≥")
    suffix: str = ""  # shown after a number (its unit: "家")
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class TableLayout:
    title: str
    subtitle: str
    cells: list[Cell] = field(default_factory=list)
    rows: int = 0
    header_rows: int = 2  # repeated on every printed page
    # The grid: the 自评表's nine columns unless a form needs others (the 整改清单 has twelve), and the
    # columns whose long text reads left-aligned.
    widths: tuple[int, ...] = COLUMN_WIDTHS
    text_columns: tuple[int, ...] = (3, 8)

    @property
    def columns(self) -> int:
        return len(self.widths)

    def add(self, row: int, col: int, text_: str, **kw: object) -> Cell:
        cell = Cell(row, col, text_, **kw)  # type: ignore[arg-type]
        self.cells.append(cell)
        self.rows = max(self.rows, row + cell.rowspan)
        return cell

    def rows_of_cells(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right (what HTML needs)."""
        out: list[list[Cell]] = [[] for _ in range(self.rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out

    def grid(self) -> list[list[str]]:
        """Plain text grid with merged areas repeated only in their first cell."""
        out = [["" for _ in range(self.columns)] for _ in range(self.rows)]
        for cell in self.cells:
            out[cell.row][cell.col] = cell.text
        return out


def build_table(evaluation: Evaluation, card: Scorecard) -> TableLayout:
    """The 自评表 of an evaluation: department or project layout by its kind."""
    project = evaluation.kind is Kind.PROJECT
    title = "项目支出绩效自评表" if project else "部门（单位）整体支出绩效自评表"
    t = TableLayout(title=title, subtitle=f"（{evaluation.year}年度）")
    t.add(0, 0, title, role=Role.TITLE, colspan=COLUMNS)
    t.add(1, 0, t.subtitle, role=Role.SUBTITLE, colspan=COLUMNS)
    row = 2
    if project and evaluation.project is not None:
        p = evaluation.project
        t.add(row, 0, "项目名称", role=Role.LABEL, colspan=2)
        t.add(row, 2, p.name, colspan=7)
        row += 1
        t.add(row, 0, "主管部门", role=Role.LABEL, colspan=2)
        t.add(row, 2, p.supervising_department or evaluation.unit.supervising_department or "", colspan=3)
        t.add(row, 5, "实施单位", role=Role.LABEL, colspan=2)
        t.add(row, 7, p.implementing_unit or evaluation.unit.name, colspan=2)
        row += 1
    else:
        t.add(row, 0, "部门（单位）名称", role=Role.LABEL, colspan=2)
        t.add(row, 2, evaluation.unit.name, colspan=7)
        row += 1
        tasks = evaluation.narrative.tasks
        if tasks:
            t.add(row, 0, "年度主要任务", role=Role.LABEL, colspan=2, rowspan=len(tasks) + 1)
            t.add(row, 2, "任务名称", role=Role.HEADER, colspan=2)
            t.add(row, 4, "主要内容", role=Role.HEADER, colspan=5)
            for i, task in enumerate(tasks, start=1):
                t.add(row + i, 2, task.name, colspan=2)
                t.add(row + i, 4, task.content or "", colspan=5)
            row += len(tasks) + 1
    row = _budget_block(t, row, evaluation, card)
    row = _goal_block(t, row, evaluation)
    row = _indicator_block(t, row, evaluation, card)
    t.add(row, 0, "总分", role=Role.TOTAL, colspan=6)
    t.add(row, 6, text.points(card.weight_total), role=Role.TOTAL, value=card.weight_total, format=CellFormat.SCORE)
    t.add(row, 7, text.points(card.total_score), role=Role.TOTAL, value=card.total_score, format=CellFormat.SCORE)
    t.add(row, 8, f"评价等级：{card.grade_text}", role=Role.TOTAL)
    return t


def _budget_sources(evaluation: Evaluation) -> list[FundSource]:
    if evaluation.kind is Kind.PROJECT:
        # The project form always shows its three standard sub-rows (§1.7), blank when unknown.
        wanted = [FundSource.FISCAL, FundSource.CARRIED_OVER, FundSource.OTHER]
        extra = [s for s in evaluation.budget.sources if s not in wanted]
        return wanted + extra
    return list(evaluation.budget.sources)


def _budget_block(t: TableLayout, row: int, evaluation: Evaluation, card: Scorecard) -> int:
    b = card.budget
    sources = _budget_sources(evaluation)
    label = "项目资金（万元）" if evaluation.kind is Kind.PROJECT else "年度部门整体支出预算（万元）"
    t.add(row, 0, label, role=Role.LABEL, rowspan=2 + len(sources))
    t.add(row, 1, "", role=Role.HEADER, colspan=2)
    for col, head in enumerate(("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"), start=3):
        t.add(row, col, head, role=Role.HEADER)
    row += 1
    t.add(row, 1, "年度资金总额", role=Role.LABEL, colspan=2)
    _money(t, row, 3, b.initial)
    _money(t, row, 4, b.adjusted)
    _money(t, row, 5, b.executed)
    t.add(row, 6, text.points(b.weight), value=b.weight, format=CellFormat.SCORE)
    t.add(row, 7, text.percent(b.execution_rate), value=b.execution_rate, format=CellFormat.PERCENT)
    t.add(row, 8, text.points(b.score), value=b.score, format=CellFormat.SCORE)
    row += 1
    for source in sources:
        line = evaluation.budget.sources.get(source)
        t.add(row, 1, f"其中：{FUND_SOURCE_LABELS[source]}", role=Role.LABEL, colspan=2)
        _money(t, row, 3, line.initial if line else None)
        _money(t, row, 4, line.adjusted if line else None)
        _money(t, row, 5, line.executed if line else None)
        t.add(row, 6, "—")
        rate = None
        if line is not None and line.adjusted and line.executed is not None:
            rate = line.executed / line.adjusted * HUNDRED
            rate = rate.quantize(Decimal("0.01"))
        t.add(row, 7, text.percent(rate), value=rate, format=CellFormat.PERCENT)
        t.add(row, 8, "—")
        row += 1
    return row


def _money(t: TableLayout, row: int, col: int, value: Decimal | None) -> None:
    t.add(row, col, "" if value is None else text.money(value), value=value, format=CellFormat.MONEY)


def _goal_block(t: TableLayout, row: int, evaluation: Evaluation) -> int:
    n = evaluation.narrative
    t.add(row, 0, "年度总体目标", role=Role.LABEL, rowspan=2)
    t.add(row, 1, "预期目标", role=Role.HEADER, colspan=4)
    t.add(row, 5, "实际完成情况", role=Role.HEADER, colspan=4)
    t.add(row + 1, 1, n.overall_goal or "", colspan=4)
    t.add(row + 1, 5, n.goal_achievement or "", colspan=4)
    return row + 2


def target_text(ind: Indicator) -> str:
    if ind.kind is IndicatorKind.QUALITATIVE or ind.target is None:
        return ind.target_text or ""
    symbol = text.COMPARATOR_SYMBOLS[ind.comparator] if ind.comparator else ""
    return f"{symbol}{text.number(ind.target)}{ind.unit or ''}"


def actual_text(ind: Indicator) -> str:
    if ind.kind is IndicatorKind.QUALITATIVE or ind.actual is None:
        return ind.actual_text or (ind.band.value if ind.band else "")
    return f"{text.number(ind.actual)}{ind.unit or ''}"


def deviation_text(ind: Indicator) -> str:
    parts = []
    if ind.deviation_reason:
        parts.append(f"偏差原因：{ind.deviation_reason}")
    if ind.improvement:
        parts.append(f"改进措施：{ind.improvement}")
    if not parts and ind.mid_year_note:
        parts.append(f"年中监控偏差原因：{ind.mid_year_note}")
    return "\n".join(parts)


def _indicator_block(t: TableLayout, row: int, evaluation: Evaluation, card: Scorecard) -> int:
    inds = evaluation.indicators
    t.add(row, 0, "绩效指标", role=Role.LABEL, rowspan=len(inds) + 1)
    for col, head in enumerate(
        ("一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成值（B）", "分值", "得分", "偏差原因分析及改进措施"),
        start=1,
    ):
        t.add(row, col, head, role=Role.HEADER)
    first = row + 1
    level1 = [f"{i.level1.value}指标" if i.level1 else "" for i in inds]
    level2 = [f"{a}\x00{i.level2 or ''}" if i.level2 else "" for a, i in zip(level1, inds, strict=True)]
    for col, keys in ((1, level1), (2, level2)):
        for start, span, key in _runs(keys):
            shown = key.split("\x00")[-1]
            t.add(first + start, col, shown, role=Role.LABEL, rowspan=span)
    for i, (ind, result) in enumerate(zip(inds, card.indicators, strict=True)):
        r = first + i
        t.add(r, 3, ind.name)
        _indicator_values(t, r, ind, result)
        t.add(r, 6, text.points(ind.weight), value=ind.weight, format=CellFormat.SCORE)
        t.add(r, 7, text.points(result.score), value=result.score, format=CellFormat.SCORE)
        t.add(r, 8, deviation_text(ind))
    return first + len(inds)


def _indicator_values(t: TableLayout, r: int, ind: Indicator, result: IndicatorResult) -> None:
    quantitative = ind.kind is IndicatorKind.QUANTITATIVE and ind.target is not None
    if quantitative:
        symbol = text.COMPARATOR_SYMBOLS[ind.comparator] if ind.comparator else ""
        t.add(r, 4, target_text(ind), value=ind.target, format=CellFormat.NUMBER, prefix=symbol, suffix=ind.unit or "")
    else:
        t.add(r, 4, target_text(ind))
    if quantitative and ind.actual is not None:
        t.add(r, 5, actual_text(ind), value=ind.actual, format=CellFormat.NUMBER, suffix=ind.unit or "")
    else:
        t.add(r, 5, actual_text(ind))


def _runs(keys: list[str]) -> list[tuple[int, int, str]]:
    """Consecutive equal non-empty keys → (start, length, key); empty keys are never merged."""
    runs: list[tuple[int, int, str]] = []
    i = 0
    while i < len(keys):
        j = i + 1
        while keys[i] and j < len(keys) and keys[j] == keys[i]:
            j += 1
        runs.append((i, j - i, keys[i]))
        i = j
    return runs
