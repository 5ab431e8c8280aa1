"""The 自评表 (and the warning box) as real Word tables with merged cells, via python-docx."""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from jixiao.report.table_layout import COLUMN_WIDTHS, COLUMNS, Cell, CellFormat, Role, TableLayout

TABLE_FONT = "宋体"


def add_self_table(container: Any, layout: TableLayout, width_cm: float = 16.0, font_size: float = 9) -> Table:
    """Append the layout as a table to a python-docx Document (or docxtpl Subdoc)."""
    table: Table = container.add_table(rows=layout.rows, cols=COLUMNS)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table)
    scale = width_cm / sum(COLUMN_WIDTHS)
    widths = [Cm(w * scale) for w in COLUMN_WIDTHS]
    table.autofit = False
    for i, column in enumerate(table.columns):
        column.width = widths[i]  # the grid LibreOffice and WPS lay out by
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
    for spec in layout.cells:
        cell = table.cell(spec.row, spec.col)
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(table.cell(spec.row + spec.rowspan - 1, spec.col + spec.colspan - 1))
        _fill(cell, spec, font_size)
    _repeat_header(table, layout.header_rows)
    return table


def _fill(cell: _Cell, spec: Cell, font_size: float) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = spec.text.split("\n") if spec.text else [""]
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.alignment = _alignment(spec)
        run = paragraph.add_run(line)
        size = font_size + (5 if spec.role is Role.TITLE else 1 if spec.role is Role.SUBTITLE else 0)
        run.font.size = Pt(size)
        run.font.bold = spec.role in (Role.TITLE, Role.HEADER, Role.LABEL, Role.TOTAL)
        set_east_asian(run, TABLE_FONT)
    if spec.role in (Role.TITLE, Role.SUBTITLE):
        _no_borders(cell)


def _alignment(spec: Cell) -> WD_ALIGN_PARAGRAPH:
    if spec.format is not CellFormat.TEXT:
        return WD_ALIGN_PARAGRAPH.CENTER
    if spec.role is Role.VALUE and spec.colspan > 2:
        return WD_ALIGN_PARAGRAPH.LEFT
    if spec.role is Role.VALUE and spec.col in (3, 8):
        return WD_ALIGN_PARAGRAPH.LEFT
    return WD_ALIGN_PARAGRAPH.CENTER


def set_east_asian(run: Any, name: str) -> None:
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def _borders(table: Table, color: str = "000000") -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), color)
        borders.append(el)
    tbl_pr.append(borders)


def _no_borders(cell: _Cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tc_pr.append(borders)


def _repeat_header(table: Table, rows: int) -> None:
    for row in table.rows[:rows]:
        tr_pr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def add_warning_box(container: Any, warnings: list[str]) -> Table:
    """A shaded, bordered box listing the data errors a report was produced with (--allow-errors)."""
    table: Table = container.add_table(rows=1, cols=1)
    _borders(table, color="C00000")
    cell = table.cell(0, 0)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "FDE9E7")
    cell._tc.get_or_add_tcPr().append(shading)
    head = cell.paragraphs[0].add_run("⚠ 注意：数据校验发现以下错误，本报告按 --allow-errors 生成，提交前请改正：")
    head.font.bold = True
    head.font.color.rgb = RGBColor(0xC0, 0, 0)
    set_east_asian(head, "黑体")
    for line in warnings:
        run = cell.add_paragraph().add_run(line)
        run.font.size = Pt(11)
        set_east_asian(run, "宋体")
    return table
