"""The 申报表 and 监控表: written as .xlsx/.docx, read back to the same model, errors with the cell."""

from pathlib import Path

import pytest
from docx import Document

from jixiao.io.errors import InputError
from jixiao.io.rules_file import load_rules
from jixiao.io.stage_file import read_any
from jixiao.report.stage_reader import sniff_stage_table
from jixiao.report.stage_tables import write_stage_table
from stage_builders import declaration, monitoring, with_monitored, with_target

RULES = load_rules("national")
ADJUSTED = [{"code": "XM-001", "target": 90, "reason": "上级调减任务量", "decision": "approved"},
            {"code": "XM-006", "target_text": "出台办法", "reason": "合并巡查", "decision": "refused"}]


def round_trip(model: object, tmp_path: Path) -> object:
    out = tmp_path / "table.xlsx"
    write_stage_table(model, RULES, out)  # type: ignore[arg-type]
    document = read_any(out)
    assert not isinstance(document, type(None)) and hasattr(document, "model")
    return document.model  # type: ignore[union-attr]


def test_targets_read_back_exactly(tmp_path: Path) -> None:
    decl = with_target(declaration(adjustments=ADJUSTED), "XM-005", basis_note="2024年统计", below_last_year_reason="服务范围调整")
    assert round_trip(decl, tmp_path) == decl


def test_monitoring_reads_back_exactly(tmp_path: Path) -> None:
    report = with_monitored(monitoring(), "XM-002", deviation_reason="抽检批次少")
    assert round_trip(report, tmp_path) == report


def test_a_department_declaration_reads_back(tmp_path: Path) -> None:
    decl = declaration(kind="department", project=None)
    assert round_trip(decl, tmp_path) == decl


def test_docx_has_the_form_with_its_lights(tmp_path: Path) -> None:
    out = tmp_path / "m.docx"
    write_stage_table(monitoring(), RULES, out)
    texts = [cell.text for table in Document(str(out)).tables for row in table.rows for cell in row.cells]
    assert "项目支出绩效运行监控表" in texts and "红灯（60%）" in texts and "时间进度" in texts


def test_a_broken_value_names_the_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    write_stage_table(declaration(), RULES, out)
    wb = load_workbook(out)
    wb.active["F8"] = "二十"  # weight of the first indicator
    wb.save(out)
    with pytest.raises(InputError) as caught:
        read_any(out)
    assert "单元格 F8" in str(caught.value) and "分值" in str(caught.value)


def test_other_workbooks_are_not_stage_tables(tmp_path: Path) -> None:
    from openpyxl import Workbook

    out = tmp_path / "x.xlsx"
    Workbook().save(out)
    assert sniff_stage_table(out) is None
