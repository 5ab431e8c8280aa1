"""Hostile workbooks (tests/hostile.py) read by every .xlsx door — 自评表, 申报表/监控表, 指标库:
refused in bounded time with a Chinese message naming the file and the sheet."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from hostile import far_cell_xlsx, unpacking_bomb_xlsx, write
from jixiao.core.evaluate import Result
from jixiao.io.errors import InputError
from jixiao.io.inputs import read_input
from jixiao.report import xlsx_cells, xlsx_reader
from jixiao.report.library_xlsx import read_library_xlsx
from jixiao.report.stage_reader import sniff_stage_table
from jixiao.report.write import write_table

assert xlsx_reader  # registers the .xlsx reader


def refused(read: object, *args: object) -> str:
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read(*args)  # type: ignore[operator]
    assert time.perf_counter() - started < 5
    return str(caught.value)


def test_a_far_cell_in_a_5_kb_file_is_refused_naming_sheet_and_cell(tmp_path: Path) -> None:
    path = write(tmp_path / "远处.xlsx", far_cell_xlsx())
    assert path.stat().st_size < 6_000
    message = refused(read_input, path)
    assert str(path) in message and "工作表“自评表”" in message and "XFD1048576" in message and "超出范围" in message


def test_a_far_cell_in_a_real_form_is_refused_and_the_form_alone_reads(seed: Result, tmp_path: Path) -> None:
    form = tmp_path / "自评表.xlsx"
    write_table(seed, form)
    assert read_input(form).unit.name == seed.evaluation.unit.name
    hostile = write(tmp_path / "自评表-远处.xlsx", far_cell_xlsx(form.read_bytes(), cell="ZZ9000"))
    assert "ZZ9000" in refused(read_input, hostile)


def test_far_cells_are_refused_by_the_stage_and_library_readers(tmp_path: Path) -> None:
    stage = write(tmp_path / "申报表.xlsx", far_cell_xlsx(sheet="申报表"))
    assert "工作表“申报表”" in refused(sniff_stage_table, stage)
    library = io.BytesIO(far_cell_xlsx(sheet="指标库"))
    assert "工作表“指标库”" in refused(read_library_xlsx, library, "指标库.xlsx")


def test_a_workbook_unpacking_to_160_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path / "炸弹.xlsx", unpacking_bomb_xlsx(160))
    assert path.stat().st_size < 2 * 1024 * 1024
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 150 * 1024 * 1024
    message = refused(read_input, path)
    assert str(path) in message and "解压后过大" in message


def test_a_workbook_just_under_the_ratio_floor_still_reads_its_cells(tmp_path: Path) -> None:
    path = write(tmp_path / "小.xlsx", far_cell_xlsx(cell="B2"))
    with xlsx_cells.open_workbook(path) as wb:
        sheet = wb.sheet("自评表")
    assert sheet.values == {(1, 1): "三级指标", (2, 2): "远处的一个值"} and (sheet.max_row, sheet.max_column) == (2, 2)
