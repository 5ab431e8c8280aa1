"""The 自评表 as .xlsx (openpyxl): merged cells, number formats, borders, widths, print setup.

Numbers are stored as numbers (amounts in 万元 with format 0.00, rates as fractions
with a percent format, targets and actual values with their unit in the number format)
so the workbook calculates and reads back exactly.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import IO

from jixiao.core.model import Evaluation
from jixiao.core.money import HUNDRED
from jixiao.core.scoring import Scorecard
from jixiao.report.table_layout import Cell, CellFormat, Role, TableLayout, build_table

SHEET_TITLE = "自评表"
FONT_NAME = "宋体"


def _quoted(text: str) -> str:
    """A literal inside an Excel number format."""
    return '"' + text.replace('"', "") + '"' if text else ""


def number_format(cell: Cell) -> str | None:
    if cell.format is CellFormat.MONEY:
        return "0.00"
    if cell.format is CellFormat.PERCENT:
        return "0.00%"
    if cell.format is CellFormat.SCORE:
        return "General"
    if cell.format is CellFormat.NUMBER:
        return f"{_quoted(cell.prefix)}General{_quoted(cell.suffix)}"
    return None


def cell_value(cell: Cell) -> str | int | float | None:
    if cell.value is None:
        return cell.text if cell.text else None
    value: Decimal = cell.value
    if cell.format is CellFormat.PERCENT:
        value = value / HUNDRED
    # openpyxl writes Decimal as a number; int where exact keeps "10" rather than "10.0".
    return int(value) if value == value.to_integral_value() else float(value)


def write_table_xlsx(evaluation: Evaluation, card: Scorecard, out: Path | IO[bytes]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    fill_sheet(ws, build_table(evaluation, card))
    wb.properties.title = f"{evaluation.title_name} {evaluation.year}年度绩效自评表"
    wb.properties.creator = "jixiao"
    wb.save(out)


def fill_sheet(ws: object, layout: TableLayout) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from jixiao.report.xlsx_text import write_cell

    assert isinstance(ws, Worksheet)
    ws.title = SHEET_TITLE
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width * 1.15
    for spec in layout.cells:
        row, col = spec.row + 1, spec.col + 1
        target = write_cell(ws, row, col, cell_value(spec))
        fmt = number_format(spec)
        if fmt:
            target.number_format = fmt
        bold = spec.role in (Role.TITLE, Role.HEADER, Role.LABEL, Role.TOTAL)
        size = 16 if spec.role is Role.TITLE else 11 if spec.role is Role.SUBTITLE else 10
        target.font = Font(name=FONT_NAME, size=size, bold=bold)
        left = spec.format is CellFormat.TEXT and spec.text != "—" and spec.role is Role.VALUE and (spec.colspan > 2 or spec.col in layout.text_columns)
        target.alignment = Alignment(
            horizontal="left" if left else "center", vertical="center", wrap_text=True
        )
        if spec.rowspan > 1 or spec.colspan > 1:
            ws.merge_cells(
                start_row=row, start_column=col,
                end_row=row + spec.rowspan - 1, end_column=col + spec.colspan - 1,
            )
        if spec.role not in (Role.TITLE, Role.SUBTITLE):
            for r in range(row, row + spec.rowspan):
                for c in range(col, col + spec.colspan):
                    ws.cell(row=r, column=c).border = border
    ws.row_dimensions[1].height = 28
    for r in range(3, layout.rows + 1):
        texts = [c for c in layout.cells if c.row + 1 == r and c.rowspan == 1]
        longest = max((len(c.text) / max(1, sum(layout.widths[c.col : c.col + c.colspan]) / 2) for c in texts), default=1)
        ws.row_dimensions[r].height = max(20, min(160, 15 * (int(longest) + 1)))
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.print_title_rows = f"1:{layout.header_rows}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.freeze_panes = None
