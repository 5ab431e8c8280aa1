"""The 绩效目标申报表 and the 绩效运行监控表 as table layouts, written as .xlsx/.docx and read back.

Same grid as the 自评表 (`table_layout`): nine columns, labels on the left, one row per
indicator with its code first, so the reader finds every block by its label and every
indicator by its code. The official forms (e.g. 蒙城县 2024 申报表 in ../shared/real-reports)
show 一级/二级/三级指标 and 指标值; jixiao adds the code, weight and basis columns it needs.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from jixiao.core.model import Comparator, IndicatorKind, Kind, Location
from jixiao.core.monitoring import LIGHT_LABELS, MonitoringReport, MonitoringResult, assess
from jixiao.core.rules import RuleSet
from jixiao.core.targets import DECISION_LABELS, Basis, Decision, TargetDeclaration
from jixiao.io.errors import InputError, Problem
from jixiao.io.pydantic_errors import problems_from
from jixiao.io.stage_file import SNIFFERS, StageDocument
from jixiao.report import text
from jixiao.report.table_layout import COLUMNS, CellFormat, Role, TableLayout

TARGET_TITLES = {Kind.PROJECT: "项目支出绩效目标申报表", Kind.DEPARTMENT: "部门（单位）整体支出绩效目标申报表"}
MONITORING_TITLES = {Kind.PROJECT: "项目支出绩效运行监控表", Kind.DEPARTMENT: "部门（单位）整体支出绩效运行监控表"}
TARGET_HEADERS = ("指标编码", "一级指标", "二级指标", "三级指标", "指标值", "分值", "设定依据", "上年实际完成值", "依据说明")
MONITORING_HEADERS = (
    "指标编码", "一级指标", "二级指标", "三级指标", "年度指标值", "截至监控日完成值", "预计全年完成值", "预警", "偏差原因及纠偏措施",
)
REASON, MEASURE = "偏差原因：", "纠偏措施："


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
        t.add(row, 8, "；".join(x for x in (ind.basis_note, ind.below_last_year_reason and f"低于上年理由：{ind.below_last_year_reason}") if x))
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


def stage_layout(model: TargetDeclaration | MonitoringReport, rules: RuleSet) -> TableLayout:
    if isinstance(model, TargetDeclaration):
        return targets_layout(model)
    return monitoring_layout(model, assess(model, rules.monitoring))


def write_stage_xlsx(layout: TableLayout, name: str, out: Path | IO[bytes]) -> None:
    from openpyxl import Workbook

    from jixiao.report.table_xlsx import fill_sheet

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    fill_sheet(ws, layout)
    ws.title = layout.title[-7:]  # 绩效目标申报表 / 绩效运行监控表: what the reader looks for
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
    append_xml(doc, self_table_xml(layout, width_cm=26.0, font_size=10))
    doc.save(out)  # type: ignore[arg-type]


# ---- reading back ---------------------------------------------------------------------------

_YEAR = re.compile(r"(\d{4})\s*年度")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
LEVEL1_LABELS = {"产出", "效益", "满意度", "投入", "过程", "效果", "决策", "管理", "绩效"}
BASIS_LABELS = {b.value for b in Basis}
DECISION_BY_LABEL = {label: decision for decision, label in DECISION_LABELS.items()}


def sniff_stage_xlsx(path: Path) -> StageDocument | None:
    """A 申报表 or 监控表 workbook read back; None when the workbook is something else (a 自评表)."""
    if path.suffix.lower() != ".xlsx":
        return None
    from jixiao.report.xlsx_cells import open_workbook
    from jixiao.report.xlsx_reader import _Sheet

    source = str(path)
    with open_workbook(path) as wb:
        for title in wb.sheetnames:
            sheet = _Sheet(wb.sheet(title), source)
            heading = sheet.text(1, 1)
            if heading.endswith("绩效目标申报表"):
                return _validated(sheet, TargetDeclaration, _read_targets(sheet))
            if heading.endswith("绩效运行监控表"):
                return _validated(sheet, MonitoringReport, _read_monitoring(sheet))
    return None


def _validated(sheet: Any, model_type: type[TargetDeclaration] | type[MonitoringReport],
               read: tuple[dict[str, Any], dict[str, str]]) -> StageDocument:
    data, cells = read
    if sheet.problems:
        raise InputError(sheet.source, sheet.problems)
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        problems = []
        for p in problems_from(exc, {}):
            where = cells.get(p.field or "") or next((c for f, c in cells.items() if p.field and p.field.startswith(f)), "")
            problems.append(Problem(f"{where}：{p.message}" if where else p.message, field=p.field))
        raise InputError(sheet.source, problems) from None
    locations = {f: Location(line=int(re.sub(r"\D", "", ref.rsplit(" ", 1)[-1]) or 1), quote=ref) for f, ref in cells.items()}
    return StageDocument(model, locations)


def _label_value(sheet: Any, label: str) -> tuple[str, int, int]:
    found = sheet.find(label)
    if found is None:
        return "", 0, 0
    value, col = sheet.right_of(*found)
    return value, found[0], col


def _common(sheet: Any, stage: str) -> dict[str, Any]:
    title = sheet.text(1, 1)
    year = _YEAR.search(sheet.text(2, 1))
    if year is None:
        sheet.problems.append(Problem(f"{sheet.where(2, 1)}：未找到“XXXX年度”"))
    data: dict[str, Any] = {"stage": stage, "year": int(year.group(1)) if year else None}
    project_name, _, _ = _label_value(sheet, "项目名称")
    if title.startswith("项目"):
        data["kind"] = Kind.PROJECT.value
        implementing, _, _ = _label_value(sheet, "实施单位")
        supervising, _, _ = _label_value(sheet, "主管部门")
        data["project"] = {"name": project_name, "supervising_department": supervising or None, "implementing_unit": implementing or None}
        data["unit"] = {"name": implementing or project_name}
    else:
        data["kind"] = Kind.DEPARTMENT.value
        data["unit"] = {"name": _label_value(sheet, "部门（单位）名称")[0]}
    return data


def _value(sheet: Any, row: int, col: int) -> dict[str, Any]:
    """comparator / target / unit from a value cell, or the text of a qualitative one."""
    from jixiao.report.xlsx_reader import _parse_value

    parsed = _parse_value(sheet.value(row, col), sheet.number_format(row, col))
    if parsed is None:
        shown = sheet.text(row, col)
        return {"target_text": shown} if shown else {}
    comparator, number, unit = parsed
    return {"comparator": comparator, "target": number, "unit": unit or None}


def _header_row(sheet: Any, first: str) -> int:
    found = sheet.find(first, start_row=3)
    return found[0] if found else 0


def _read_targets(sheet: Any) -> tuple[dict[str, Any], dict[str, str]]:
    data = _common(sheet, "targets")
    cells: dict[str, str] = {}
    total = sheet.find("年度资金总额")
    budget: dict[str, Any] = {}
    if total:
        row = total[0]
        budget = {"total": sheet.number(row, 3, "年度资金总额", required=True),
                  "fiscal": sheet.number(row, 5, "财政拨款"), "other": sheet.number(row, 8, "其他资金")}
        cells["budget"] = sheet.where(row, 3)
    data["budget"] = budget
    data["overall_goal"], goal_row, goal_col = _label_value(sheet, "年度总体目标")
    if goal_row:
        cells["overall_goal"] = sheet.where(goal_row, goal_col)
    header = _header_row(sheet, "指标编码")
    indicators: list[dict[str, Any]] = []
    row = header + 1
    while header and row <= sheet.ws.max_row and sheet.text(row, 2) in LEVEL1_LABELS:
        i = len(indicators)
        ind: dict[str, Any] = {"code": sheet.text(row, 1), "level1": sheet.text(row, 2), "level2": sheet.text(row, 3),
                               "name": sheet.text(row, 4), **_value(sheet, row, 5)}
        if "target_text" in ind:
            ind["kind"] = IndicatorKind.QUALITATIVE.value
        ind["weight"] = sheet.number(row, 6, "分值")
        basis = sheet.text(row, 7)
        ind["basis"] = basis if basis in BASIS_LABELS else None
        ind["last_year_actual"] = sheet.number(row, 8, "上年实际完成值")
        note = sheet.text(row, 9)
        if "低于上年理由：" in note:
            note, reason = note.split("低于上年理由：", 1)
            ind["below_last_year_reason"] = reason
        ind["basis_note"] = note.rstrip("；") or None
        for name, col in (("code", 1), ("name", 4), ("target", 5), ("weight", 6)):
            cells[f"indicators[{i}].{name}"] = sheet.where(row, col)
        cells[f"indicators[{i}]"] = sheet.where(row, 1)
        indicators.append(ind)
        row += 1
    data["indicators"] = indicators
    adjust = sheet.find("调整后指标值", start_row=row)
    adjustments: list[dict[str, Any]] = []
    if adjust:
        row = adjust[0] + 1
        while row <= sheet.ws.max_row and sheet.text(row, 1):
            values = _value(sheet, row, 2)
            adjustments.append({"code": sheet.text(row, 1), **values, "reason": sheet.text(row, 5),
                                "decision": DECISION_BY_LABEL.get(sheet.text(row, 8), Decision.PENDING).value})
            cells[f"adjustments[{len(adjustments) - 1}]"] = sheet.where(row, 1)
            row += 1
    data["adjustments"] = adjustments
    return data, cells


def _split_notes(notes: str) -> dict[str, str]:
    """"偏差原因：…；纠偏措施：…" back into its two fields (text without labels is the reason)."""
    parts = re.split(f"({REASON}|{MEASURE})", notes)
    if len(parts) == 1:
        return {"deviation_reason": notes} if notes else {}
    keys = {REASON: "deviation_reason", MEASURE: "corrective_action"}
    return {keys[label]: body.strip().rstrip("；") for label, body in zip(parts[1::2], parts[2::2], strict=True) if body.strip()}


def _read_monitoring(sheet: Any) -> tuple[dict[str, Any], dict[str, str]]:
    data = _common(sheet, "monitoring")
    cells: dict[str, str] = {}
    data["round_name"] = _label_value(sheet, "监控轮次")[0] or None
    cut_off, row, col = _label_value(sheet, "监控截止日期")
    match = _DATE.search(cut_off)
    data["cut_off"] = dt.date(*map(int, match.groups())).isoformat() if match else cut_off
    cells["cut_off"] = sheet.where(row, col) if row else ""
    annual = sheet.find("全年预算数")
    if annual:
        r = annual[0]
        data["budget"] = {"annual": sheet.number(r, 3, "全年预算数", required=True),
                          "executed_to_date": sheet.number(r, 5, "截至监控日执行数", required=True)}
        cells["budget"] = sheet.where(r, 3)
    expected = sheet.find("预计全年执行数")
    if expected and "budget" in data:
        data["budget"]["expected"] = sheet.number(expected[0], 3, "预计全年执行数")
    data["goal_progress"] = _label_value(sheet, "总体目标完成情况")[0] or None
    warn = sheet.find("预算执行预警")
    if warn:
        data["deviation_reason"] = sheet.text(warn[0], 5) or None
        data["corrective_action"] = sheet.text(warn[0], 8) or None
    header = _header_row(sheet, "指标编码")
    indicators: list[dict[str, Any]] = []
    row = header + 1
    while header and row <= sheet.ws.max_row and sheet.text(row, 1):
        i = len(indicators)
        target = _value(sheet, row, 5)
        ind: dict[str, Any] = {"code": sheet.text(row, 1), "level1": sheet.text(row, 2) or None,
                               "level2": sheet.text(row, 3) or None, "name": sheet.text(row, 4), **target}
        to_date = _value(sheet, row, 6)
        if "target_text" in target:
            ind["kind"] = IndicatorKind.QUALITATIVE.value
            ind["value_text"] = to_date.get("target_text")
            on_track = sheet.text(row, 7)
            ind["on_track"] = {"能完成": True, "不能完成": False}.get(on_track)
        else:
            ind["value_to_date"] = to_date.get("target")
            ind["expected"] = _value(sheet, row, 7).get("target")
        ind.update(_split_notes(sheet.text(row, 9)))
        cells[f"indicators[{i}]"] = sheet.where(row, 1)
        cells[f"indicators[{i}].value_to_date"] = sheet.where(row, 6)
        indicators.append(ind)
        row += 1
    data["indicators"] = indicators
    return data, cells


# Importing this module makes every command (score, check, table) accept the two workbooks.
SNIFFERS.append(sniff_stage_xlsx)


def write_stage_table(model: TargetDeclaration | MonitoringReport, rules: RuleSet, out: Path) -> None:
    """The 申报表 / 监控表 as .xlsx or .docx, written atomically."""
    from jixiao.report.write import TABLE_FORMATS, UnsupportedFormat, _atomic

    layout = stage_layout(model, rules)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        _atomic(out, lambda p: write_stage_xlsx(layout, model.title_name, p))
    elif suffix == ".docx":
        _atomic(out, lambda p: write_stage_docx(layout, p))
    else:
        raise UnsupportedFormat(f"不支持的表格格式“{out.suffix or '无扩展名'}”，支持：{'、'.join(TABLE_FORMATS)}")
