"""An .xlsx as audit input: each row one pipe line, as the Word reader gives a Word table; bounded; sniffed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from jixiao.audit.extract import collect, extract
from jixiao.audit.xlsx_input import MAX_ROWS, display
from jixiao.core.evaluate import evaluate
from jixiao.core.rules import RuleSet
from jixiao.io.errors import InputError
from jixiao.io.inputs import read_input
from jixiao.report.write import write_table

EXAMPLES = Path(__file__).parents[2] / "examples"


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        extract(path)
    return str(caught.value)


@pytest.mark.parametrize("name", ["xinshi-commerce-2024", "rural-roads-project-2024", "reverse-qualitative-2024"])
def test_the_standard_table_workbook_reads_as_the_word_table(tmp_path: Path, rules: RuleSet, name: str) -> None:
    result = evaluate(read_input(EXAMPLES / f"{name}.yaml"), rules)
    write_table(result, tmp_path / "t.xlsx")
    write_table(result, tmp_path / "t.docx")
    workbook = extract(tmp_path / "t.xlsx")
    assert workbook.kind == "xlsx"
    assert workbook.lines == extract(tmp_path / "t.docx").lines


def test_seed_table_rows(tmp_path: Path, rules: RuleSet) -> None:
    write_table(evaluate(read_input(EXAMPLES / "xinshi-commerce-2024.yaml"), rules), tmp_path / "自评表.xlsx")
    lines = extract(tmp_path / "自评表.xlsx").lines
    assert lines[:2] == ["部门（单位）整体支出绩效自评表", "（2024年度）"]
    assert "年度部门整体支出预算（万元） | 年度资金总额 | 3142.55 | 3142.55 | 3142.55 | 10 | 100% | 10" in lines
    assert "绩效指标 |  |  | 引进企业数量 | ≥70家 | 72家 | 30 | 30 | " + (
        "偏差原因：年中时部分招商项目处于洽谈推进阶段,落地周期较长,下半年项目加速落地,企业引进数量增长。 "
        "改进措施：建立招商项目全周期跟踪机制,年初提前梳理意向项目,加强过程沟通协调,推动项目尽早落地。") in lines
    assert lines[-1] == "总分 | 100 | 85 | 评价等级：良"


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (3142.55, "0.00", "3142.55"), (1200, "0.00", "1200.00"), (0.125, "0.00", "0.13"),
        (1, "0.00%", "100%"), (1.0286, "0.00%", "102.86%"), (0.999, "0%", "99.9%"),
        (70, '"≥"General"家"', "≥70家"), (244.62, 'General"亿元"', "244.62亿元"),
        (9.9, "General", "9.9"), (10.0, "General", "10"), (0.1 + 0.2, "General", "0.3"),
        (1234.5, "#,##0", "1235"), (True, "General", "是"), ("  两行\n文字 ", "General", "两行 文字"),
    ],
)
def test_numbers_read_as_the_sheet_shows_them(value: object, number_format: str, shown: str) -> None:
    assert display(value, number_format) == shown


def test_merged_cells_and_empty_slots(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "表1"
    sheet["B1"] = "标题"
    sheet.merge_cells("B1:D1")
    sheet["B2"], sheet["D2"] = "a", "c"
    sheet["B3"], sheet["C3"], sheet["C4"] = "资金", 1, 2
    sheet.merge_cells("B3:B4")
    sheet["B6"] = "=1+1"  # a formula with no cached result: nothing stored, nothing evaluated
    second = workbook.create_sheet("表2")
    second["A1"], second["B1"] = "总分", 85
    workbook.save(tmp_path / "m.xlsx")
    assert extract(tmp_path / "m.xlsx").lines == ["标题", "a |  | c", "资金 | 1 | ", "资金 | 2 | ", "", "总分 | 85"]


def test_content_decides_not_the_name(tmp_path: Path, rules: RuleSet) -> None:
    result = evaluate(read_input(EXAMPLES / "xinshi-commerce-2024.yaml"), rules)
    write_table(result, tmp_path / "t.xlsx")
    write_table(result, tmp_path / "t.docx")
    (tmp_path / "t.xlsx").rename(tmp_path / "renamed.docx")
    (tmp_path / "t.docx").rename(tmp_path / "renamed.xlsx")
    assert extract(tmp_path / "renamed.docx").kind == "xlsx"
    assert extract(tmp_path / "renamed.xlsx").kind == "docx"
    (tmp_path / "fake.xlsx").write_text("这不是Excel", encoding="utf-8")
    assert "不是 Excel 工作簿" in error_of(tmp_path / "fake.xlsx")
    with zipfile.ZipFile(tmp_path / "other.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "xl/workbook.xml" in error_of(tmp_path / "other.xlsx")
    assert collect([tmp_path]) == sorted(tmp_path.glob("*.[dx]*"))


def test_a_sheet_past_the_row_bound_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("大表")
    for number in range(MAX_ROWS + 2):
        sheet.append([number])
    workbook.save(tmp_path / "big.xlsx")
    assert "超过 20000 行" in error_of(tmp_path / "big.xlsx")


def test_a_value_far_below_the_form_is_refused_naming_its_row_and_rows_between_stay_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"], sheet["B1"] = "项目名称", "示例项目"
    sheet["A4"], sheet["C4"] = "年度资金总额", 100
    workbook.save(tmp_path / "gap.xlsx")
    # Rows 2-3 are not stored: the form still reads as its two stored rows, the gap dropped as blank.
    assert extract(tmp_path / "gap.xlsx").lines == ["项目名称 | 示例项目 | ", "年度资金总额 |  | 100"]
    sheet["D30000"] = "远处"
    workbook.save(tmp_path / "far.xlsx")
    assert "第 30000 行仍有内容" in error_of(tmp_path / "far.xlsx")


def test_a_zip_bomb_workbook_is_refused_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(260):
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    message = error_of(path)
    assert "Excel 工作簿" in message and "压缩炸弹" in message


def test_a_sheet_that_misstates_its_extent_is_read_whole(tmp_path: Path) -> None:
    """Some writers declare every sheet as "A1": the cells stored beyond it are read all the same."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"], sheet["B1"], sheet["C1"] = "年度资金总额", 50, 45
    sheet["A2"], sheet["C2"] = "其中：财政拨款", 45
    workbook.save(tmp_path / "true.xlsx")
    with zipfile.ZipFile(tmp_path / "true.xlsx") as source, zipfile.ZipFile(tmp_path / "a1.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert b'ref="A1"' in data
            target.writestr(item, data)
    assert extract(tmp_path / "a1.xlsx").lines == ["年度资金总额 | 50 | 45", "其中：财政拨款 |  | 45"]
