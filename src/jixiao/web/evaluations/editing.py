"""Between the evaluation model's JSON and the editing form: field list, flattening, and back.

Form inputs are named after the model's field paths (`budget.initial`); the two editable tables
(indicators, projects) use `ind-<key>-<field>` / `prj-<key>-<field>` with a hidden `ind-row` per row,
so the order of rows in the page is the order in the model (rows can be added, removed, reordered).
Every field the report or the reviewer's view reads has an input (a test walks the model); the few
the form does not show (`NOT_EDITED`: the year, document line positions, indicator codes) are kept
from the version the user started from, and a reordered row keeps them through its `orig` index. Figures a
document *stated* (rates, scores, total, grade) belong to the version until the user changes them:
the form shows them in their own section (and in each indicator's details) so they can be corrected
or cleared, and an unrelated edit keeps them, so the checks comparing them stay visible.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from jixiao.core.findings import nearest
from jixiao.core.labels import field_label
from jixiao.core.model import (
    COMPARATOR_LABELS,
    FUND_SOURCE_LABELS,
    KIND_LABELS,
    Direction,
    Grade,
    IndicatorKind,
    Level1,
    QualitativeBand,
)
from jixiao.core.model import Evaluation as Model
from jixiao.core.numbers import NumberError, int_or_none, parse_decimal, parse_int
from jixiao.io.errors import InputError, Problem

Choices = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Spec:
    path: str
    label: str
    widget: str = "text"  # text | textarea | number | int | date | select | lines
    choices: Choices = field(default_factory=list)
    wide: bool = False


SOURCE_CHOICES: Choices = [(s.value, label) for s, label in FUND_SOURCE_LABELS.items()]


def labelled(path: str, widget: str = "textarea", prefix: str = "") -> Spec:
    """A field labelled as the report and the reviewer's view name it (`core.labels`); texts span the row.
    `prefix`: the list a row field belongs to (`indicators`), whose "指标1·" the column does not repeat."""
    label = field_label(f"{prefix}[0].{path}").rsplit("·", 1)[-1] if prefix else field_label(path)
    return Spec(path, label, widget, wide=widget in ("textarea", "lines") and not prefix)


# What the form does not edit, and why (everything else of the model has an input).
NOT_EDITED = {
    "year": "年度在新建时确定，决定适用的规则集",
    "locations": "原文行号，由审查报告时填写",
    "indicators[].code": "指标编码由绩效目标生成，用于与目标、监控对应",
}

# Figures a document states; the checks compare them with the computed ones (B006 …).
STATED_SECTION = "文件所述计算值（与系统计算值核对；不需要时清空）"

SECTIONS: list[tuple[str, list[Spec]]] = [
    ("基本信息", [
        Spec("kind", "自评类别", "select", [(k.value, label) for k, label in KIND_LABELS.items()]),
        Spec("unit.name", "部门（单位）名称"),
        Spec("unit.code", "单位编码"),
        Spec("unit.supervising_department", "主管部门"),
        Spec("unit.funding_type", "单位性质"),
        Spec("project.name", "项目名称（项目支出自评）"),
        Spec("project.implementing_unit", "项目实施单位"),
        Spec("project.code", "项目编码"),
        Spec("project.supervising_department", "项目主管部门"),
        Spec("attachment_no", "附件编号"),
        Spec("filled_date", "填报日期", "date"),
        Spec("unit.staffing.authorized_administrative", "行政编制", "int"),
        Spec("unit.staffing.authorized_institutional", "事业编制", "int"),
        Spec("unit.staffing.actual", "实有人数", "int"),
        Spec("unit.functions", "部门主要职能", "textarea", wide=True),
        Spec("unit.organisation", "机构设置及人员构成", "textarea", wide=True),
        Spec("unit.subordinate_units", "下属单位（每行一个）", "lines", wide=True),
    ]),
    ("预算（万元）", [
        Spec("budget.initial", "年初预算数", "number"),
        Spec("budget.adjustment", "预算调整数", "number"),
        Spec("budget.adjusted", "全年预算数", "number"),
        Spec("budget.executed", "全年执行数", "number"),
        *[
            Spec(f"budget.sources.{source}.{column}", f"{label}·{column_label}", "number")
            for source, label in SOURCE_CHOICES
            for column, column_label in (("initial", "年初"), ("adjusted", "全年"), ("executed", "执行"))
        ],
        *[Spec(f"budget.fiscal.{column}", f"其中：财政资金·{column_label}", "number")
          for column, column_label in (("initial", "年初"), ("adjusted", "全年"), ("executed", "执行"))],
        labelled("narrative.budget_arrangement"),
        Spec("budget.adjustment_explanation", "预算调整原因", "textarea", wide=True),
        labelled("narrative.adjustment_effect"),
        Spec("budget.execution_explanation", "执行率偏低原因", "textarea", wide=True),
        labelled("narrative.execution_management"),
    ]),
    ("基本支出（万元）", [
        Spec("expenditure.total", "全年预算支出金额", "number"),
        Spec("expenditure.basic.budget", "基本支出预算", "number"),
        Spec("expenditure.basic.personnel", "人员经费", "number"),
        Spec("expenditure.basic.public", "公用经费", "number"),
        Spec("expenditure.basic.executed", "基本支出实际支出", "number"),
        Spec("expenditure.basic.use", "主要用途", "textarea", wide=True),
        labelled("expenditure.basic.management"),
        Spec("expenditure.project_use", "项目支出主要用途", "textarea", wide=True),
    ]),
    # The projects table follows this section on the page (edit.html), then the indicators table.
    ("项目管理和使用情况", [
        labelled("narrative.management_system"),
        labelled("narrative.fund_compliance"),
    ]),
    ("文字部分", [
        Spec("narrative.key_work", "年度重点工作", "textarea", wide=True),
        Spec("narrative.overall_goal", "年度总体目标", "textarea", wide=True),
        Spec("narrative.goal_achievement", "总体目标完成情况", "textarea", wide=True),
        labelled("narrative.performance_intro"),
        labelled("narrative.conclusion_intro"),
        Spec("narrative.problems", "存在的主要问题（每行一条）", "lines", wide=True),
        Spec("narrative.causes", "原因分析（每行一条）", "lines", wide=True),
        Spec("narrative.measures", "改进措施（每行一条）", "lines", wide=True),
        Spec("narrative.suggestions", "建议（每行一条）", "lines", wide=True),
    ]),
    (STATED_SECTION, [
        Spec("unit.staffing.authorized_total", "所述编制总数", "int"),
        Spec("budget.stated.adjustment_rate", "所述预算调整率（%）", "number"),
        Spec("budget.stated.execution_rate", "所述预算执行率（%）", "number"),
        Spec("expenditure.basic.stated.execution_rate", "所述基本支出执行率（%）", "number"),
        Spec("expenditure.project_total.count", "所述项目个数", "int"),
        Spec("expenditure.project_total.budget", "所述项目总金额", "number"),
        Spec("expenditure.project_total.executed", "所述项目执行金额", "number"),
        Spec("stated.execution_score", "所述预算执行得分", "number"),
        Spec("stated.total_score", "所述总分", "number"),
        Spec("stated.grade", "所述等级", "select", [(g.value, g.value) for g in Grade]),
    ]),
]

SPECS = {spec.path: spec for _, specs in SECTIONS for spec in specs}


@dataclass(frozen=True, slots=True)
class Table:
    prefix: str
    path: str  # where the list lives in the model
    columns: list[Spec]  # Spec.path here is the row field name
    details: list[Spec]  # second line of each row: longer texts


INDICATORS = Table(
    "ind",
    "indicators",
    [
        Spec("level1", "一级指标", "select", [(v.value, v.value) for v in Level1]),
        Spec("level2", "二级指标"),
        Spec("name", "三级指标"),
        Spec("kind", "定量/定性", "select", [(IndicatorKind.QUANTITATIVE.value, "定量"), (IndicatorKind.QUALITATIVE.value, "定性")]),
        Spec("comparator", "比较", "select", [(c.value, label) for c, label in COMPARATOR_LABELS.items()]),
        Spec("target", "目标值", "number"),
        Spec("unit", "单位"),
        Spec("mid_year", "年中值", "number"),
        Spec("actual", "完成值", "number"),
        Spec("weight", "分值", "number"),
    ],
    [
        Spec("direction", "方向", "select", [(Direction.POSITIVE.value, "正向"), (Direction.REVERSE.value, "反向")]),
        Spec("band", "定性档次", "select", [(b.value, b.value) for b in QualitativeBand]),
        Spec("manual_score", "定性得分", "number"),
        Spec("target_text", "目标（定性）"),
        Spec("actual_text", "完成情况（定性）"),
        Spec("deviation_reason", "偏差原因", "textarea"),
        Spec("improvement", "改进措施", "textarea"),
        Spec("evidence", "佐证资料", "textarea"),
        labelled("effect", prefix="indicators"),
        labelled("mid_year_note", prefix="indicators"),
        labelled("manual_reason", prefix="indicators"),
        labelled("deduction", "number", prefix="indicators"),
        labelled("deduction_reason", prefix="indicators"),
        Spec("stated.completion_rate", "所述完成率（%）", "number"),
        Spec("stated.score", "所述得分", "number"),
    ],
)

PROJECTS = Table(
    "prj",
    "expenditure.projects",
    [
        Spec("name", "项目名称"),
        Spec("source", "资金来源", "select", SOURCE_CHOICES),
        Spec("count", "个数", "int"),
        Spec("initial", "年初预算", "number"),
        Spec("budget", "全年预算", "number"),
        Spec("executed", "执行数", "number"),
    ],
    [Spec("description", "主要用途和实施效果", "textarea")],
)

# 年度主要任务: one row per task (the report's table lists them under 年度重点工作).
TASKS = Table(
    "task",
    "narrative.tasks",
    [labelled("name", "text", prefix="narrative.tasks"), labelled("content", prefix="narrative.tasks")],
    [],
)

TABLES = (INDICATORS, PROJECTS, TASKS)


# ---- reading and writing nested paths -------------------------------------------------------

def get_path(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        child = data.get(part)
        if not isinstance(child, dict):
            if value is None:
                return
            child = {}
            data[part] = child
        data = child
    if value is None:
        data.pop(parts[-1], None)
    else:
        data[parts[-1]] = value


def prune(data: Any) -> Any:
    """Drop empty optional blocks the form left behind (an untouched fund source, no basic expenditure)."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            value = prune(value)
            if value is None or value == {}:
                continue
            out[key] = value
        return out
    if isinstance(data, list):
        return [prune(v) for v in data]
    return data


def _display(value: Any, widget: str) -> str:
    if value is None:
        return ""
    if widget == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def _parse(raw: str | None, widget: str) -> Any:
    """The value an input holds: text, lines, or a number read by the one bounded parser
    (`jixiao.core.numbers`: ASCII digits, bounded length and size); NumberError otherwise."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    if widget == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if widget in ("number", "int"):
        # Accept what people type: full-width digits, thousands separators, a trailing 万元/%.
        text = text.translate(str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")).replace(",", "")
        for suffix in ("万元", "%", "％"):
            text = text.removesuffix(suffix).strip()
        if widget == "int":
            return str(parse_int(text))
        return str(parse_decimal(text))
    return text


def _read(raw: str, spec: Spec, path: str, problems: list[Problem]) -> Any:
    try:
        return _parse(raw, spec.widget)
    except NumberError as error:
        problems.append(Problem(str(error), field=path))
        return None


# ---- the form's state: what the page shows ----------------------------------------------------

@dataclass
class Cell:
    spec: Spec
    name: str
    value: str
    error: str = ""
    note: str = ""  # a reviewer's open return reason for this field
    locked: str = ""  # why the value may not be changed here (a target approved at declaration), shown as its title

    @property
    def html(self) -> str:
        from jixiao.web.evaluations.widgets import field

        return field(self)

    @property
    def td(self) -> str:
        from jixiao.web.evaluations.widgets import table_cell

        return table_cell(self)


@dataclass
class Row:
    key: str
    orig: str
    cells: list[Cell]
    details: list[Cell]
    fixed: str = ""  # why the row cannot be moved or deleted (it comes from the approved targets)

    @property
    def has_error(self) -> bool:
        return any(c.error for c in self.cells + self.details)


@dataclass
class FormState:
    sections: list[tuple[str, list[Cell]]]
    tables: dict[str, list[Row]]
    errors: list[str] = field(default_factory=list)  # problems not tied to one input
    names: dict[str, str] = field(default_factory=dict)  # model field path -> input name
    unread: list[Problem] = field(default_factory=list)  # numbers the form holds that could not be read

    def load(self, data: dict[str, Any]) -> Model:
        """The model the form describes; InputError with every problem — numbers that could not be
        read (at their inputs, first) and what the model refuses — otherwise."""
        from jixiao.web.evaluations.services import load_model

        problems = list(self.unread)
        try:
            model = load_model(data, "表单")
        except InputError as error:
            problems += error.problems
        if problems:
            raise InputError("表单", problems)
        return model

    def attach(self, problems: list[Problem]) -> None:
        cells = {c.name: c for _, cs in self.sections for c in cs}
        for rows in self.tables.values():
            for row in rows:
                cells.update({c.name: c for c in row.cells + row.details})
        for problem in problems:
            name = nearest(problem.field, self.names)
            if name and name in cells and not cells[name].error:
                cells[name].error = problem.message
            else:
                self.errors.append(f"{field_label(problem.field) if problem.field else '数据'}：{problem.message}")

    def mark_returned(self, reasons: list[tuple[str, str]]) -> list[str]:
        """Put each (field, reason) on its input; the input names (for links), "" when not in the form."""
        cells = {c.name: c for _, cs in self.sections for c in cs}
        for rows in self.tables.values():
            for row in rows:
                cells.update({c.name: c for c in row.cells + row.details})
        anchors = []
        for path, text in reasons:
            name = nearest(path, self.names) if path else None
            if name and name in cells:
                cell = cells[name]
                cell.note = f"{cell.note}；{text}" if cell.note else text
            anchors.append(name if name in cells else "")
        return anchors

    @property
    def error_count(self) -> int:
        n = len(self.errors) + sum(1 for _, cs in self.sections for c in cs if c.error)
        return n + sum(1 for rows in self.tables.values() for r in rows for c in r.cells + r.details if c.error)


def _row(table: Table, key: str, orig: str, values: dict[str, str]) -> Row:
    def cell(spec: Spec) -> Cell:
        return Cell(spec, f"{table.prefix}-{key}-{spec.path}", values.get(spec.path, ""))

    return Row(key, orig, [cell(s) for s in table.columns], [cell(s) for s in table.details])


def blank_row(table: Table, key: str) -> Row:
    return _row(table, key, "", {})


def state_from_data(data: dict[str, Any]) -> FormState:
    sections = [
        (title, [Cell(spec, spec.path, _display(get_path(data, spec.path), spec.widget)) for spec in specs])
        for title, specs in SECTIONS
    ]
    tables: dict[str, list[Row]] = {}
    names = {spec.path: spec.path for spec in SPECS.values()}
    for table in TABLES:
        items = get_path(data, table.path) or []
        rows = []
        for index, item in enumerate(items):
            values = {s.path: _display(get_path(item, s.path), s.widget) for s in table.columns + table.details}
            rows.append(_row(table, str(index), str(index), values))
            for s in table.columns + table.details:
                names[f"{table.path}[{index}].{s.path}"] = f"{table.prefix}-{index}-{s.path}"
            names[f"{table.path}[{index}]"] = f"{table.prefix}-{index}-{table.columns[0].path}"
        tables[table.prefix] = rows
    return FormState(sections, tables, names=names)


def read_form(post: QueryDict, base: dict[str, Any]) -> tuple[dict[str, Any], FormState]:
    """The model data the form describes (on top of `base`), and the form state echoing what was typed."""
    data = copy.deepcopy(base)
    sections = []
    names: dict[str, str] = {}
    unread: list[Problem] = []
    for title, specs in SECTIONS:
        cells = []
        for spec in specs:
            raw = post.get(spec.path, "")
            set_path(data, spec.path, _read(raw, spec, spec.path, unread))
            cells.append(Cell(spec, spec.path, raw))
            names[spec.path] = spec.path
        sections.append((title, cells))
    tables: dict[str, list[Row]] = {}
    for table in TABLES:
        old_items = get_path(base, table.path) or []
        items: list[dict[str, Any]] = []
        rows = []
        for key in post.getlist(f"{table.prefix}-row"):
            key = "".join(ch for ch in key if ch.isalnum())[:12]
            orig = post.get(f"{table.prefix}-{key}-orig", "")
            at = int_or_none(orig)
            item = copy.deepcopy(old_items[at]) if at is not None and at < len(old_items) else {}
            values = {}
            for spec in table.columns + table.details:
                raw = post.get(f"{table.prefix}-{key}-{spec.path}", "")
                values[spec.path] = raw
                set_path(item, spec.path, _read(raw, spec, f"{table.path}[{len(items)}].{spec.path}", unread))
                names[f"{table.path}[{len(items)}].{spec.path}"] = f"{table.prefix}-{key}-{spec.path}"
            names[f"{table.path}[{len(items)}]"] = f"{table.prefix}-{key}-{table.columns[0].path}"
            items.append(item)
            rows.append(_row(table, key, orig, values))
        tables[table.prefix] = rows
        set_path(data, table.path, items)
    return prune(data), FormState(sections, tables, names=names, unread=unread)
