"""The reviewer's read-only view of a whole evaluation, in the report's order.

The sections and their composed sentences come from the report writer's context
(`report.context.build_context`), so the page reads as the report will; every field the user
entered is shown too, under its Chinese label (`core.labels`), with a stable anchor (`v-` + its
path) that findings and comments link to and are shown beside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jixiao.core.findings import nearest
from jixiao.core.labels import field_label, value_label
from jixiao.core.model import FUND_SOURCE_LABELS, Evaluation, Kind
from jixiao.core.scoring import Scorecard
from jixiao.report import text
from jixiao.report.context import build_context
from jixiao.report.table_layout import actual_text, target_text
from jixiao.web.evaluations.templatetags.figures import money_text

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor_of(path: str) -> str:
    """A field path as an HTML id: `indicators[2].actual` → `v-indicators-2-actual` (stable across versions)."""
    return "v-" + _UNSAFE.sub("-", path).strip("-")


@dataclass
class Item:
    """One field as the reviewer reads it."""

    path: str
    label: str
    value: str
    prose: bool = False  # a paragraph (or list) rather than a figure
    always: bool = False  # shown even when empty (未填写): the parts of the report a reviewer reads
    lines: list[str] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)  # findings and comments at this field

    @property
    def anchor(self) -> str:
        return anchor_of(self.path)

    @property
    def shown(self) -> bool:
        """The report's prose is always shown (an empty one says 未填写); other fields when set or noted."""
        return bool(self.value or self.lines or self.always or self.notes)


@dataclass
class Table:
    """Rows of a repeated part (fund sources, projects, indicators): each row has its anchor."""

    caption: str
    columns: list[str]
    rows: list[tuple[Item, list[str]]]  # the row's item (path, label) and its cells


@dataclass
class Section:
    level: int  # 2 for 一、…, 3 for （一）…
    title: str
    sentences: list[str] = field(default_factory=list)  # what the report writes from the figures
    items: list[Item] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    anchor: str = ""


_NAMES: dict[int, tuple[Evaluation, dict[str, str]]] = {}


def _names(ev: Evaluation) -> dict[str, str]:
    """Indicator paths to names, built once per evaluation (every field's label needs them: once per
    field made the page grow with the square of the indicators)."""
    cached = _NAMES.get(id(ev))
    if cached is None or cached[0] is not ev:
        _NAMES.clear()
        cached = (ev, {f"indicators[{i}]": ind.name for i, ind in enumerate(ev.indicators)})
        _NAMES[id(ev)] = cached
    return cached[1]


def _item(ev: Evaluation, path: str, value: object, label: str | None = None, prose: bool = False,
          always: bool | None = None) -> Item:
    names = _names(ev)
    shown = "" if value is None else value_label(path, str(getattr(value, "value", value)))
    return Item(path, label or field_label(path, names), shown, prose, prose if always is None else always)


def _list(path: str, label: str, values: list[str]) -> Item:
    return Item(path, label, "", True, True, list(values))


def _money(value: Any) -> str | None:
    return None if value is None else money_text(value)


def _amount(ev: Evaluation, path: str, value: Any, always: bool = False) -> Item:
    """A 万元 figure, as on the forms ("3,142.55"), its label saying the unit."""
    item = _item(ev, path, _money(value), always=always)
    item.label += "（万元）"
    return item


def build_sections(ev: Evaluation, card: Scorecard) -> list[Section]:
    """The whole evaluation, section by section, in the order of the report."""
    ctx = build_context(ev, card)
    project = ev.kind is Kind.PROJECT
    u, s, b, n, ex = ev.unit, ev.unit.staffing, ev.budget, ev.narrative, ev.expenditure
    sections: list[Section] = []
    add = sections.append

    add(Section(2, "一、项目基本情况" if project else "一、基本概况"))
    info = [_item(ev, "kind", ev.kind), _item(ev, "year", ev.year), _item(ev, "unit.name", u.name),
            _item(ev, "unit.supervising_department", u.supervising_department, always=True),
            _item(ev, "unit.funding_type", u.funding_type, always=True), _item(ev, "unit.code", u.code),
            _item(ev, "filled_date", ev.filled_date, always=True), _item(ev, "attachment_no", ev.attachment_no)]
    if ev.project is not None:
        info[2:2] = [_item(ev, "project.name", ev.project.name), _item(ev, "project.code", ev.project.code),
                     _item(ev, "project.supervising_department", ev.project.supervising_department),
                     _item(ev, "project.implementing_unit", ev.project.implementing_unit)]
    if u.subordinate_units:
        info.append(_item(ev, "unit.subordinate_units", "、".join(u.subordinate_units)))
    add(Section(3, "（一）项目概况" if project else "（一）部门单位基本情况", items=[
        *info, _item(ev, "unit.functions", u.functions, prose=True), _item(ev, "unit.organisation", u.organisation, prose=True),
        _item(ev, "unit.staffing.authorized_administrative", s.authorized_administrative, always=True),
        _item(ev, "unit.staffing.authorized_institutional", s.authorized_institutional, always=True),
        _item(ev, "unit.staffing.authorized_total", s.authorized_total),
        _item(ev, "unit.staffing.actual", s.actual, always=True),
    ], sentences=[ctx["overview"]["staffing"]] if ctx["overview"]["staffing"] else []))
    add(Section(3, "（二）项目年度总体目标" if project else "（二）部门单位年度重点工作", items=[
        _item(ev, "narrative.key_work", n.key_work, prose=True),
        *[_item(ev, f"narrative.tasks[{i}]", f"{t.name}：{t.content or ''}", f"年度主要任务{i + 1}", prose=True)
          for i, t in enumerate(n.tasks)],
        _item(ev, "narrative.overall_goal", n.overall_goal, prose=True),
        _item(ev, "narrative.goal_achievement", n.goal_achievement, prose=True),
    ]))
    budget = ctx["budget"]
    sources = Table("按资金来源（万元）", ["资金来源", "年初预算数", "全年预算数", "执行数"], [
        (Item(f"budget.sources.{src.value}", FUND_SOURCE_LABELS[src], ""),
         [FUND_SOURCE_LABELS[src], *(_money(v) or "—" for v in (line.initial, line.adjusted, line.executed))])
        for src, line in b.sources.items()
    ])
    if b.fiscal is not None:
        sources.rows.append((Item("budget.fiscal", "其中：财政资金", ""),
                             ["其中：财政资金", *(_money(v) or "—" for v in (b.fiscal.initial, b.fiscal.adjusted, b.fiscal.executed))]))
    add(Section(3, "（三）项目资金安排及调整情况" if project else "（三）部门单位整体预算规模及安排情况",
                sentences=[budget["scale"], budget["initial_arrangement"], budget["adjustment_text"], budget["execution_text"]],
                items=[
                    _amount(ev, "budget.initial", b.initial), _amount(ev, "budget.adjustment", b.adjustment),
                    _amount(ev, "budget.adjusted", b.adjusted), _amount(ev, "budget.executed", b.executed),
                    Item("budget.adjustment_rate", "预算调整率（计算）", budget["adjustment_rate"]),
                    Item("budget.execution_rate", "预算执行率（计算）", budget["execution_rate"]),
                    _item(ev, "budget.stated.adjustment_rate", _percent(b.stated.adjustment_rate)),
                    _item(ev, "budget.stated.execution_rate", _percent(b.stated.execution_rate)),
                    _item(ev, "narrative.budget_arrangement", n.budget_arrangement, prose=True),
                    _item(ev, "budget.adjustment_explanation", b.adjustment_explanation, prose=True),
                    _item(ev, "narrative.adjustment_effect", n.adjustment_effect, prose=True),
                    _item(ev, "budget.execution_explanation", b.execution_explanation, prose=True),
                    _item(ev, "narrative.execution_management", n.execution_management, prose=True),
                    _item(ev, "expenditure.project_use", ex.project_use, prose=True),
                ], tables=[sources] if sources.rows else []))
    if budget["use"]:
        sections[-1].sentences.append(budget["use"])

    add(Section(2, "二、项目资金使用及管理情况" if project else "二、部门单位整体支出管理及使用情况"))
    basic = ex.basic
    add(Section(3, "（一）基本支出和使用情况", sentences=[ctx["basic"]["text"]] if ctx["basic"]["text"] else [], items=[
        _amount(ev, "expenditure.total", ex.total),
        _amount(ev, "expenditure.basic.budget", basic.budget if basic else None),
        _amount(ev, "expenditure.basic.personnel", basic.personnel if basic else None),
        _amount(ev, "expenditure.basic.public", basic.public if basic else None),
        _amount(ev, "expenditure.basic.executed", basic.executed if basic else None),
        _item(ev, "expenditure.basic.stated.execution_rate", _percent(basic.stated.execution_rate if basic else None)),
        _item(ev, "expenditure.basic.use", basic.use if basic else None, prose=True),
        _item(ev, "expenditure.basic.management", basic.management if basic else None, prose=True),
    ]))
    projects = Table("项目支出（万元）", ["项目", "资金来源", "个数", "年初预算", "全年预算", "执行数", "主要用途和实施效果"], [
        (Item(f"expenditure.projects[{i}]", f"项目{i + 1}（{p.name}）", ""),
         [p.name, FUND_SOURCE_LABELS[p.source] if p.source else "", str(p.count), _money(p.initial) or "—",
          money_text(p.budget), _money(p.executed) or "—", p.description or ""])
        for i, p in enumerate(ex.projects)
    ])
    total = ex.project_total
    # The report lists the projects after its "其中："; here the table below does, so the sentence ends before.
    summary = ctx["projects"]["summary"].removesuffix("其中：")
    add(Section(3, "（二）项目管理和使用情况", sentences=[summary] if summary else [],
                items=[
                    _item(ev, "narrative.management_system", n.management_system, prose=True),
                    _item(ev, "narrative.fund_compliance", n.fund_compliance, prose=True),
                    _item(ev, "expenditure.project_total.count", total.count if total else None),
                    _amount(ev, "expenditure.project_total.budget", total.budget if total else None),
                    _amount(ev, "expenditure.project_total.executed", total.executed if total else None),
                ], tables=[projects] if projects.rows else []))

    add(Section(2, "三、项目绩效目标完成情况分析" if project else "三、部门单位整体支出绩效分析",
                sentences=[ctx["performance"]["opening"]],
                items=[Item("indicators", "绩效指标", f"{len(ev.indicators)}个，分值合计{ctx['weight_total']}分"),
                       _item(ev, "narrative.performance_intro", n.performance_intro, prose=True, always=False)]))
    for i, (ind, row) in enumerate(zip(ev.indicators, ctx["indicators"], strict=True)):
        p = f"indicators[{i}]"
        add(Section(3, f"{row['heading']}{ind.name}", items=_own_labels([
            Item(p, "三级指标", ind.name),
            _item(ev, f"{p}.level1", ind.level1), _item(ev, f"{p}.level2", ind.level2),
            _item(ev, f"{p}.kind", ind.kind), Item(f"{p}.target", "目标值", target_text(ind)),
            _item(ev, f"{p}.mid_year", text.number(ind.mid_year) + (ind.unit or "") if ind.mid_year is not None else None),
            Item(f"{p}.actual", "完成值", actual_text(ind)), _item(ev, f"{p}.band", ind.band),
            Item(f"{p}.completion_rate", "完成率（计算）", row["completion_rate"]),
            _item(ev, f"{p}.weight", row["weight"]), Item(f"{p}.score", "得分（计算）", row["score"]),
            _item(ev, f"{p}.stated.completion_rate", _percent(ind.stated.completion_rate)),
            _item(ev, f"{p}.stated.score", text.points(ind.stated.score) if ind.stated.score is not None else None),
            _item(ev, f"{p}.manual_score", text.points(ind.manual_score) if ind.manual_score is not None else None),
            _item(ev, f"{p}.manual_reason", ind.manual_reason, prose=True, always=False),
            _item(ev, f"{p}.deduction", text.points(ind.deduction) if ind.deduction is not None else None),
            _item(ev, f"{p}.deduction_reason", ind.deduction_reason, prose=True, always=False),
            _item(ev, f"{p}.mid_year_note", ind.mid_year_note, prose=True, always=False),
            _item(ev, f"{p}.deviation_reason", ind.deviation_reason, prose=True),
            _item(ev, f"{p}.improvement", ind.improvement, prose=True),
            _item(ev, f"{p}.evidence", ind.evidence, prose=True),
            _item(ev, f"{p}.effect", ind.effect, prose=True, always=False),
            Item(f"{p}.outcome", "完成情况", f"{row['outcome']}预期效益"),
        ])))

    add(Section(2, "四、评价结论", sentences=[ctx["conclusion"]["result"]], items=[
        _item(ev, "narrative.conclusion_intro", n.conclusion_intro, prose=True, always=False),
        _item(ev, "stated.execution_score", text.points(ev.stated.execution_score) if ev.stated.execution_score is not None else None),
        _item(ev, "stated.total_score", text.points(ev.stated.total_score) if ev.stated.total_score is not None else None),
        _item(ev, "stated.grade", ev.stated.grade),
    ]))
    add(Section(2, "五、存在的主要问题及原因分析"))
    add(Section(3, "（一）存在的主要问题", items=[_list("narrative.problems", "存在的主要问题", n.problems)]))
    add(Section(3, "（二）原因分析", items=[_list("narrative.causes", "原因分析", n.causes)]))
    add(Section(2, "六、改进措施和建议"))
    add(Section(3, "（一）改进措施", items=[_list("narrative.measures", "改进措施", n.measures)]))
    add(Section(3, "（二）建议", items=[_list("narrative.suggestions", "建议", n.suggestions)]))
    for number, section in enumerate(sections, start=1):
        section.anchor = f"part-{number}"
    return sections


def _own_labels(items: list[Item]) -> list[Item]:
    """Inside an indicator's own section its fields need not say which indicator (指标3（…）·偏差原因 → 偏差原因)."""
    for item in items:
        item.label = item.label.rsplit("·", 1)[-1]
    return items


def _percent(value: Any) -> str | None:
    return None if value is None else text.percent(value)


def anchors(sections: list[Section]) -> dict[str, str]:
    """Field path → "#anchor" for every field and table row on the page (findings link through these)."""
    out: dict[str, str] = {}
    for section in sections:
        for item in section.items:
            out[item.path] = f"#{item.anchor}"
        for table in section.tables:
            for row, _ in table.rows:
                out[row.path] = f"#{row.anchor}"
    return out


def attach(sections: list[Section], notes: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Put each note (a finding or a comment, with its field path) beside the field it concerns;
    return the ones no field on the page takes (they stay in the side panel only)."""
    by_path: dict[str, Item] = {}
    for section in sections:
        for item in section.items:
            by_path[item.path] = item
        for table in section.tables:
            for row, _ in table.rows:
                by_path[row.path] = row
    left: list[dict[str, Any]] = []
    for path, note in notes:
        found = nearest(path, by_path) if path else None
        if found is None:
            left.append(note)
        else:
            found.notes.append(note)
    return left
