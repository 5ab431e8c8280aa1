"""The 绩效目标申报表, 绩效运行监控表 and 问题整改清单 read back from .xlsx or .docx, like the 自评表.

The sheet (or Word table) is recognised by its title in the first rows; every block is found by its
label and every column of the indicator table by its header, so a form someone edited by hand still
reads: blank rows between indicators, cells merged down (一级指标 once for its rows), numbers typed
as text ("20", "≥95%", "1,200.00"). What cannot be read is a problem naming the sheet or table and
the cell; `jixiao check` then exits 2.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao.core.chain import code_from_names
from jixiao.core.model import IndicatorKind, Kind, Location
from jixiao.core.monitoring import MonitoringReport
from jixiao.core.rectification import ITEM_STATE_LABELS, RectificationList
from jixiao.core.targets import DECISION_LABELS, Basis, Decision, TargetDeclaration
from jixiao.io.errors import InputError, Problem
from jixiao.io.pydantic_errors import problems_from
from jixiao.io.stage_file import SNIFFERS, StageDocument
from jixiao.report.xlsx_reader import WordTable, _norm, _parse_value, _Sheet, form_title

TARGET_TITLE, MONITORING_TITLE, RECTIFICATION_TITLE = "绩效目标申报表", "绩效运行监控表", "问题整改清单"
REASON, MEASURE = "偏差原因：", "纠偏措施："
OVERDUE = "已逾期"
BELOW = "低于上年理由："
_YEAR = re.compile(r"(\d{4})\s*年度")
_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_ROW = re.compile(r"第(\d+)行|[A-Z]+(\d+)$")
LEVEL1_LABELS = {"产出", "效益", "满意度", "投入", "过程", "效果", "决策", "管理", "绩效"}
BASIS_LABELS = {b.value for b in Basis}
DECISION_BY_LABEL = {label: decision for decision, label in DECISION_LABELS.items()}

# Header of each column of the indicator table → its key; the first label is the one jixiao writes.
TARGET_COLUMNS = {
    "code": ("指标编码", "编码"), "level1": ("一级指标",), "level2": ("二级指标",), "name": ("三级指标", "指标名称"),
    "target": ("指标值", "年度指标值", "目标值"), "weight": ("分值", "权重", "指标分值"),
    "basis": ("设定依据", "指标值设定依据"), "last_year": ("上年实际完成值", "上年实际值"), "note": ("依据说明", "备注"),
}
# No 指标编码 column is needed: many official forms have none, and their rows are known by their names.
TARGET_REQUIRED = ("level1", "level2", "name", "target")
MONITORING_COLUMNS = {
    "code": ("指标编码", "编码"), "level1": ("一级指标",), "level2": ("二级指标",), "name": ("三级指标", "指标名称"),
    "target": ("年度指标值", "指标值"), "to_date": ("截至监控日完成值", "截至监控日实际完成值", "实际完成值"),
    "expected": ("预计全年完成值", "全年预计完成值"), "notes": ("偏差原因及纠偏措施", "偏差原因"),
}
MONITORING_REQUIRED = ("name", "target", "to_date")
RECTIFICATION_HEADERS = (
    "事项编号", "整改单位", "问题来源", "存在的问题", "涉及指标", "整改要求", "下发日期", "整改期限", "整改方案", "整改结果",
    "复核意见", "整改状态",
)
RECTIFICATION_COLUMNS = {
    "code": ("事项编号", "编号", "序号"), "unit": ("整改单位", "责任单位"), "source": ("问题来源", "来源"),
    "problem": ("存在的问题", "问题", "问题描述", "存在问题"), "indicator_code": ("涉及指标", "涉及指标编码"),
    "requirement": ("整改要求",), "noticed_on": ("下发日期", "通知日期"), "deadline": ("整改期限", "整改时限", "完成时限"),
    "plan": ("整改方案", "整改措施"), "feedback": ("整改结果", "整改结果反馈", "整改情况", "完成情况"),
    "review_note": ("复核意见",), "state": ("整改状态", "状态"),
}
RECTIFICATION_REQUIRED = ("code", "unit", "problem", "deadline")


def _named(sheet: _Sheet) -> str:
    return sheet.ws.title if isinstance(sheet, WordTable) else f"工作表“{sheet.ws.title}”"


def _sheets(path: Path) -> Iterator[_Sheet]:
    source = str(path)
    if path.suffix.lower() == ".docx":
        from jixiao.report.docx_cells import read_docx_tables

        for table in read_docx_tables(path, source):
            yield WordTable(table, source)
        return
    from jixiao.report.xlsx_cells import open_workbook

    with open_workbook(path) as wb:
        for title in wb.sheetnames:
            yield _Sheet(wb.sheet(title), source)


def sniff_stage_table(path: Path) -> StageDocument | None:
    """A 申报表, 监控表 or 整改清单 (.xlsx or .docx) read back; None for a file that is something else (a 自评表)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        return None
    for sheet in _sheets(path):
        stage, title = form_title(sheet) or ("", "")
        if stage == "targets":
            return _validated(sheet, TargetDeclaration, _read_targets(sheet, title))
        if stage == "monitoring":
            return _validated(sheet, MonitoringReport, _read_monitoring(sheet, title))
        if stage == "rectification":
            return _validated(sheet, RectificationList, _read_rectification(sheet))
    return None  # not a stage's form: the 自评表 readers (.xlsx, .docx) say what it is not


def _line(ref: str) -> int:
    match = _ROW.search(ref)
    return int(match.group(1) or match.group(2)) if match else 1


def _validated(sheet: _Sheet, model_type: type[TargetDeclaration] | type[MonitoringReport] | type[RectificationList],
               read: tuple[dict[str, Any], dict[str, str]]) -> StageDocument:
    data, cells = read
    if sheet.problems:
        raise InputError(sheet.source, sheet.problems)
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        problems = []
        for p in problems_from(exc, {}):
            field = p.field or ""
            # The most specific cell known for the field: indicators[2].weight, else indicators[2] …
            where = next((cells[f] for f in sorted(cells, key=len, reverse=True)
                          if field == f or field.startswith(f + ".") or field.startswith(f + "[")), "")
            problems.append(Problem(f"{where}：{p.message}" if where else p.message, field=p.field))
        raise InputError(sheet.source, problems) from None
    return StageDocument(model, {f: Location(line=_line(ref), quote=ref) for f, ref in cells.items()},
                         codes_from_names=sheet.codes_from_names)


# ---- labelled values ----------------------------------------------------------------------------


LABELS = tuple(_norm(label) for label in (
    "项目名称", "主管部门", "实施单位", "部门（单位）名称", "年度资金总额", "其中：财政拨款", "财政拨款", "其他资金", "年度总体目标",
    "监控轮次", "监控截止日期", "全年预算数", "截至监控日执行数", "执行进度", "时间进度", "预计全年执行数", "总体目标完成情况",
    "预算执行预警", "偏差原因", "纠偏措施", "清单名称", "下发单位", "整改单位", "下发日期", "统计截至日期",
))


def _beside(sheet: _Sheet, row: int, col: int) -> int:
    """The column of a label's value: the first filled cell to its right (past the label's own merged area),
    or the cell next to it when the first filled one is the next label (the value was left blank)."""
    adjacent = 0
    for c in range(col + 1, sheet.ws.max_column + 1):
        if sheet._at(row, c) == sheet._at(row, col):
            continue
        adjacent = adjacent or c
        text = _norm(sheet.text(row, c))
        if text:
            return adjacent if text.startswith(LABELS) else c
    return adjacent


def _labelled(sheet: _Sheet, *labels: str) -> tuple[int, int] | None:
    """(row, column) of the value beside the first of `labels` found; None when the label is missing."""
    found = sheet.find(*labels)
    if found is None:
        return None
    col = _beside(sheet, *found)
    return (found[0], col) if col else None


def _text_of(sheet: _Sheet, *labels: str) -> str:
    at = _labelled(sheet, *labels)
    return sheet.text(*at) if at else ""


def _number_of(sheet: _Sheet, cells: dict[str, str], field: str, what: str, *labels: str, required: bool = False) -> Any:
    at = _labelled(sheet, *labels)
    if at is None:
        if required:
            sheet.problems.append(Problem(f"{_named(sheet)}：未找到“{labels[0]}”"))
        return None
    cells[field] = sheet.where(*at)
    return sheet.number(*at, what, required=required)


def _year(sheet: _Sheet, cells: dict[str, str]) -> int | None:
    """The year in the form's first rows ("（2025年度）"); a problem when there is none."""
    for row, row_cells in sheet.ws.rows():
        if row > 5:
            break
        for col, _ in row_cells:
            match = _YEAR.search(sheet.text(row, col))
            if match:
                cells["year"] = sheet.where(row, col)
                return int(match.group(1))
    sheet.problems.append(Problem(f"{sheet.where(2, 1)}：未找到年度（如“（2025年度）”）"))
    return None


def _common(sheet: _Sheet, title: str, stage: str, cells: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"stage": stage, "year": _year(sheet, cells)}
    if title.startswith("项目"):
        name = _text_of(sheet, "项目名称")
        implementing = _text_of(sheet, "实施单位")
        data["kind"] = Kind.PROJECT.value
        data["project"] = {"name": name, "supervising_department": _text_of(sheet, "主管部门") or None,
                           "implementing_unit": implementing or None}
        data["unit"] = {"name": implementing or name}
        at = _labelled(sheet, "项目名称")
        if at:
            cells["project"] = cells["unit"] = sheet.where(*at)
    else:
        data["kind"] = Kind.DEPARTMENT.value
        data["unit"] = {"name": _text_of(sheet, "部门（单位）名称", "部门名称", "单位名称")}
        at = _labelled(sheet, "部门（单位）名称", "部门名称", "单位名称")
        if at:
            cells["unit"] = sheet.where(*at)
    return data


# ---- the indicator table ------------------------------------------------------------------------


def _columns(sheet: _Sheet, wanted: dict[str, tuple[str, ...]], required: tuple[str, ...],
             anchors: tuple[str, ...] = ("三级指标", "指标名称"), what: str = "绩效指标表头") -> tuple[int, dict[str, int]]:
    """The header row of the form's table (the row with one of `anchors`) and each key's column; a problem
    naming the row when one is missing."""
    found = sheet.find(*anchors, start_row=2)
    if found is None:
        sheet.problems.append(Problem(f"{_named(sheet)}：未找到{what}（“{anchors[0]}”）"))
        return 0, {}
    row = found[0]
    columns: dict[str, int] = {}
    for col in range(1, sheet.ws.max_column + 1):
        if not sheet.is_origin(row, col):
            continue
        head = _norm(sheet.text(row, col))
        for key, labels in wanted.items():
            if key not in columns and head in labels:
                columns[key] = col
    missing = [wanted[key][0] for key in required if key not in columns]
    if missing:
        sheet.problems.append(Problem(f"{sheet.where(row, 1)}（表头行）：未找到列 {'、'.join(missing)}"))
    return row, columns


TOTALS = ("合计", "总计", "总分")  # the row some forms end their indicator table with


def _is_total(text: str) -> bool:
    """"合计", "总分" or "合计：100分" — not an indicator that merely begins so ("总计划完成率")."""
    shown = _norm(text)
    return shown in TOTALS or shown.startswith(("合计：", "合计:"))


def _indicator_rows(sheet: _Sheet, header: int, columns: dict[str, int], stop: tuple[str, ...] = ()) -> Iterator[int]:
    """Each row of the indicator table below its header: blank rows skipped; it ends at a row whose lead cell
    (the code's, else the table's first column) spans into the next column of the table (a section such as
    目标调整, a note) or at one of the `stop` labels. Without a code column a row is an indicator by its name."""
    name = columns["name"]
    lead = columns.get("code") or min(columns.values())
    beyond = sorted(c for c in columns.values() if c > lead)
    other = name if lead != name else (beyond[0] if beyond else name)
    for row in range(header + 1, sheet.ws.max_row + 1):
        lead_text = sheet.text(row, lead)
        if any(_norm(lead_text).startswith(label) for label in stop) or _is_total(lead_text) or _is_total(sheet.text(row, name)):
            return
        if lead_text and other != lead and sheet._at(row, lead) == sheet._at(row, other):
            return
        if not sheet.text(row, name) and ("code" not in columns or not lead_text):
            continue
        yield row


def _codes_from_names(sheet: _Sheet, indicators: list[dict[str, Any]], rows: list[int], columns: dict[str, int]) -> None:
    """Without a code column each indicator is known by its 一级/二级/三级 names: its code is made from them;
    two rows with the same names cannot be told apart, and are named."""
    if "code" in columns:
        return
    sheet.codes_from_names = True
    seen: dict[str, int] = {}
    for ind, row in zip(indicators, rows, strict=True):
        ind["code"] = code_from_names(ind.get("level1"), ind.get("level2"), ind.get("name") or "")
        if ind["code"] in seen:
            sheet.problems.append(Problem(
                f"{sheet.where(row, columns['name'])}：与{sheet.where(seen[ind['code']], columns['name'])}的一级、二级、三级指标相同；"
                "表中没有指标编码列时凭指标名称区分各行，请改名或加“指标编码”列"))
        seen.setdefault(ind["code"], row)


def _value(sheet: _Sheet, row: int, col: int) -> dict[str, Any]:
    """comparator / target / unit from a value cell, or the text of a qualitative one."""
    parsed = _parse_value(sheet.value(row, col), sheet.number_format(row, col))
    if parsed is None:
        shown = sheet.text(row, col)
        return {"target_text": shown} if shown else {}
    comparator, number, unit = parsed
    return {"comparator": comparator, "target": number, "unit": unit or None}


def _get(sheet: _Sheet, row: int, columns: dict[str, int], key: str) -> str:
    return sheet.text(row, columns[key]) if key in columns else ""


def _level1(text: str) -> str:
    return text.removesuffix("指标") if text.removesuffix("指标") in LEVEL1_LABELS else text


def _read_targets(sheet: _Sheet, title: str) -> tuple[dict[str, Any], dict[str, str]]:
    cells: dict[str, str] = {}
    data = _common(sheet, title, "targets", cells)
    data["budget"] = {
        "total": _number_of(sheet, cells, "budget.total", "年度资金总额", "年度资金总额", required=True),
        "fiscal": _number_of(sheet, cells, "budget.fiscal", "财政拨款", "其中：财政拨款", "财政拨款"),
        "other": _number_of(sheet, cells, "budget.other", "其他资金", "其他资金"),
    }
    at = _labelled(sheet, "年度总体目标", "总体目标")
    data["overall_goal"] = sheet.text(*at) if at else ""
    if at:
        cells["overall_goal"] = sheet.where(*at)
    header, columns = _columns(sheet, TARGET_COLUMNS, TARGET_REQUIRED)
    indicators: list[dict[str, Any]] = []
    rows: list[int] = []
    if header and not sheet.problems:
        for row in _indicator_rows(sheet, header, columns, stop=("目标调整",)):
            indicators.append(_target_row(sheet, row, columns, len(indicators), cells))
            rows.append(row)
        _codes_from_names(sheet, indicators, rows, columns)
    last_row = rows[-1] if rows else header
    data["indicators"] = indicators
    data["adjustments"] = _adjustments(sheet, last_row, cells)
    return data, cells


def _target_row(sheet: _Sheet, row: int, columns: dict[str, int], i: int, cells: dict[str, str]) -> dict[str, Any]:
    ind: dict[str, Any] = {
        "code": _get(sheet, row, columns, "code"), "level1": _level1(_get(sheet, row, columns, "level1")),
        "level2": _get(sheet, row, columns, "level2"), "name": _get(sheet, row, columns, "name"),
        **_value(sheet, row, columns["target"]),
    }
    if "target_text" in ind:
        ind["kind"] = IndicatorKind.QUALITATIVE.value
    if "weight" in columns:
        ind["weight"] = sheet.number(row, columns["weight"], "分值")
    basis = _get(sheet, row, columns, "basis")
    if basis:
        ind["basis"] = basis if basis in BASIS_LABELS else "其他"
    if "last_year" in columns:
        ind["last_year_actual"] = sheet.number(row, columns["last_year"], "上年实际完成值")
    note = _get(sheet, row, columns, "note")
    if BELOW in note:
        note, reason = note.split(BELOW, 1)
        ind["below_last_year_reason"] = reason.strip() or None
    ind["basis_note"] = note.strip().rstrip("；;") or None
    if basis and basis not in BASIS_LABELS:
        ind["basis_note"] = "；".join(x for x in (basis, ind["basis_note"]) if x)
    for key in ("code", "level1", "level2", "name", "target", "weight", "last_year"):
        if key in columns:
            cells[f"indicators[{i}].{'last_year_actual' if key == 'last_year' else key}"] = sheet.where(row, columns[key])
    cells[f"indicators[{i}]"] = sheet.where(row, columns.get("code", columns["name"]))
    return ind


def _adjustments(sheet: _Sheet, after: int, cells: dict[str, str]) -> list[dict[str, Any]]:
    found = sheet.find("调整后指标值", start_row=after + 1) if after else None
    if found is None:
        return []
    header = found[0]
    columns: dict[str, int] = {}
    for col in range(1, sheet.ws.max_column + 1):
        head = _norm(sheet.text(header, col)) if sheet.is_origin(header, col) else ""
        for key, label in (("code", "指标编码"), ("value", "调整后指标值"), ("reason", "调整理由"), ("decision", "审批")):
            if head.startswith(label) and key not in columns:
                columns[key] = col
    if "code" not in columns or "reason" not in columns:
        sheet.problems.append(Problem(f"{sheet.where(header, 1)}（目标调整表头）：未找到列 指标编码、调整理由"))
        return []
    adjustments: list[dict[str, Any]] = []
    for row in range(header + 1, sheet.ws.max_row + 1):
        code = sheet.text(row, columns["code"])
        if not code:
            continue
        decision = _get(sheet, row, columns, "decision")
        adjustments.append({"code": code, **(_value(sheet, row, columns["value"]) if "value" in columns else {}),
                            "reason": sheet.text(row, columns["reason"]),
                            "decision": DECISION_BY_LABEL.get(decision, Decision.PENDING).value})
        cells[f"adjustments[{len(adjustments) - 1}]"] = sheet.where(row, columns["code"])
    return adjustments


def _split_notes(notes: str) -> dict[str, str]:
    """"偏差原因：…；纠偏措施：…" back into its two fields (text without labels is the reason)."""
    parts = re.split(f"({REASON}|{MEASURE})", notes)
    if len(parts) == 1:
        return {"deviation_reason": notes} if notes else {}
    keys = {REASON: "deviation_reason", MEASURE: "corrective_action"}
    return {keys[label]: body.strip().rstrip("；") for label, body in zip(parts[1::2], parts[2::2], strict=True) if body.strip()}


def _read_monitoring(sheet: _Sheet, title: str) -> tuple[dict[str, Any], dict[str, str]]:
    cells: dict[str, str] = {}
    data = _common(sheet, title, "monitoring", cells)
    data["round_name"] = _text_of(sheet, "监控轮次") or None
    at = _labelled(sheet, "监控截止日期", "截止日期")
    cut_off = sheet.value(*at) if at else None
    if at:
        cells["cut_off"] = sheet.where(*at)
    if isinstance(cut_off, dt.datetime):
        data["cut_off"] = cut_off.date().isoformat()
    else:
        match = _DATE.search(str(cut_off or ""))
        data["cut_off"] = dt.date(*map(int, match.groups())).isoformat() if match else (cut_off or None)
    data["budget"] = {
        "annual": _number_of(sheet, cells, "budget.annual", "全年预算数", "全年预算数", required=True),
        "executed_to_date": _number_of(sheet, cells, "budget.executed_to_date", "截至监控日执行数", "截至监控日执行数", required=True),
        "expected": _number_of(sheet, cells, "budget.expected", "预计全年执行数", "预计全年执行数"),
    }
    data["goal_progress"] = _text_of(sheet, "总体目标完成情况") or None
    warn = sheet.find("预算执行预警")
    if warn:
        for key, label in (("deviation_reason", "偏差原因"), ("corrective_action", "纠偏措施")):
            found = sheet.find(label, start_row=warn[0])
            beside = _beside(sheet, *found) if found and found[0] == warn[0] else 0
            data[key] = (sheet.text(warn[0], beside) or None) if beside else None
    header, columns = _columns(sheet, MONITORING_COLUMNS, MONITORING_REQUIRED)
    indicators: list[dict[str, Any]] = []
    rows: list[int] = []
    if header and not sheet.problems:
        for row in _indicator_rows(sheet, header, columns):
            indicators.append(_monitored_row(sheet, row, columns, len(indicators), cells))
            rows.append(row)
        _codes_from_names(sheet, indicators, rows, columns)
    data["indicators"] = indicators
    return data, cells


def _monitored_row(sheet: _Sheet, row: int, columns: dict[str, int], i: int, cells: dict[str, str]) -> dict[str, Any]:
    target = _value(sheet, row, columns["target"])
    ind: dict[str, Any] = {"code": _get(sheet, row, columns, "code"), "level1": _level1(_get(sheet, row, columns, "level1")) or None,
                           "level2": _get(sheet, row, columns, "level2") or None, "name": _get(sheet, row, columns, "name"), **target}
    to_date = _value(sheet, row, columns["to_date"])
    if "target_text" in target:
        ind["kind"] = IndicatorKind.QUALITATIVE.value
        ind["value_text"] = to_date.get("target_text")
        ind["on_track"] = {"能完成": True, "不能完成": False}.get(_get(sheet, row, columns, "expected"))
    else:
        ind["value_to_date"] = to_date.get("target")
        if "target_text" in to_date:
            sheet.problems.append(Problem(
                f"{sheet.where(row, columns['to_date'])}：截至监控日完成值应为数字（可带单位），实际为“{to_date['target_text']}”"))
        ind["expected"] = _value(sheet, row, columns["expected"]).get("target") if "expected" in columns else None
    ind.update(_split_notes(_get(sheet, row, columns, "notes")))
    for key, field in (("code", "code"), ("name", "name"), ("target", "target"), ("to_date", "value_to_date"), ("level1", "level1")):
        if key in columns:
            cells[f"indicators[{i}].{field}"] = sheet.where(row, columns[key])
    cells[f"indicators[{i}]"] = sheet.where(row, columns.get("code", columns["name"]))
    return ind


# ---- the rectification list --------------------------------------------------------------------


def _date_at(sheet: _Sheet, row: int, col: int, what: str) -> str | None:
    """An ISO date from a date cell or a text one ("2025-09-30", "2025年9月30日"); a problem naming the cell otherwise."""
    value = sheet.value(row, col)
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    shown = sheet.text(row, col)
    if not shown:
        return None
    match = _DATE.search(shown)
    try:
        if match:
            return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:  # "2025-02-30"
        pass
    sheet.problems.append(Problem(f"{sheet.where(row, col)}：{what}应为日期（如 2025-09-30），实际为“{shown}”"))
    return None


STATE_BY_LABEL = {label: state for state, label in ITEM_STATE_LABELS.items()}


def _state(sheet: _Sheet, row: int, col: int) -> dict[str, Any]:
    """"已销号（2025-09-05）\n已逾期…" back into the state and the closing date (the overdue note is derived)."""
    shown = _norm(sheet.text(row, col).split("\n", 1)[0]).removesuffix("，")
    if not shown:
        return {}
    state = next((s for label, s in STATE_BY_LABEL.items() if shown.startswith(_norm(label))), None)
    if state is None:
        choices = "、".join(ITEM_STATE_LABELS.values())
        sheet.problems.append(Problem(f"{sheet.where(row, col)}：整改状态应为 {choices} 之一，实际为“{shown}”"))
        return {}
    match = _DATE.search(shown)
    closed_on = dt.date(*map(int, match.groups())).isoformat() if match else None
    return {"state": state.value, **({"closed_on": closed_on} if closed_on else {})}


TEXT_FIELDS = ("code", "unit", "source", "problem", "indicator_code", "requirement", "plan", "feedback", "review_note")


def _read_rectification(sheet: _Sheet) -> tuple[dict[str, Any], dict[str, str]]:
    cells: dict[str, str] = {}
    data: dict[str, Any] = {"stage": "rectification", "year": _year(sheet, cells)}
    anchors = ("存在的问题", "问题描述", "存在问题")
    table_at = sheet.find(*anchors, start_row=2)
    table_row = table_at[0] if table_at else sheet.ws.max_row + 1
    # 整改单位 and 下发日期 are column headers too: only a label above the table is the list's own
    for key, label in (("title", "清单名称"), ("issuer", "下发单位"), ("unit", "整改单位"), ("noticed_on", "下发日期"),
                       ("as_of", "统计截至日期")):
        at = _labelled(sheet, label)
        if at is None or at[0] >= table_row:
            continue
        data[key] = _date_at(sheet, *at, label) if key in ("noticed_on", "as_of") else sheet.text(*at) or None
        cells[key] = sheet.where(*at)
    header, columns = _columns(sheet, RECTIFICATION_COLUMNS, RECTIFICATION_REQUIRED, anchors=anchors, what="整改事项表头")
    items: list[dict[str, Any]] = []
    if header and not sheet.problems:
        for row in range(header + 1, sheet.ws.max_row + 1):
            first = _norm(sheet.text(row, columns["code"]))
            if first.startswith("合计"):
                break
            if not first and not sheet.text(row, columns["problem"]):
                continue
            items.append(_rectification_row(sheet, row, columns, len(items), cells))
    data["items"] = items
    return data, cells


def _rectification_row(sheet: _Sheet, row: int, columns: dict[str, int], i: int, cells: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {key: _get(sheet, row, columns, key) or None for key in TEXT_FIELDS if key in columns}
    for key, what in (("noticed_on", "下发日期"), ("deadline", "整改期限")):
        if key in columns:
            item[key] = _date_at(sheet, row, columns[key], what)
    if "state" in columns:
        item.update(_state(sheet, row, columns["state"]))
    for key, col in columns.items():
        cells[f"items[{i}].{key}"] = sheet.where(row, col)
    if "closed_on" in item and "state" in columns:
        cells[f"items[{i}].closed_on"] = sheet.where(row, columns["state"])
    cells[f"items[{i}]"] = sheet.where(row, columns["code"])
    return {k: v for k, v in item.items() if v is not None}


# Importing this module makes every command (score, check, table) accept the three forms.
SNIFFERS.append(sniff_stage_table)
