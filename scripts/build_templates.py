"""Regenerate the shipped Word templates under src/jixiao/templates/report/.

    .venv/bin/python scripts/build_templates.py

The templates are ordinary .docx files with docxtpl (Jinja2) tags; users copy and
edit them in Word (fonts, spacing, wording, order of sections) and pass them with
`jixiao report --template PATH`. This script only lays out the shipped ones so they
can be rebuilt reproducibly; the variables they use are documented in
`jixiao.report.context.build_context`.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT  # noqa: F401  (kept for users adapting the script)
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

OUT = Path(__file__).resolve().parent.parent / "src" / "jixiao" / "templates" / "report"

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"


def _east_asian(style_or_run: object, name: str) -> None:
    """Set the East Asian font (python-docx only sets the Latin one)."""
    element = style_or_run.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    # Quotation marks (“ ”) are "ambiguous" characters: without the hint Word and LibreOffice set
    # them in the Latin font, and PDF text extraction then moves them out of their sentence.
    fonts.set(qn("w:hint"), "eastAsia")


def new_document() -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    _east_asian(normal, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(26)
    normal.paragraph_format.space_after = Pt(0)
    for level, size in ((1, 16), (2, 15), (3, 14)):
        style = doc.styles[f"Heading {level}"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(size)
        style.font.bold = level != 3
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asian(style, HEADING_FONT if level == 1 else "楷体" if level == 2 else BODY_FONT)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.line_spacing = Pt(26)
    return doc


def body(doc: DocumentObject, text: str) -> Paragraph:
    p = doc.add_paragraph(text)
    p.paragraph_format.first_line_indent = Pt(28)
    for run in p.runs:
        _east_asian(run, BODY_FONT)
    return p


def tag(doc: DocumentObject, text: str) -> Paragraph:
    """A paragraph holding only a docxtpl block tag ({%p ... %}); removed on rendering."""
    return doc.add_paragraph(text)


def optional(doc: DocumentObject, expression: str) -> None:
    """A body paragraph printed only when the value is non-empty."""
    tag(doc, f"{{%p if {expression} %}}")
    body(doc, f"{{{{ {expression} }}}}")
    tag(doc, "{%p endif %}")


def each(doc: DocumentObject, items: str) -> None:
    tag(doc, f"{{%p for item in {items} %}}")
    body(doc, "{{ item }}")
    tag(doc, "{%p endfor %}")


def centered(doc: DocumentObject, text: str, size: int, bold: bool = False, font: str = TITLE_FONT) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run, font)
    return p


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def cover(doc: DocumentObject) -> None:
    p = doc.add_paragraph()
    run = p.add_run("{{ attachment_no }}")
    _east_asian(run, HEADING_FONT)
    for _ in range(5):
        doc.add_paragraph()
    centered(doc, "{{ title }}", 24, bold=True)
    doc.add_paragraph()
    centered(doc, "{{ year_text }}", 16, font=BODY_FONT)
    for _ in range(8):
        doc.add_paragraph()
    for line in ("{{ unit_label }}：{{ unit_name }}", "填报时间：{{ filled_date }}"):
        p = doc.add_paragraph(line)
        p.paragraph_format.left_indent = Cm(1.5)
    page_break(doc)


def warning_box(doc: DocumentObject) -> None:
    tag(doc, "{%p if warning_box %}")
    doc.add_paragraph("{{p warning_box }}")
    tag(doc, "{%p endif %}")


def chart(doc: DocumentObject, name: str) -> None:
    tag(doc, f"{{%p if {name} %}}")
    p = doc.add_paragraph(f"{{{{ {name} }}}}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Body text uses an exact line height; a picture in such a line would be cut to that height.
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(6)
    tag(doc, "{%p endif %}")


def indicators(doc: DocumentObject) -> None:
    tag(doc, "{%p for ind in indicators %}")
    doc.add_paragraph("{{ ind.heading }}", style="Heading 3")
    body(doc, "{{ ind.paragraph }}")
    tag(doc, "{%p endfor %}")


def problems_and_measures(doc: DocumentObject) -> None:
    doc.add_paragraph("五、存在的主要问题及原因分析", style="Heading 1")
    doc.add_paragraph("（一）存在的主要问题", style="Heading 2")
    each(doc, "narrative.problems")
    doc.add_paragraph("（二）原因分析", style="Heading 2")
    each(doc, "narrative.causes")
    doc.add_paragraph("六、改进措施和建议", style="Heading 1")
    doc.add_paragraph("（一）改进措施", style="Heading 2")
    each(doc, "narrative.measures")
    doc.add_paragraph("（二）建议", style="Heading 2")
    each(doc, "narrative.suggestions")


def appendix(doc: DocumentObject) -> None:
    page_break(doc)
    doc.add_paragraph("附表：{{ table.title }}")
    doc.add_paragraph("{{p self_table }}")


def department() -> DocumentObject:
    doc = new_document()
    cover(doc)
    warning_box(doc)
    h1 = lambda t: doc.add_paragraph(t, style="Heading 1")  # noqa: E731
    h2 = lambda t: doc.add_paragraph(t, style="Heading 2")  # noqa: E731
    h3 = lambda t: doc.add_paragraph(t, style="Heading 3")  # noqa: E731
    h1("一、基本概况")
    h2("（一）部门单位基本情况")
    h3("1.部门主要职能")
    optional(doc, "overview.functions")
    h3("2.部门机构设置及人员构成")
    optional(doc, "overview.organisation")
    optional(doc, "overview.staffing")
    h2("（二）部门单位年度重点工作")
    optional(doc, "overview.key_work")
    h2("（三）部门单位整体预算规模及安排情况")
    body(doc, "{{ budget.scale }}")
    h3("1.年初预算安排情况")
    body(doc, "{{ budget.initial_arrangement }}")
    optional(doc, "budget.arrangement")
    h3("2.预算调整情况")
    body(doc, "{{ budget.adjustment_text }}")
    optional(doc, "budget.adjustment_explanation")
    optional(doc, "budget.adjustment_effect")
    h3("3.全年预算执行情况")
    body(doc, "{{ budget.execution_text }}")
    optional(doc, "budget.execution_explanation")
    optional(doc, "budget.execution_management")
    h3("4.资金使用主要内容及范围")
    optional(doc, "budget.use")
    chart(doc, "chart_budget")
    h1("二、部门单位整体支出管理及使用情况")
    h2("（一）基本支出和使用情况")
    optional(doc, "basic.text")
    optional(doc, "basic.management")
    h2("（二）项目管理和使用情况")
    h3("1.项目管理情况")
    h3("（1）管理制度健全性")
    optional(doc, "narrative.management_system")
    h3("（2）资金使用合规性和安全性")
    optional(doc, "narrative.fund_compliance")
    h3("2.项目使用情况")
    optional(doc, "projects.summary")
    tag(doc, "{%p for group in projects.groups %}")
    h3("{{ group.title }}")
    body(doc, "{{ group.text }}")
    tag(doc, "{%p endfor %}")
    h1("三、部门单位整体支出绩效分析")
    body(doc, "{{ performance.opening }}")
    optional(doc, "performance.intro")
    chart(doc, "chart_indicators")
    indicators(doc)
    h1("四、评价结论")
    optional(doc, "conclusion.intro")
    body(doc, "{{ conclusion.result }}")
    problems_and_measures(doc)
    appendix(doc)
    return doc


def project() -> DocumentObject:
    doc = new_document()
    cover(doc)
    warning_box(doc)
    h1 = lambda t: doc.add_paragraph(t, style="Heading 1")  # noqa: E731
    h2 = lambda t: doc.add_paragraph(t, style="Heading 2")  # noqa: E731
    h1("一、项目基本情况")
    h2("（一）项目概况")
    body(doc, "项目名称：{{ project.name }}。主管部门：{{ project.supervising_department }}。实施单位：{{ project.implementing_unit }}。")
    h2("（二）项目年度总体目标")
    optional(doc, "overview.overall_goal")
    h2("（三）项目资金安排及调整情况")
    body(doc, "{{ budget.scale }}")
    body(doc, "{{ budget.initial_arrangement }}")
    optional(doc, "budget.arrangement")
    body(doc, "{{ budget.adjustment_text }}")
    optional(doc, "budget.adjustment_explanation")
    optional(doc, "budget.adjustment_effect")
    h1("二、项目资金使用及管理情况")
    h2("（一）资金执行情况")
    body(doc, "{{ budget.execution_text }}")
    optional(doc, "budget.execution_explanation")
    optional(doc, "budget.execution_management")
    optional(doc, "budget.use")
    chart(doc, "chart_budget")
    h2("（二）项目管理情况")
    optional(doc, "narrative.management_system")
    optional(doc, "narrative.fund_compliance")
    h1("三、项目绩效目标完成情况分析")
    body(doc, "{{ performance.opening }}")
    optional(doc, "performance.intro")
    optional(doc, "overview.goal_achievement")
    chart(doc, "chart_indicators")
    indicators(doc)
    h1("四、评价结论")
    optional(doc, "conclusion.intro")
    body(doc, "{{ conclusion.result }}")
    problems_and_measures(doc)
    appendix(doc)
    return doc


def sichuan() -> DocumentObject:
    """Province-style variant (Sichuan form, rules.md §1.8): the 自评表 first, then three
    boxed free-text fields (评价结论 / 存在问题 / 改进措施) and the two signatures."""
    doc = new_document()
    centered(doc, "{{ title }}", 20, bold=True)
    centered(doc, "{{ year_text }}", 14, font=BODY_FONT)
    doc.add_paragraph("{{ unit_label }}：{{ unit_name }}")
    warning_box(doc)
    doc.add_paragraph("{{p self_table }}")
    doc.add_paragraph()
    boxes = doc.add_table(rows=3, cols=2)
    boxes.style = "Table Grid"
    boxes.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = (
        ("评价结论\n（200字以内）", "{{ conclusion.result }}预算执行率{{ budget.execution_rate }}，得{{ budget.score }}分。"),
        ("存在问题\n（200字以内）", "{{ narrative.problems_text }}"),
        ("改进措施\n（200字以内）", "{{ narrative.measures_text }}"),
    )
    boxes.autofit = False
    boxes.columns[0].width, boxes.columns[1].width = Cm(3.5), Cm(12.3)
    for row, (label, value) in zip(boxes.rows, rows, strict=True):
        row.cells[0].width = Cm(3.5)
        row.cells[1].width = Cm(12.3)
        row.cells[0].text = label
        row.cells[1].text = value
        row.height = Cm(3.2)
    doc.add_paragraph()
    doc.add_paragraph("项目负责人（签字）：                财务负责人（签字）：")
    doc.add_paragraph("填报日期：{{ filled_date }}")
    page_break(doc)
    doc.add_paragraph("绩效指标完成情况说明", style="Heading 1")
    body(doc, "{{ performance.opening }}")
    indicators(doc)
    doc.add_paragraph("评价结论", style="Heading 1")
    body(doc, "{{ conclusion.result }}")
    return doc


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (("default", department), ("default-project", project), ("sichuan", sichuan)):
        path = OUT / f"{name}.docx"
        build().save(str(path))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
