"""A 监控表 without an indicator-code column (as many official forms come) uploaded into the round's
monitoring report: its rows are the report's by their names, and the unit's figures go in."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from jixiao.io.rules_file import load_rules
from jixiao.report.stage_tables import write_stage_table
from web.conftest import World
from web.test_monitoring_upload import filled, monitoring_record, upload


def test_a_form_without_codes_fills_the_rows_of_the_same_names(world: World, tmp_path: Path) -> None:
    record = monitoring_record(world)
    form = tmp_path / "监控表.xlsx"
    write_stage_table(filled(record, value_to_date=Decimal(20)), load_rules("national"), form)
    wb = load_workbook(form)
    ws = wb.active
    assert ws is not None
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "指标编码")
    for row in range(header, ws.max_row + 1):
        ws.cell(row, 1).value = None  # the 指标编码 column left empty, header and all
    wb.save(form)
    response = upload(world, record, form)
    assert response.status_code == 302, response.content.decode()
    record.refresh_from_db()
    first = record.data["indicators"][0]
    assert record.current_version == 2 and Decimal(first["value_to_date"]) == 20
    assert [ind["code"] for ind in record.data["indicators"]] == [ind["code"] for ind in record.versions.get(number=1).data["indicators"]]
