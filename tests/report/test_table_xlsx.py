from pathlib import Path

import openpyxl

from jixiao.core.evaluate import Result
from jixiao.report.write import write_table


def _find(ws: object, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(text)


def test_seed_workbook_layout_formats_and_print_setup(seed: Result, tmp_path: Path) -> None:
    out = tmp_path / "seed.xlsx"
    write_table(seed, out)
    ws = openpyxl.load_workbook(out)["自评表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:I1" in merged and "A2:I2" in merged and "C3:I3" in merged
    row, _col = _find(ws, "年度资金总额")
    assert ws.cell(row, 4).value == 3142.55 and ws.cell(row, 4).number_format == "0.00"
    assert ws.cell(row, 8).value == 1 and ws.cell(row, 8).number_format == "0.00%"
    assert ws.cell(row, 9).value == 10
    r, _ = _find(ws, "引进企业数量")
    assert ws.cell(r, 5).value == 70 and ws.cell(r, 5).number_format == '"≥"General"家"'
    assert ws.cell(r, 6).value == 72 and ws.cell(r, 6).number_format == 'General"家"'
    assert ws.cell(r, 7).value == 30 and ws.cell(r, 8).value == 30
    total_row, _ = _find(ws, "总分")
    assert ws.cell(total_row, 7).value == 100 and ws.cell(total_row, 8).value == 85
    assert ws.cell(total_row, 9).value == "评价等级：良"
    assert ws.cell(r, 4).border.left.style == "thin" and ws.cell(r, 9).border.right.style == "thin"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["G"].width
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"


def test_project_workbook_merges_level1(project: Result, tmp_path: Path) -> None:
    out = tmp_path / "project.xlsx"
    write_table(project, out)
    ws = openpyxl.load_workbook(out)["自评表"]
    row, _col = _find(ws, "产出指标")
    assert f"B{row}:B{row + 3}" in {str(r) for r in ws.merged_cells.ranges}
    r, _ = _find(ws, "每公里养护成本")
    assert ws.cell(r, 5).number_format == '"≤"General"万元/公里"' and ws.cell(r, 8).value == 9.74
