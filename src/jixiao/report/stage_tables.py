"""The 绩效目标申报表, the 绩效运行监控表 and the 问题整改清单 as table layouts, written as .xlsx/.docx
(read back by `stage_reader`).

Same grid as the 自评表 (`table_layout`): nine columns, labels on the left, one row per
indicator with its code first, so the reader finds every block by its label and every
indicator by its code. The official forms (e.g. 蒙城县 2024 申报表 in ../shared/real-reports)
show 一级/二级/三级指标 and 指标值; jixiao adds the code, weight and basis columns it needs.
The 整改清单 is a list, one row per item, on a wider grid of its own (twelve columns).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from jixiao.core.model import Comparator, IndicatorKind, Kind
from jixiao.core.monitoring import LIGHT_LABELS, MonitoringReport, MonitoringResult, assess
from jixiao.core.rectification import ITEM_STATE_LABELS, SOURCE_LABELS, RectificationList, overdue_items
from jixiao.core.rules import RuleSet
from jixiao.core.targets import DECISION_LABELS, TargetDeclaration
from jixiao.report import text
from jixiao.report.stage_reader import BELOW, MEASURE, OVERDUE, REASON, RECTIFICATION_HEADERS, RECTIFICATION_TITLE
from jixiao.report.table_layout import COLUMNS, CellFormat, Role, TableLayout

TARGET_TITLES = {Kind.PROJECT: "项目支出绩效目标申报表", Kind.DEPARTMENT: "部门（单位）整体支出绩效目标申报表"}
MONITORING_TITLES = {Kind.PROJECT: "项目支出绩效运行监控表", Kind.DEPARTMENT: "部门（单位）整体支出绩效运行监控表"}
TARGET_HEADERS = ("指标编码", "一级指标", "二级指标", "三级指标", "指标值", "分值", "设定依据", "上年实际完成值", "依据说明")
MONITORING_HEADERS = (
    "指标编码", "一级指标", "二级指标", "三级指标", "年度指标值", "截至监控日完成值", "预计全年完成值", "预警", "偏差原因及纠偏措施",
)


def _value_cell(t: TableLayout, row: int, col: int, comparator: Comparator | None, value: Decimal | None,
                value_text: str | None, unit: str | None, **kw: Any) -> None:
    if value is not None:
        prefix = text.COMPARATOR_SYMBOLS[comparator] if comparator else ""
        t.add(row, col, f"{prefix}{text.rate(value)}{unit or ''}", value=value, format=CellFormat.NUMBER,
              prefix=prefix, suffix=unit or "", **kw)
    else:
        t.add(row, col, value_text or "", **kw)


def _head(t: TableLayout, kind: Kind, unit_name: str, project: Any) -> int:
    t.add(0, 0, t.title, role=Role.TITLE, colspan=COLUMNS)
    t.add(1, 0, t.subtitle, role=Role.SUBTITLE, colspan=COLUMNS)
    if kind is Kind.PROJECT and project is not None:
        t.add(2, 0, "项目名称", role=Role.LABEL, colspan=2)
        t.add(2, 2, project.name, colspan=7)
        t.add(3, 0, "主管部门", role=Role.LABEL, colspan=2)
        t.add(3, 2, project.supervising_department or "", colspan=3)
        t.add(3, 5, "实施单位", role=Role.LABEL, colspan=2)
        t.add(3, 7, project.implementing_unit or unit_name, colspan=2)
        return 4
    t.add(2, 0, "部门（单位）名称", role=Role.LABEL, colspan=2)
    t.add(2, 2, unit_name, colspan=7)
    return 3


def targets_layout(declaration: TargetDeclaration) -> TableLayout:
    d = declaration
    t = TableLayout(title=TARGET_TITLES[d.kind], subtitle=f"（{d.year}年度）")
    row = _head(t, d.kind, d.unit.name, d.project)
    t.add(row, 0, "年度资金总额（万元）", role=Role.LABEL, colspan=2)
    t.add(row, 2, text.money(d.budget.total), value=d.budget.total, format=CellFormat.MONEY)
    t.add(row, 3, "其中：财政拨款", role=Role.LABEL)
    t.add(row, 4, text.money(d.budget.fiscal), value=d.budget.fiscal, format=CellFormat.MONEY)
    t.add(row, 5, "其他资金", role=Role.LABEL, colspan=2)
    t.add(row, 7, text.money(d.budget.other), value=d.budget.other, format=CellFormat.MONEY, colspan=2)
    row += 1
    t.add(row, 0, "年度总体目标", role=Role.LABEL, colspan=2)
    t.add(row, 2, d.overall_goal, colspan=7)
    row += 1
    for col, header in enumerate(TARGET_HEADERS):
        t.add(row, col, header, role=Role.HEADER)
    for ind in d.indicators:
        row += 1
        t.add(row, 0, ind.code)
        t.add(row, 1, ind.level1.value)
        t.add(row, 2, ind.level2)
        t.add(row, 3, ind.name)
        _value_cell(t, row, 4, ind.comparator, ind.target, ind.target_text, ind.unit)
        t.add(row, 5, text.points(ind.weight) if ind.weight is not None else "", value=ind.weight, format=CellFormat.SCORE)
        t.add(row, 6, ind.basis.value if ind.basis else "")
        t.add(row, 7, text.rate(ind.last_year_actual) if ind.last_year_actual is not None else "",
              value=ind.last_year_actual, format=CellFormat.SCORE)
        t.add(row, 8, "；".join(x for x in (ind.basis_note, ind.below_last_year_reason and f"{BELOW}{ind.below_last_year_reason}") if x))
    row += 1
    if d.adjustments:
        t.add(row, 0, "目标调整", role=Role.HEADER, colspan=COLUMNS)
        row += 1
        for col, header, span in ((0, "指标编码", 1), (1, "调整后指标值", 3), (4, "调整理由", 3), (7, "审批", 2)):
            t.add(row, col, header, role=Role.HEADER, colspan=span)
        for adj in d.adjustments:
            row += 1
            t.add(row, 0, adj.code)
            _value_cell(t, row, 1, adj.comparator, adj.target, adj.target_text, adj.unit, colspan=3)
            t.add(row, 4, adj.reason, colspan=3)
            t.add(row, 7, DECISION_LABELS[adj.decision], colspan=2)
        row += 1
    return t


def monitoring_layout(report: MonitoringReport, lights: MonitoringResult) -> TableLayout:
    r = report
    t = TableLayout(title=MONITORING_TITLES[r.kind], subtitle=f"（{r.year}年度，截至{r.cut_off.isoformat()}）")
    row = _head(t, r.kind, r.unit.name, r.project)
    t.add(row, 0, "监控轮次", role=Role.LABEL, colspan=2)
    t.add(row, 2, r.round_name or "", colspan=3)
    t.add(row, 5, "监控截止日期", role=Role.LABEL, colspan=2)
    t.add(row, 7, r.cut_off.isoformat(), colspan=2)
    row += 1
    t.add(row, 0, "全年预算数（万元）", role=Role.LABEL, colspan=2)
    t.add(row, 2, text.money(r.budget.annual), value=r.budget.annual, format=CellFormat.MONEY)
    t.add(row, 3, "截至监控日执行数", role=Role.LABEL)
    t.add(row, 4, text.money(r.budget.executed_to_date), value=r.budget.executed_to_date, format=CellFormat.MONEY)
    t.add(row, 5, "执行进度", role=Role.LABEL)
    t.add(row, 6, text.percent(lights.execution_progress), value=lights.execution_progress, format=CellFormat.PERCENT)
    t.add(row, 7, "时间进度", role=Role.LABEL)
    t.add(row, 8, text.percent(lights.time_progress), value=lights.time_progress, format=CellFormat.PERCENT)
    row += 1
    t.add(row, 0, "预计全年执行数（万元）", role=Role.LABEL, colspan=2)
    t.add(row, 2, text.money(r.budget.expected) if r.budget.expected is not None else "", value=r.budget.expected,
          format=CellFormat.MONEY)
    t.add(row, 3, "总体目标完成情况", role=Role.LABEL)
    t.add(row, 4, r.goal_progress or "", colspan=5)
    row += 1
    t.add(row, 0, "预算执行预警", role=Role.LABEL, colspan=2)
    t.add(row, 2, LIGHT_LABELS[lights.budget_light] if lights.budget_light else "—")
    t.add(row, 3, "偏差原因", role=Role.LABEL)
    t.add(row, 4, r.deviation_reason or "", colspan=2)
    t.add(row, 6, "纠偏措施", role=Role.LABEL)
    t.add(row, 7, r.corrective_action or "", colspan=2)
    row += 1
    for col, header in enumerate(MONITORING_HEADERS):
        t.add(row, col, header, role=Role.HEADER)
    for ind, light in zip(r.indicators, lights.indicators, strict=True):
        row += 1
        t.add(row, 0, ind.code)
        t.add(row, 1, ind.level1.value if ind.level1 else "")
        t.add(row, 2, ind.level2 or "")
        t.add(row, 3, ind.name)
        _value_cell(t, row, 4, ind.comparator, ind.target, ind.target_text, ind.unit)
        _value_cell(t, row, 5, None, ind.value_to_date, ind.value_text, ind.unit)
        if ind.kind is IndicatorKind.QUALITATIVE:
            t.add(row, 6, "" if ind.on_track is None else "能完成" if ind.on_track else "不能完成")
        else:
            _value_cell(t, row, 6, None, ind.expected, None, ind.unit)
        shown = "—" if light.light is None else f"{LIGHT_LABELS[light.light]}（{text.percent(light.completion)}）"
        t.add(row, 7, shown)
        t.add(row, 8, "；".join(f"{label}{body}" for label, body in ((REASON, ind.deviation_reason), (MEASURE, ind.corrective_action)) if body))
    return t


RECTIFICATION_WIDTHS = (13, 10, 8, 20, 8, 14, 13, 13, 16, 16, 13, 11)  # dates and codes on one line at 9 pt


def rectification_layout(items: RectificationList, as_of: dt.date) -> TableLayout:
    """One row per item, in the order of the file; the state cell says when an open item is overdue at `as_of`."""
    columns = len(RECTIFICATION_WIDTHS)
    t = TableLayout(title=RECTIFICATION_TITLE, subtitle=f"（{items.year}年度，截至{as_of.isoformat()}）",
                    widths=RECTIFICATION_WIDTHS, text_columns=(3, 5, 8, 9, 10))
    t.add(0, 0, t.title, role=Role.TITLE, colspan=columns)
    t.add(1, 0, t.subtitle, role=Role.SUBTITLE, colspan=columns)
    t.add(2, 0, "清单名称", role=Role.LABEL, colspan=2)
    t.add(2, 2, items.title or "", colspan=4)
    t.add(2, 6, "下发单位", role=Role.LABEL, colspan=2)
    t.add(2, 8, items.issuer or "", colspan=4)
    t.add(3, 0, "整改单位", role=Role.LABEL, colspan=2)
    t.add(3, 2, items.unit or "", colspan=4)
    t.add(3, 6, "下发日期", role=Role.LABEL, colspan=2)
    t.add(3, 8, items.noticed_on.isoformat() if items.noticed_on else "")
    t.add(3, 9, "统计截至日期", role=Role.LABEL)
    t.add(3, 10, as_of.isoformat(), colspan=2)
    for col, header in enumerate(RECTIFICATION_HEADERS):
        t.add(4, col, header, role=Role.HEADER)
    late = {item.code for item in overdue_items(items.items, as_of)}
    row = 4
    for item in items.items:
        row += 1
        state = ITEM_STATE_LABELS[item.state]
        if item.closed_on is not None:
            state += f"（{item.closed_on.isoformat()}）"
        if item.code in late:
            state += f"\n{OVERDUE}{(as_of - item.deadline).days}天"
        for col, value in enumerate((
            item.code, item.unit, SOURCE_LABELS[item.source] if item.source else "", item.problem or "",
            item.indicator_code or "", item.requirement or "", item.noticed_on.isoformat() if item.noticed_on else "",
            item.deadline.isoformat(), item.plan or "", item.feedback or "", item.review_note or "", state,
        )):
            t.add(row, col, value)
    row += 1
    closed = sum(not item.is_open for item in items.items)
    t.add(row, 0, "合计", role=Role.TOTAL, colspan=2)
    t.add(row, 2, f"共{len(items.items)}项：已销号{closed}项，未销号{len(items.items) - closed}项，其中逾期{len(late)}项",
          colspan=columns - 2)
    return t


def stage_layout(model: TargetDeclaration | MonitoringReport | RectificationList, rules: RuleSet,
                 as_of: dt.date | None = None) -> TableLayout:
    """The form of a stage file; a rectification list is shown as of `as_of` (else its own date, else today)."""
    if isinstance(model, TargetDeclaration):
        return targets_layout(model)
    if isinstance(model, RectificationList):
        return rectification_layout(model, as_of or model.as_of or dt.date.today())
    return monitoring_layout(model, assess(model, rules.monitoring))


def write_stage_xlsx(layout: TableLayout, name: str, out: Path | IO[bytes]) -> None:
    from openpyxl import Workbook

    from jixiao.report.table_xlsx import fill_sheet

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    fill_sheet(ws, layout)
    ws.title = layout.title[-7:]  # 绩效目标申报表 / 绩效运行监控表 / 问题整改清单: what the reader looks for
    wb.properties.title = f"{name} {layout.title}"
    wb.properties.creator = "jixiao"
    wb.save(out)


def write_stage_docx(layout: TableLayout, out: Path | IO[bytes]) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    from jixiao.report.docx_table import append_xml, self_table_xml

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.8)
    append_xml(doc, self_table_xml(layout, width_cm=26.0, font_size=10 if layout.columns <= 9 else 9))
    doc.save(out)  # type: ignore[arg-type]


def write_stage_table(model: TargetDeclaration | MonitoringReport | RectificationList, rules: RuleSet, out: Path,
                      as_of: dt.date | None = None) -> None:
    """The 申报表 / 监控表 / 整改清单 as .xlsx or .docx, written atomically."""
    from jixiao.report.write import TABLE_FORMATS, UnsupportedFormat, _atomic

    layout = stage_layout(model, rules, as_of)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        _atomic(out, lambda p: write_stage_xlsx(layout, model.title_name, p))
    elif suffix == ".docx":
        _atomic(out, lambda p: write_stage_docx(layout, p))
    else:
        raise UnsupportedFormat(f"不支持的表格格式“{out.suffix or '无扩展名'}”，支持：{'、'.join(TABLE_FORMATS)}")
