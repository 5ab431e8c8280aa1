"""The finance bureau's summary report of a year: the figures (a plain, typed record) and its .docx / .xlsx.

The record is filled by the web app (`jixiao.web.desk.summary.gather`) from the relational rows; this
module only writes it, so the report can be tested from a hand-made record. Money is `Decimal` 万元,
scores and rates `Decimal` points and percent. Written through the report writer's atomic write:
a temporary file, then one rename.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core.money import fmt
from jixiao.report.text import chinese_date, chinese_numeral

SUMMARY_FORMATS = (".docx", ".xlsx", ".pdf")


@dataclass(frozen=True, slots=True)
class Count:
    """One bar of a distribution: its label, how many evaluations, and the money they cover (万元)."""

    label: str
    count: int
    money: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class DepartmentLine:
    name: str
    units: int
    evaluated: int
    covered: int
    approved: int
    budget: Decimal
    executed: Decimal
    average_total: Decimal | None
    excellent: int

    @property
    def execution_rate(self) -> Decimal | None:
        return self.executed / self.budget * 100 if self.budget else None


@dataclass(frozen=True, slots=True)
class CodeLine:
    """A finding code and how many evaluations it was found in."""

    code: str
    title: str
    severity: str
    evaluations: int
    occurrences: int


@dataclass(frozen=True, slots=True)
class NamedProblem:
    """A problem a unit named itself in its report's 存在的主要问题."""

    unit: str
    department: str
    text: str


@dataclass(frozen=True, slots=True)
class GapLine:
    """A spot-checked evaluation: the unit's own total against the re-evaluator's."""

    unit: str
    self_total: Decimal
    review_total: Decimal

    @property
    def gap(self) -> Decimal:
        return self.self_total - self.review_total


@dataclass(frozen=True, slots=True)
class AnomalyLine:
    title: str
    units: int
    examples: str


@dataclass(frozen=True, slots=True)
class BureauSummary:
    year: int
    scope: str  # "全部主管部门" or a department's name
    generated: dt.date
    units_total: int
    units_evaluated: int
    evaluations: int  # live evaluations of the year in scope
    covered: int  # of which submitted or approved: what the figures below are about
    states: list[Count]
    budget: Decimal
    executed: Decimal
    grades: list[Count]
    execution_bands: list[Count]
    departments: list[DepartmentLine]
    codes: list[CodeLine]
    with_errors: int
    problems: list[NamedProblem]
    problem_units: int
    problem_themes: list[Count]
    # None: the desk has no spot-check / anomaly module yet (the sections say so); [] : none found.
    spot_checks: list[GapLine] | None = None
    anomalies: list[AnomalyLine] | None = None
    notes: list[str] = field(default_factory=list)
    # the problems several units worded (nearly) alike: a representative wording, and how many evaluations
    problem_groups: list[Count] = field(default_factory=list)

    @property
    def execution_rate(self) -> Decimal | None:
        return self.executed / self.budget * 100 if self.budget else None

    @property
    def coverage_rate(self) -> Decimal | None:
        return Decimal(self.units_evaluated) / self.units_total * 100 if self.units_total else None


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt(value, 2)}%"


def _share(part: int, whole: int) -> str:
    return "—" if not whole else f"{fmt(Decimal(part) / whole * 100, 1)}%"


def headline(s: BureauSummary) -> list[str]:
    """The opening paragraphs, every figure computed from the record."""
    best = max(s.grades, key=lambda c: c.count) if s.grades and any(c.count for c in s.grades) else None
    lines = [
        f"{s.year} 年度，{s.scope}共有预算单位 {s.units_total} 家，其中 {s.units_evaluated} 家开展了绩效自评"
        f"（覆盖率 {_pct(s.coverage_rate)}），共 {s.evaluations} 份自评，已送审或审核通过 {s.covered} 份，"
        f"以下统计均针对这 {s.covered} 份。",
        f"所涉全年预算 {fmt(s.budget)} 万元，执行 {fmt(s.executed)} 万元，总体预算执行率 {_pct(s.execution_rate)}。",
    ]
    if best is not None:
        lines.append("自评等级分布：" + "，".join(f"“{c.label}”{c.count} 份（{_share(c.count, s.covered)}）"
                                              for c in s.grades) + f"；以“{best.label}”为最多。")
    lines.append(f"{s.with_errors} 份自评经系统校验仍有错误（{_share(s.with_errors, s.covered)}）。")
    return lines


# ---- charts ----------------------------------------------------------------------------------

def grade_chart_png(s: BureauSummary) -> bytes | None:
    from jixiao.report.charts import COLORS, _png, _pyplot

    if not any(c.count for c in s.grades):
        return None
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.2))
    labels = [c.label for c in s.grades]
    counts = [c.count for c in s.grades]
    money = [float(c.money) for c in s.grades]
    left.bar(labels, counts, color=COLORS[: len(labels)])
    for i, value in enumerate(counts):
        left.text(i, value, f"{value}", ha="center", va="bottom", fontsize=9)
    left.set_title("自评等级分布（份）", fontsize=11)
    left.yaxis.get_major_locator().set_params(integer=True)
    right.bar(labels, money, color=COLORS[: len(labels)])
    for i, c in enumerate(s.grades):
        right.text(i, float(c.money), fmt(c.money, 0), ha="center", va="bottom", fontsize=8)
    right.set_title("各等级覆盖的全年预算（万元）", fontsize=11)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig, plt)


def execution_chart_png(s: BureauSummary) -> bytes | None:
    from jixiao.report.charts import _png, _pyplot

    if not any(c.count for c in s.execution_bands):
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    labels = [c.label for c in s.execution_bands]
    counts = [c.count for c in s.execution_bands]
    colors = ["#b23b3b", "#e08a2c", "#d9b44a", "#4c9a5a", "#1f5f9f"][: len(labels)]
    ax.bar(labels, counts, color=colors)
    for i, value in enumerate(counts):
        ax.text(i, value, f"{value}", ha="center", va="bottom", fontsize=9)
    ax.set_title("预算执行率分布（份）", fontsize=11)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig, plt)


def codes_chart_png(s: BureauSummary, limit: int = 10) -> bytes | None:
    from jixiao.report.charts import _png, _pyplot

    codes = s.codes[:limit]
    if not codes:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(codes) + 1.2))
    positions = list(range(len(codes)))[::-1]
    names = [f"{c.code} {c.title[:16]}" for c in codes]
    colors = ["#b23b3b" if c.severity == "error" else "#e08a2c" if c.severity == "warning" else "#1f5f9f" for c in codes]
    ax.barh(positions, [c.evaluations for c in codes], color=colors, height=0.6)
    for pos, c in zip(positions, codes, strict=True):
        ax.text(c.evaluations, pos, f" {c.evaluations} 份", va="center", fontsize=8)
    ax.set_yticks(positions, names, fontsize=8)
    ax.set_title("最常见的校验问题（涉及自评份数）", fontsize=11)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig, plt)


# ---- Word ------------------------------------------------------------------------------------

def _table(document: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _set_fonts(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for name, face, size in (("Normal", "仿宋", 12), ("Heading 1", "黑体", 16), ("Heading 2", "黑体", 14),
                             ("Title", "黑体", 20)):
        style = document.styles[name]
        style.font.name = face
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), face)


def _picture(document: Any, png: bytes | None) -> None:
    from docx.shared import Mm

    if png:
        document.add_picture(io.BytesIO(png), width=Mm(160))


def render_summary_docx(s: BureauSummary, out: Path, charts: bool = True) -> None:
    from docx import Document

    document = Document()
    _set_fonts(document)
    document.add_heading(f"{s.year} 年度预算绩效自评汇总报告", level=0)
    document.add_paragraph(f"范围：{s.scope}　　生成日期：{chinese_date(s.generated)}")
    section = iter(range(1, 20))

    def heading(text: str) -> None:
        document.add_heading(f"{chinese_numeral(next(section))}、{text}", level=1)

    heading("总体情况")
    for line in headline(s):
        document.add_paragraph(line)
    _table(document, ["填报状态", "份数"], [[c.label, str(c.count)] for c in s.states])

    heading("自评等级与预算执行")
    _table(document, ["等级", "份数", "占比", "覆盖全年预算（万元）"],
           [[c.label, str(c.count), _share(c.count, s.covered), fmt(c.money)] for c in s.grades])
    if charts:
        _picture(document, grade_chart_png(s))
    _table(document, ["预算执行率", "份数", "占比"],
           [[c.label, str(c.count), _share(c.count, s.covered)] for c in s.execution_bands])
    if charts:
        _picture(document, execution_chart_png(s))

    heading("各主管部门情况")
    _table(document, ["主管部门", "单位数", "已自评", "已送审/审核", "审核通过", "全年预算（万元）", "执行率", "平均总分", "“优”"],
           [[d.name, str(d.units), str(d.evaluated), str(d.covered), str(d.approved), fmt(d.budget),
             _pct(d.execution_rate), "—" if d.average_total is None else fmt(d.average_total), str(d.excellent)]
            for d in s.departments])

    heading("校验发现的主要问题")
    if s.codes:
        document.add_paragraph(f"系统对每份自评逐项校验，按涉及的自评份数排列，最常见的 {len(s.codes)} 类问题如下。")
        _table(document, ["代码", "问题", "级别", "涉及份数", "出现次数"],
               [[c.code, c.title, _severity(c.severity),
                 str(c.evaluations), str(c.occurrences)] for c in s.codes])
        if charts:
            _picture(document, codes_chart_png(s))
    else:
        document.add_paragraph("校验未发现问题。")

    heading("单位自述的主要问题")
    document.add_paragraph(f"{s.problem_units} 份自评在“存在的主要问题”中列出了问题；按主题归类如下（一条可属多个主题）。")
    if s.problem_themes:
        _table(document, ["主题", "提及份数"], [[c.label, str(c.count)] for c in s.problem_themes])
    if s.problem_groups:
        document.add_paragraph("措辞相同或几乎相同的问题（按句子的 MinHash 近似归并，至少两份自评提到）：")
        _table(document, ["问题（代表性表述）", "提及份数"], [[c.label, str(c.count)] for c in s.problem_groups])
    for problem in s.problems:
        document.add_paragraph(f"{problem.unit}（{problem.department}）：{problem.text}", style="List Bullet")

    heading("抽查复核")
    if s.spot_checks is None:
        document.add_paragraph("本系统的抽查复核功能尚未启用，本节暂无数据。")
    elif not s.spot_checks:
        document.add_paragraph("本年度尚无完成复核的抽查结果。")
    else:
        gaps = sorted(s.spot_checks, key=lambda g: -abs(g.gap))
        average = sum((g.gap for g in gaps), Decimal(0)) / len(gaps)
        document.add_paragraph(f"共复核 {len(gaps)} 份自评，自评总分平均高出复核总分 {fmt(average)} 分；差距最大的如下。")
        _table(document, ["单位", "自评总分", "复核总分", "差距"],
               [[g.unit, fmt(g.self_total), fmt(g.review_total), fmt(g.gap)] for g in gaps[:20]])

    heading("异常情况")
    if s.anomalies is None:
        document.add_paragraph("本系统的异常分析功能尚未启用，本节暂无数据。")
    elif not s.anomalies:
        document.add_paragraph("未发现异常。")
    else:
        _table(document, ["异常", "涉及份数", "举例"], [[a.title, str(a.units), a.examples] for a in s.anomalies])
    for note in s.notes:
        document.add_paragraph(note)
    document.save(str(out))


SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def _severity(value: str) -> str:
    return SEVERITY_NAMES.get(value, value)


# ---- Excel -----------------------------------------------------------------------------------

def render_summary_xlsx(s: BureauSummary, out: Path) -> None:
    """One sheet per section; numbers are numbers (money in 万元, rates in percent) so Excel can sum them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from jixiao.report.xlsx_text import write_cell

    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], first: bool = False) -> None:
        ws = book.active if first else book.create_sheet(title)
        assert ws is not None
        ws.title = title
        for col, text in enumerate(header, start=1):
            write_cell(ws, 1, col, text).font = bold
        for r, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                write_cell(ws, r, col, value)
        for col in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(col)].width = 16 if col > 1 else 28

    rate = s.execution_rate
    sheet("概况", ["项目", "数值"], [
        ["年度", s.year], ["范围", s.scope], ["预算单位数", s.units_total], ["已自评单位数", s.units_evaluated],
        ["自评份数", s.evaluations], ["已送审或审核通过", s.covered], ["全年预算（万元）", s.budget],
        ["执行数（万元）", s.executed], ["预算执行率（%）", None if rate is None else round(rate, 2)],
        ["仍有错误的自评", s.with_errors], ["生成日期", s.generated.isoformat()],
    ], first=True)
    sheet("填报状态", ["状态", "份数"], [[c.label, c.count] for c in s.states])
    sheet("等级分布", ["等级", "份数", "覆盖全年预算（万元）"], [[c.label, c.count, c.money] for c in s.grades])
    sheet("执行率分布", ["预算执行率", "份数"], [[c.label, c.count] for c in s.execution_bands])
    sheet("主管部门", ["主管部门", "单位数", "已自评", "已送审/审核", "审核通过", "全年预算（万元）", "执行数（万元）",
                     "执行率（%）", "平均总分", "“优”份数"],
          [[d.name, d.units, d.evaluated, d.covered, d.approved, d.budget, d.executed,
            None if d.execution_rate is None else round(d.execution_rate, 2), d.average_total, d.excellent]
           for d in s.departments])
    sheet("校验问题", ["代码", "问题", "级别", "涉及份数", "出现次数"],
          [[c.code, c.title, _severity(c.severity), c.evaluations, c.occurrences] for c in s.codes])
    sheet("单位自述问题", ["单位", "主管部门", "问题"], [[p.unit, p.department, p.text] for p in s.problems])
    sheet("问题主题", ["主题", "提及份数"], [[c.label, c.count] for c in s.problem_themes])
    sheet("相似问题", ["问题（代表性表述）", "提及份数"], [[c.label, c.count] for c in s.problem_groups])
    if s.spot_checks is not None:
        sheet("抽查复核", ["单位", "自评总分", "复核总分", "差距"],
              [[g.unit, g.self_total, g.review_total, g.gap] for g in s.spot_checks])
    if s.anomalies is not None:
        sheet("异常情况", ["异常", "涉及份数", "举例"], [[a.title, a.units, a.examples] for a in s.anomalies])
    book.save(str(out))


def render_summary(s: BureauSummary, out: Path, fmt: str, charts: bool = True) -> None:
    """Write the summary report as `fmt` (docx, xlsx, or pdf through LibreOffice) to `out`, as is."""
    import tempfile

    from jixiao.report.write import UnsupportedFormat

    if fmt == "docx":
        render_summary_docx(s, out, charts=charts)
    elif fmt == "xlsx":
        render_summary_xlsx(s, out)
    elif fmt == "pdf":
        from jixiao.report.pdf import docx_to_pdf, find_soffice

        find_soffice()
        with tempfile.TemporaryDirectory(prefix="jixiao-summary-") as work:
            docx = Path(work) / "summary.docx"
            render_summary_docx(s, docx, charts=charts)
            docx_to_pdf(docx, out)
    else:
        raise UnsupportedFormat(f"不支持的汇总报告格式“{fmt}”，支持：{'、'.join(SUMMARY_FORMATS)}")


def write_summary(s: BureauSummary, out: Path, charts: bool = True) -> None:
    """Write the summary report atomically; the format follows the extension (.docx, .xlsx, .pdf)."""
    from jixiao.report.write import _atomic

    _atomic(out, lambda p: render_summary(s, p, out.suffix.lower().lstrip("."), charts=charts))
