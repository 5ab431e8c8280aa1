"""The 申报表 and 监控表 read back from .xlsx and .docx: jixiao's own (any generated stage, the same data),
forms edited by hand (blank rows, merged cells, numbers typed as text) and bad files (the cell named)."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from jixiao.core.monitoring import MonitoringReport
from jixiao.core.targets import TargetDeclaration
from jixiao.io.errors import InputError
from jixiao.io.rules_file import load_rules
from jixiao.io.stage_file import StageDocument, read_any
from jixiao.report.stage_tables import write_stage_table
from stage_builders import declaration, monitoring

RULES = load_rules("national")
SUFFIXES = (".xlsx", ".docx")

# Words as people type them on the forms: Chinese, no leading digit (a leading number reads as a value).
_WORD = st.text(alphabet="数量质量时效成本满意度覆盖完成率群众培训人次项目验收合格", min_size=1, max_size=12)
_TWO_PLACES = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False)


def read_back(model: object, path: Path) -> Any:
    write_stage_table(model, RULES, path)  # type: ignore[arg-type]
    document = read_any(path)
    assert isinstance(document, StageDocument)
    return document.model


def _row(draw: st.DrawFn, n: int) -> dict[str, Any]:
    """What every stage's indicator row has: a code, its levels and its name."""
    return {"code": f"ZB-{n:03d}", "level1": draw(st.sampled_from(["产出", "效益", "满意度"])), "level2": draw(_WORD),
            "name": draw(_WORD)}


@st.composite
def targets(draw: st.DrawFn) -> TargetDeclaration:
    base = declaration().model_dump(mode="json")
    rows = []
    for n in range(draw(st.integers(1, 8))):
        row = _row(draw, n) | {"weight": str(draw(st.decimals(0, 100, places=1))),
                               "basis": draw(st.sampled_from([None, "历史值", "计划标准", "行业标准"])),
                               "basis_note": draw(st.none() | _WORD)}
        if draw(st.booleans()):
            row |= {"target": str(draw(_TWO_PLACES)), "comparator": draw(st.sampled_from([">=", "<=", "="])),
                    "unit": draw(st.sampled_from(["个", "%", "人次", "万元"])),
                    "last_year_actual": draw(st.none() | _TWO_PLACES.map(str))}
        else:
            row |= {"kind": "qualitative", "target_text": draw(_WORD)}
        rows.append(row)
    kind = draw(st.sampled_from(["project", "department"]))
    changes = {"indicators": rows, "kind": kind, "year": draw(st.integers(2020, 2030)), "adjustments": [],
               "budget": {"total": str(draw(_TWO_PLACES)), "fiscal": str(draw(_TWO_PLACES)), "other": None},
               "overall_goal": draw(_WORD)}
    if kind == "department":
        changes["project"] = None
    return TargetDeclaration.model_validate(base | changes)


@st.composite
def reports(draw: st.DrawFn) -> MonitoringReport:
    base = monitoring().model_dump(mode="json")
    rows = []
    for n in range(draw(st.integers(1, 8))):
        row = _row(draw, n) | {"deviation_reason": draw(st.none() | _WORD), "corrective_action": draw(st.none() | _WORD)}
        if draw(st.booleans()):
            row |= {"target": str(draw(_TWO_PLACES)), "comparator": ">=", "unit": draw(st.sampled_from(["个", "%"])),
                    "value_to_date": str(draw(_TWO_PLACES)), "expected": draw(st.none() | _TWO_PLACES.map(str))}
        else:
            row |= {"kind": "qualitative", "target_text": draw(_WORD), "value_text": draw(_WORD),
                    "on_track": draw(st.none() | st.booleans())}
        rows.append(row)
    annual = draw(_TWO_PLACES)
    changes = {"indicators": rows, "year": 2025, "cut_off": "2025-06-30", "round_name": draw(_WORD),
               "budget": {"annual": str(annual), "executed_to_date": str((annual / 2).quantize(Decimal("0.01"))), "expected": None},
               "deviation_reason": draw(st.none() | _WORD), "corrective_action": draw(st.none() | _WORD)}
    return MonitoringReport.model_validate(base | changes)


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decl=targets())
def test_any_declaration_reads_back_the_same(decl: TargetDeclaration, suffix: str, tmp_path: Path) -> None:
    assert read_back(decl, tmp_path / f"t{suffix}") == decl


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=reports())
def test_any_monitoring_report_reads_back_the_same(report: MonitoringReport, suffix: str, tmp_path: Path) -> None:
    assert read_back(report, tmp_path / f"m{suffix}") == report


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_templates_read_back_with_adjustments(suffix: str, tmp_path: Path) -> None:
    decl = declaration(adjustments=[{"code": "XM-001", "target": 90, "reason": "上级调减任务量", "decision": "approved"}])
    assert read_back(decl, tmp_path / f"t{suffix}") == decl
    report = monitoring()
    assert read_back(report, tmp_path / f"m{suffix}") == report


# ---- forms edited by hand ---------------------------------------------------------------------

HAND_ROWS = [  # code, 一级 (merged down in the file), 二级, 三级, 指标值 as typed, 分值 as typed
    ("A1", "产出指标", "数量指标", "培训人次", "≥1200人次", "20"),
    None,  # a blank row someone left between indicators
    ("A2", "产出指标", "质量指标", "合格率", "≥ 95%", "20分"),
    ("A3", "产出指标", "时效指标", "完成时间", "年底前完成", "10"),
    ("B1", "效益指标", "社会效益指标", "群众知晓度", "明显提高", "30"),
    ("C1", "满意度指标", "服务对象满意度指标", "满意度", ">=90%", "20"),
]


def test_a_hand_made_workbook_reads(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws["A1"] = "项目支出绩效目标申报表"
    ws["A2"] = "（ 2026年度 ）"
    ws.append([])
    ws.append(["项目名称", None, "乡村振兴培训"])
    ws.append(["主管部门", None, "县农业农村局", None, None, "实施单位", None, "县农技站"])
    ws.append(["年度资金总额（万元）", None, "1,200.00", "其中：财政拨款", "1000", "其他资金", None, "200"])
    ws.append(["年度总体目标", None, "完成培训任务，提高农民技能"])
    ws.append(["指标编码", "一级指标", "二级指标", "三级指标", "指标值", "分值"])
    header = ws.max_row
    for row in HAND_ROWS:
        ws.append(list(row) if row else [])
    ws.merge_cells(start_row=header + 1, start_column=2, end_row=header + 4, end_column=2)  # 产出指标 once
    ws.merge_cells("C4:H4")
    out = tmp_path / "hand.xlsx"
    wb.save(out)
    decl = read_any(out).model  # type: ignore[union-attr]
    assert isinstance(decl, TargetDeclaration)
    assert decl.project is not None and decl.project.implementing_unit == "县农技站" and decl.year == 2026
    assert (decl.budget.total, decl.budget.fiscal, decl.budget.other) == (Decimal(1200), Decimal(1000), Decimal(200))
    assert [i.code for i in decl.indicators] == ["A1", "A2", "A3", "B1", "C1"]
    assert [i.level1.value for i in decl.indicators] == ["产出", "产出", "产出", "效益", "满意度"]
    first, second, third = decl.indicators[:3]
    assert (first.comparator, first.target, first.unit, first.weight) == (">=", Decimal(1200), "人次", Decimal(20))
    assert (second.target, second.unit, second.weight) == (Decimal(95), "%", Decimal(20))
    assert third.target_text == "年底前完成" and third.target is None


def test_a_hand_made_word_table_reads(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=0, cols=6)
    lines: list[tuple[str, ...] | None] = [
        ("部门（单位）整体支出绩效目标申报表",), ("2026年度",), ("部门（单位）名称", "", "县文化馆"),
        ("年度资金总额（万元）", "", "80", "其中：财政拨款", "80", ""), ("年度总体目标", "", "办好群众文化活动"),
        ("指标编码", "一级指标", "二级指标", "三级指标", "指标值", "分值"), *HAND_ROWS,
    ]
    for line in lines:
        cells = table.add_row().cells
        for col, value in enumerate(line or ()):
            cells[col].text = value
    for r in (0, 1):
        table.cell(r, 0).merge(table.cell(r, 5))
    table.cell(2, 2).merge(table.cell(2, 5))
    header = 5
    table.cell(header + 1, 1).merge(table.cell(header + 4, 1))  # 产出指标 merged down over four rows
    table.cell(header + 1, 1).text = "产出指标"
    out = tmp_path / "hand.docx"
    doc.save(str(out))
    decl = read_any(out).model  # type: ignore[union-attr]
    assert isinstance(decl, TargetDeclaration)
    assert decl.kind.value == "department" and decl.unit.name == "县文化馆" and decl.budget.total == Decimal(80)
    assert [(i.code, i.level1.value) for i in decl.indicators] == [
        ("A1", "产出"), ("A2", "产出"), ("A3", "产出"), ("B1", "效益"), ("C1", "满意度")]


# ---- bad files -------------------------------------------------------------------------------


def refused(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_any(path)
    return str(caught.value)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_broken_file_is_refused_naming_it(suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"broken{suffix}"
    write_stage_table(declaration(), RULES, out)
    out.write_bytes(out.read_bytes()[:300])
    message = refused(out)
    assert str(out) in message and ("损坏" in message or "无法" in message)


def test_a_word_document_without_a_form_says_so(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("会议纪要")
    doc.add_table(rows=1, cols=2).cell(0, 0).text = "议题"
    out = tmp_path / "minutes.docx"
    doc.save(str(out))
    assert "Word 文档中没有自评表、绩效目标申报表、绩效运行监控表或问题整改清单" in refused(out)


def edited_declaration(tmp_path: Path, row: int, col: int, value: str) -> tuple[Path, int]:
    """jixiao's 申报表 .xlsx with one cell typed over, `row` counted from the indicator table's header."""
    out = tmp_path / "t.xlsx"
    write_stage_table(declaration(), RULES, out)
    wb = load_workbook(out)
    ws = wb.active
    assert ws is not None
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "指标编码")
    ws.cell(header + row, col).value = value
    wb.save(out)
    return out, header


def test_a_missing_column_names_the_header_row(tmp_path: Path) -> None:
    out, header = edited_declaration(tmp_path, 0, 5, "说明")  # the 指标值 column renamed
    message = refused(out)
    assert f"单元格 A{header}" in message and "未找到列 指标值" in message


def test_a_bad_number_in_a_word_table_names_row_and_column(tmp_path: Path) -> None:
    out = tmp_path / "m.docx"
    write_stage_table(monitoring(), RULES, out)
    doc = Document(str(out))
    table = doc.tables[0]
    header = next(n for n, row in enumerate(table.rows) if row.cells[0].text == "指标编码")
    table.cell(header + 1, 1).text = "产出"  # fine
    table.cell(header + 1, 5).text = "过半"  # 截至监控日完成值 of a number indicator
    doc.save(str(out))
    message = refused(out)
    assert f"表格1第{header + 2}行第6列" in message and "截至监控日完成值应为数字" in message


def test_a_wrong_level_names_its_cell(tmp_path: Path) -> None:
    out, header = edited_declaration(tmp_path, 1, 2, "产量")
    assert f"单元格 B{header + 1}" in refused(out)


# ---- forms without an indicator-code column ------------------------------------------------------

# 三级 first, 一级 merged down, 二级 after the value: the columns of someone else's form, no 指标编码.
NAMED_HEADER = ["三级指标", "一级指标", "指标值", "二级指标", "分值"]
NAMED_ROWS = [(name, level1, value, level2, weight) for _, level1, level2, name, value, weight in (r for r in HAND_ROWS if r)]


def named_workbook(tmp_path: Path, rows: list[tuple[str, ...]] | None = None, name: str = "named.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "项目支出绩效目标申报表"
    ws["A2"] = "（2026年度）"
    ws.append(["项目名称", None, "乡村振兴培训"])
    ws.append(["年度资金总额（万元）", None, "1200"])
    ws.append(["年度总体目标", None, "完成培训任务"])
    ws.append(NAMED_HEADER)
    header = ws.max_row
    for row in rows or NAMED_ROWS:
        ws.append(list(row))
    ws.merge_cells(start_row=header + 1, start_column=2, end_row=header + 3, end_column=2)  # 产出指标 once
    ws.append(["合计", None, None, None, "100"])  # a total row some forms end with
    out = tmp_path / name
    wb.save(out)
    return out


def test_a_form_without_codes_reads_its_rows_by_name(tmp_path: Path) -> None:
    document = read_any(named_workbook(tmp_path))
    assert isinstance(document, StageDocument) and document.codes_from_names
    decl = document.model
    assert isinstance(decl, TargetDeclaration)
    assert [(i.name, i.level1.value, i.level2) for i in decl.indicators] == [
        (name, level1.removesuffix("指标"), level2) for name, level1, _, level2, _ in NAMED_ROWS]
    assert [i.weight for i in decl.indicators] == [Decimal(w.removesuffix("分")) for *_, w in NAMED_ROWS]
    assert decl.indicators[0].target == Decimal(1200) and decl.indicators[0].unit == "人次"
    # the same names give the same codes, whatever the order of the rows
    codes = {i.name: i.code for i in decl.indicators}
    assert len(set(codes.values())) == len(codes) and all(code.startswith("N-") for code in codes.values())
    shuffled = [NAMED_ROWS[i] for i in (2, 0, 1, 4, 3)]  # the three 产出 rows stay under their merged cell
    again = read_any(named_workbook(tmp_path, shuffled, "again.xlsx")).model
    assert {i.name: i.code for i in again.indicators} == codes  # type: ignore[union-attr]
    assert document.locations["indicators[1]"].quote.endswith("A8")  # the row is named by its name cell


def test_a_bad_value_in_a_form_without_codes_names_its_cell(tmp_path: Path) -> None:
    rows = [*NAMED_ROWS]
    rows[1] = (*rows[1][:4], "二十")
    message = refused(named_workbook(tmp_path, rows))
    assert "单元格 E8" in message and "分值应为数字" in message


def test_two_rows_with_the_same_names_are_named(tmp_path: Path) -> None:
    rows = [*NAMED_ROWS, NAMED_ROWS[-1]]
    message = refused(named_workbook(tmp_path, rows))
    assert "单元格 A12" in message and "单元格 A11" in message and "指标编码" in message


def test_a_word_monitoring_table_without_codes_reads(tmp_path: Path) -> None:
    report = monitoring()
    doc = Document()
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "截至监控日完成值", "预计全年完成值", "偏差原因"]
    lines: list[list[str]] = [
        ["项目支出绩效运行监控表"], ["（2025年度，截至2025-06-30）"], ["项目名称", "", "某某项目"],
        ["监控截止日期", "", "2025-06-30"], ["全年预算数（万元）", "", "100", "截至监控日执行数", "40"], header,
    ]
    for ind in report.indicators:
        target = f"{'≥' if ind.comparator == '>=' else '≤' if ind.comparator == '<=' else ''}{ind.target}{ind.unit or ''}" if ind.target is not None else ind.target_text or ""
        to_date = str(ind.value_to_date) if ind.value_to_date is not None else ind.value_text or ""
        expected = "能完成" if ind.on_track else str(ind.expected or "")
        lines.append([ind.level1.value if ind.level1 else "", ind.level2 or "", ind.name, target, to_date, expected, ""])
    table = doc.add_table(rows=0, cols=len(header))
    for line in lines:
        cells = table.add_row().cells
        for col, value in enumerate(line):
            cells[col].text = value
    table.cell(len(lines) - 1, 4).text = "过半"  # a number indicator's value to date, as words
    out = tmp_path / "m.docx"
    doc.save(str(out))
    assert f"表格1第{len(lines)}行第5列" in refused(out)
    table.cell(len(lines) - 1, 4).text = to_date
    doc.save(str(out))
    document = read_any(out)
    assert isinstance(document, StageDocument) and document.codes_from_names
    assert [i.name for i in document.model.indicators] == [i.name for i in report.indicators]
