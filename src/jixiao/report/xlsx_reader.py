"""Read a 自评表 workbook (or the Word 自评表 jixiao writes) back into an Evaluation.

Works for the workbook `jixiao table` writes (after a user filled it in) and for a
plainly laid-out official form: blocks are found by their labels (年度资金总额,
三级指标, 总分 …), not by fixed positions. Every problem names the sheet and cell.
Derived figures on the form (scores, total, grade, execution rate) are kept as
*stated*, so `jixiao check` compares them with the computed ones. A .docx is read through
`docx_cells` as the same kind of stored sheet (every value text), so one grid→model reading
serves both formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao.core.model import FUND_SOURCE_LABELS, Evaluation, FundSource, Location, QualitativeBand
from jixiao.io.errors import InputError, Problem
from jixiao.io.inputs import register_reader
from jixiao.io.kinds import stage_of_title, wrong_kind
from jixiao.io.pydantic_errors import problems_from
from jixiao.report.xlsx_cells import StoredSheet, open_workbook

COMPARATORS = {"≥": ">=", ">=": ">=", "＞": ">", ">": ">", "=": "=", "＝": "=", "≤": "<=", "<=": "<=", "＜": "<", "<": "<"}
_VALUE = re.compile(r"^\s*(≥|>=|≤|<=|＞|＜|>|<|＝|=)?\s*(-?\d+(?:\.\d+)?)\s*(.*?)\s*$")
_FORMAT_LITERAL = re.compile(r'"([^"]*)"')
_YEAR = re.compile(r"(\d{4})\s*年度")
SOURCE_BY_LABEL = {label: source for source, label in FUND_SOURCE_LABELS.items()} | {
    "财政拨款": FundSource.FISCAL,
    "上年结转": FundSource.CARRIED_OVER,
    "其他": FundSource.OTHER,
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


class _Sheet:
    """Cell access over a sheet's stored cells, merged areas resolved to their top-left value, and located errors."""

    def __init__(self, ws: StoredSheet, source: str) -> None:
        self.ws = ws
        self.source = source
        self.problems: list[Problem] = []
        self.origin = ws.origin
        self.codes_from_names = False  # a stage form whose rows had no 指标编码 (stage_reader)

    def ref(self, row: int, col: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(col)}{row}"

    def where(self, row: int, col: int) -> str:
        return f"工作表“{self.ws.title}”单元格 {self.ref(row, col)}"

    def _at(self, row: int, col: int) -> tuple[int, int]:
        return self.origin.get((row, col), (row, col))

    def value(self, row: int, col: int) -> Any:
        return self.ws.values.get(self._at(row, col))

    def number_format(self, row: int, col: int) -> str:
        return self.ws.formats.get(self._at(row, col), "General")

    def text(self, row: int, col: int) -> str:
        value = self.value(row, col)
        return "" if value is None else str(value).strip()

    def is_origin(self, row: int, col: int) -> bool:
        return self._at(row, col) == (row, col)

    def find(self, *labels: str, start_row: int = 1) -> tuple[int, int] | None:
        """The first stored cell (row by row) whose text starts with one of `labels`."""
        wanted = [_norm(label) for label in labels]
        for row, cells in self.ws.rows():
            if row < start_row:
                continue
            for col, _ in cells:
                text = _norm(self.text(row, col))
                if text and any(text.startswith(w) for w in wanted):
                    return row, col
        return None

    def right_of(self, row: int, col: int) -> tuple[str, int]:
        """The first value to the right of a label (skipping the label's own merged area)."""
        for c in range(col + 1, self.ws.max_column + 1):
            if self._at(row, c) == self._at(row, col):
                continue
            text = self.text(row, c)
            if text:
                return text, c
        return "", 0

    def number(self, row: int, col: int, what: str, required: bool = False) -> Decimal | None:
        value = self.value(row, col)
        if value is None or (isinstance(value, str) and not value.strip()) or value in ("—", "-"):
            if required:
                self.problems.append(Problem(f"{self.where(row, col)}：缺少{what}（应为数字）"))
            return None
        if isinstance(value, bool):
            self.problems.append(Problem(f"{self.where(row, col)}：{what}应为数字"))
            return None
        if isinstance(value, int | float):
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        match = _VALUE.match(str(value).replace(",", ""))
        if match and not match.group(1):
            return Decimal(match.group(2))
        self.problems.append(Problem(f"{self.where(row, col)}：{what}应为数字，实际为“{value}”"))
        return None


class WordTable(_Sheet):
    """A Word table read as a sheet: places are named by table, row and column, not by a cell reference."""

    def where(self, row: int, col: int) -> str:
        return f"{self.ws.title}第{row}行第{col}列"


def form_title(sheet: _Sheet) -> tuple[str, str] | None:
    """(stage, title) when one of the first three rows names another stage's form (申报表, 监控表, 整改清单)."""
    for row, cells in sheet.ws.rows():
        if row > 3:
            break
        for col, _ in cells:
            text = _norm(sheet.text(row, col))
            stage = stage_of_title(text)
            if stage is not None:
                return stage, text
    return None


def read_table_xlsx(path: Path) -> Evaluation:
    """Read a 自评表 workbook (.xlsx) into an Evaluation; InputError naming sheet and cell otherwise."""
    source = str(path)
    with open_workbook(path) as wb:
        sheets = [wb.sheet("自评表")] if "自评表" in wb.sheetnames else wb.sheets()  # parsed one by one, as needed
        return evaluation_from_sheets((_Sheet(ws, source) for ws in sheets), source,
                                      "工作簿中没有自评表（未找到“自评表”工作表或含“三级指标”的表格）")


def read_table_docx(path: Path) -> Evaluation:
    """Read a Word 自评表 (.docx, e.g. from `jixiao table -o 自评表.docx`) into an Evaluation."""
    from jixiao.report.docx_cells import read_docx_tables

    source = str(path)
    tables = read_docx_tables(path, source)
    return evaluation_from_sheets((WordTable(table, source) for table in tables), source,
                                  "Word 文档中没有自评表、绩效目标申报表、绩效运行监控表或问题整改清单（表格前三行应有表名，如“项目支出绩效自评表”）")


def evaluation_from_sheets(sheets: Iterable[_Sheet], source: str, none_found: str) -> Evaluation:
    """The first sheet (or Word table) holding a 自评表, read into an Evaluation with each field's cell.

    A 申报表, 监控表 or 整改清单 (titled so in its first rows) is never taken for one: when that is all
    there is, the refusal says what the file is and where it goes instead."""
    other: tuple[str, str, str] | None = None
    for sheet in sheets:
        titled = form_title(sheet)
        if titled is not None:
            other = other or (*titled, "Word 文档" if isinstance(sheet, WordTable) else "Excel 工作簿")
        elif sheet.find("三级指标"):
            return _evaluation(sheet)
    if other is not None:
        stage, title, container = other
        raise wrong_kind(stage, source, shown_as=f"{title}（{container}）")
    raise InputError(source, [Problem(none_found)])


def _evaluation(sheet: _Sheet) -> Evaluation:
    source = sheet.source
    data, cells = _read(sheet)
    if sheet.problems:
        raise InputError(source, sheet.problems)
    try:
        evaluation = Evaluation.model_validate(data)
    except ValidationError as exc:
        problems = []
        for p in problems_from(exc, {}):
            where = cells.get(p.field or "")
            problems.append(Problem(f"{where}：{p.message}" if where else p.message, field=p.field))
        raise InputError(source, problems) from None
    evaluation.locations = {path_: Location(line=_line_of(ref), quote=ref) for path_, ref in cells.items()}
    return evaluation


def _line_of(ref: str) -> int:
    """The row of a place: "工作表“自评表”单元格 H12" → 12, "表格1第12行第8列" → 12."""
    match = re.search(r"第(\d+)行", ref) or re.search(r"(\d+)$", ref)
    return int(match.group(1)) if match else 1


def _read(sheet: _Sheet) -> tuple[dict[str, Any], dict[str, str]]:
    cells: dict[str, str] = {}
    data: dict[str, Any] = {}
    title = sheet.find("项目支出绩效自评表", "部门（单位）整体支出绩效自评表", "部门整体支出绩效自评表")
    year = None
    for row in range(1, min(sheet.ws.max_row, 6) + 1):
        for col in range(1, sheet.ws.max_column + 1):
            match = _YEAR.search(sheet.text(row, col))
            if match:
                year = int(match.group(1))
                break
        if year:
            break
    if year is None:
        sheet.problems.append(Problem(f"工作表“{sheet.ws.title}”：未找到评价年度（如“（2024年度）”）"))
    data["year"] = year
    project_at = sheet.find("项目名称")
    is_project = project_at is not None or (title is not None and "项目" in sheet.text(*title)[:2])
    data["kind"] = "project" if is_project else "department"
    if project_at:
        name, _ = sheet.right_of(*project_at)
        info: dict[str, Any] = {"name": name}
        for label, key in (("主管部门", "supervising_department"), ("实施单位", "implementing_unit")):
            at = sheet.find(label)
            if at:
                info[key] = sheet.right_of(*at)[0] or None
        data["project"] = info
        data["unit"] = {"name": info.get("implementing_unit") or name}
        cells["project.name"] = sheet.where(*project_at)
    else:
        at = sheet.find("部门（单位）名称", "部门名称", "单位名称")
        name = sheet.right_of(*at)[0] if at else ""
        if not name:
            sheet.problems.append(Problem(f"工作表“{sheet.ws.title}”：未找到部门（单位）名称"))
        data["unit"] = {"name": name}
    data["budget"] = _read_budget(sheet, cells)
    goal = _read_goal(sheet)
    data["narrative"] = goal
    data["indicators"], stated_total = _read_indicators(sheet, cells)
    data["stated"] = stated_total
    return data, cells


def _read_budget(sheet: _Sheet, cells: dict[str, str]) -> dict[str, Any]:
    total_at = sheet.find("年度资金总额")
    if total_at is None:
        sheet.problems.append(Problem(f"工作表“{sheet.ws.title}”：未找到“年度资金总额”行"))
        return {"initial": 0, "adjusted": 0, "executed": 0}
    header_row = total_at[0] - 1
    columns: dict[str, int] = {}
    for col in range(1, sheet.ws.max_column + 1):
        head = _norm(sheet.text(header_row, col))
        for key, label in (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"), ("rate", "执行率")):
            if head.startswith(label) and key not in columns:
                columns[key] = col
    missing = [label for key, label in (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数")) if key not in columns]
    if missing:
        sheet.problems.append(Problem(f"工作表“{sheet.ws.title}”第{header_row}行：未找到列 {'、'.join(missing)}"))
        return {"initial": 0, "adjusted": 0, "executed": 0}
    row = total_at[0]
    budget: dict[str, Any] = {}
    for key in ("initial", "adjusted", "executed"):
        budget[key] = sheet.number(row, columns[key], {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}[key], required=True)
        cells[f"budget.{key}"] = sheet.where(row, columns[key])
    if "rate" in columns:
        rate = sheet.number(row, columns["rate"], "执行率")
        if rate is not None:
            # a number cell holds the fraction (format 0.00%); text ("102.86%", from Word) the percent
            as_text = isinstance(sheet.value(row, columns["rate"]), str)
            budget["stated"] = {"execution_rate": rate if as_text or rate > 5 else rate * 100}
    sources: dict[str, Any] = {}
    r = row + 1
    while r <= sheet.ws.max_row:
        label = _norm(sheet.text(r, total_at[1])).removeprefix("其中：").removeprefix("其中:")
        source = SOURCE_BY_LABEL.get(label)
        if source is None:
            break
        line = {key: sheet.number(r, columns[key], label) for key in ("initial", "adjusted", "executed")}
        if any(v is not None for v in line.values()):
            sources[source.value] = line
            for key in line:
                cells[f"budget.sources.{source.value}.{key}"] = sheet.where(r, columns[key])
        r += 1
    if sources:
        budget["sources"] = sources
    return budget


def _read_goal(sheet: _Sheet) -> dict[str, Any]:
    at = sheet.find("预期目标")
    if at is None:
        return {}
    goal = sheet.text(at[0] + 1, at[1])
    done_at = sheet.find("实际完成情况", start_row=at[0])
    achievement = sheet.text(done_at[0] + 1, done_at[1]) if done_at and done_at[0] == at[0] else ""
    return {"overall_goal": goal or None, "goal_achievement": achievement or None}


def _header_columns(sheet: _Sheet, row: int) -> dict[str, int]:
    labels = {
        "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
        "actual": "实际完成值", "weight": "分值", "score": "得分", "deviation": "偏差原因",
    }
    columns: dict[str, int] = {}
    for col in range(1, sheet.ws.max_column + 1):
        head = _norm(sheet.text(row, col))
        for key, label in labels.items():
            if key not in columns and head.startswith(label):
                columns[key] = col
        if "weight" not in columns and head in ("权重", "指标权重", "权重（分）"):
            columns["weight"] = col
    return columns


def _read_indicators(sheet: _Sheet, cells: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    at = sheet.find("三级指标")
    if at is None:
        sheet.problems.append(Problem(f"工作表“{sheet.ws.title}”：未找到绩效指标表头（“三级指标”）"))
        return [], {}
    columns = _header_columns(sheet, at[0])
    missing = [label for key, label in (("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值")) if key not in columns]
    if missing:
        sheet.problems.append(Problem(f"工作表“{sheet.ws.title}”第{at[0]}行：未找到列 {'、'.join(missing)}"))
        return [], {}
    indicators: list[dict[str, Any]] = []
    stated: dict[str, Any] = {}
    row = at[0] + 1
    while row <= sheet.ws.max_row:
        first_text = "".join(_norm(sheet.text(row, c)) for c in range(1, columns["name"]))
        if "总分" in first_text or _norm(sheet.text(row, 1)).startswith("总分"):
            score_col = columns.get("score")
            if score_col:
                stated["total_score"] = sheet.number(row, score_col, "总分")
                cells["stated.total_score"] = sheet.where(row, score_col)
            for c in range(1, sheet.ws.max_column + 1):
                match = re.search(r"(?:等级|评价结果)[：:]\s*([优良中差])", sheet.text(row, c))
                if match:
                    stated["grade"] = match.group(1)
            break
        name = sheet.text(row, columns["name"])
        if name:
            index = len(indicators)
            indicators.append(_read_indicator(sheet, row, columns, index, cells))
        row += 1
    if not indicators:
        sheet.problems.append(Problem(f"工作表“{sheet.ws.title}”：绩效指标表中没有指标"))
    return indicators, {k: v for k, v in stated.items() if v is not None}


def _read_indicator(sheet: _Sheet, row: int, columns: dict[str, int], index: int, cells: dict[str, str]) -> dict[str, Any]:
    path = f"indicators[{index}]"
    cells[path] = sheet.where(row, columns["name"])
    ind: dict[str, Any] = {"name": sheet.text(row, columns["name"])}
    if "level1" in columns:
        level1 = sheet.text(row, columns["level1"]).removesuffix("指标")
        ind["level1"] = level1 or None
        cells[f"{path}.level1"] = sheet.where(row, columns["level1"])
    if "level2" in columns:
        ind["level2"] = sheet.text(row, columns["level2"]) or None
    weight = sheet.number(row, columns["weight"], "分值", required=True)
    ind["weight"] = weight
    cells[f"{path}.weight"] = sheet.where(row, columns["weight"])
    score = sheet.number(row, columns["score"], "得分") if "score" in columns else None
    target = _parse_value(sheet.value(row, columns["target"]), sheet.number_format(row, columns["target"]))
    actual = _parse_value(sheet.value(row, columns["actual"]), sheet.number_format(row, columns["actual"]))
    if target is not None:
        comparator, value, unit = target
        ind.update(comparator=comparator or ">=", target=value, unit=unit or None)
        cells[f"{path}.target"] = sheet.where(row, columns["target"])
        if actual is not None:
            ind["actual"] = actual[1]
        elif sheet.text(row, columns["actual"]):
            sheet.problems.append(
                Problem(f"{sheet.where(row, columns['actual'])}：实际完成值应为数字（可带单位），实际为“{sheet.text(row, columns['actual'])}”")
            )
        cells[f"{path}.actual"] = sheet.where(row, columns["actual"])
        if score is not None:
            ind["stated"] = {"score": score}
    else:
        # Not a number: a qualitative indicator; the form's score is the evaluator's, its band follows.
        ind.update(kind="qualitative", target_text=sheet.text(row, columns["target"]) or None,
                   actual_text=sheet.text(row, columns["actual"]) or None)
        if score is not None:
            ind["manual_score"] = score
            if weight:
                share = score / weight
                ind["band"] = (
                    QualitativeBand.ACHIEVED if share >= Decimal("0.8")
                    else QualitativeBand.PARTLY if share >= Decimal("0.6") else QualitativeBand.NOT_ACHIEVED
                ).value
    if "deviation" in columns:
        ind.update(_split_deviation(sheet.text(row, columns["deviation"])))
    return ind


def _parse_value(value: Any, number_format: str) -> tuple[str | None, Decimal, str] | None:
    """(comparator, number, unit) from a number cell (unit and comparator in its format) or a text cell."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        literals = _FORMAT_LITERAL.findall(number_format or "")
        prefix = literals[0] if literals and (number_format or "").startswith('"') else ""
        suffix = literals[-1] if literals and (number_format or "").rstrip().endswith('"') else ""
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return COMPARATORS.get(prefix), number, suffix
    match = _VALUE.match(str(value).replace(",", ""))
    if not match:
        return None
    try:
        number = Decimal(match.group(2))
    except InvalidOperation:
        return None
    return (COMPARATORS.get(match.group(1)) if match.group(1) else None), number, match.group(3)


def _split_deviation(text: str) -> dict[str, str]:
    if not text:
        return {}
    out: dict[str, str] = {}
    parts = re.split(r"(偏差原因|改进措施|年中监控偏差原因)[：:]", text)
    if len(parts) == 1:
        return {"deviation_reason": text}
    for label, body in zip(parts[1::2], parts[2::2], strict=False):
        body = body.strip().strip("；;")
        key = {"偏差原因": "deviation_reason", "改进措施": "improvement", "年中监控偏差原因": "mid_year_note"}[label]
        if body:
            out[key] = body
    return out


# Importing this module makes every command (score, check, report …) accept .xlsx and .docx.
register_reader(".xlsx", read_table_xlsx)
register_reader(".docx", read_table_docx)
