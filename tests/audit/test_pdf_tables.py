"""Ruled PDF tables read from lines and character boxes: each row one pipe line, as the Word reader gives it."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from jixiao.audit import audit_document
from jixiao.audit.extract import extract
from jixiao.audit.pdf_tables import Glyph, Segment, cell_text, find_tables, lay_out, table_rows
from jixiao.core.rules import RuleSet


def grid(xs: list[float], ys: list[float], missing: frozenset[tuple[str, float, float]] = frozenset()) -> list[Segment]:
    """Full ruling of a grid, less the pieces in `missing`: ("v", x, y-middle) or ("h", y, x-middle)."""
    out = []
    for x in xs:
        for top, bottom in pairwise(ys):
            if ("v", x, (top + bottom) / 2) not in missing:
                out.append(Segment(False, x, bottom, top))
    for y in ys:
        for left, right in pairwise(xs):
            if ("h", y, (left + right) / 2) not in missing:
                out.append(Segment(True, y, left, right))
    return out


def word(text: str, x: float, y: float, size: float = 10) -> list[Glyph]:
    width = size if ord(text[0]) > 0x2E80 else size / 2
    return [Glyph(ch, x + i * width, y, x + (i + 1) * width, y + size) for i, ch in enumerate(text)]


def test_a_grid_with_merged_cells_reads_as_word_rows() -> None:
    # 3 columns × 3 rows; row 0 spans columns 1-2 (no line at x=200 in it); column 0 spans rows 1-2.
    xs, ys = [0.0, 100.0, 200.0, 300.0], [300.0, 270.0, 240.0, 210.0]
    segments = grid(xs, ys, frozenset({("v", 200.0, 285.0), ("h", 240.0, 50.0)}))
    [table] = find_tables(segments)
    glyphs = (word("项目", 10, 280) + word("合计", 110, 280) + word("资金", 10, 240) + word("100.00", 110, 250)
              + word("—", 210, 250) + word("50", 110, 220))
    assert lay_out(glyphs, [table]) == ["项目 | 合计", "资金 | 100.00 | —", "资金 | 50 | "]


def test_strokes_are_snapped_and_joined_and_stray_lines_are_no_table() -> None:
    pieces = [Segment(True, 100.4, 0, 60), Segment(True, 99.6, 61, 120), Segment(True, 50, 0, 120),
              Segment(False, 0, 50, 100), Segment(False, 120.5, 50, 100), Segment(False, 60, 50, 100),
              Segment(True, 10, 0, 300)]  # an underline far below: meets nothing
    [table] = find_tables(pieces)
    assert [round(x) for x in table.xs] == [0, 60, 120] and [round(y) for y in table.ys] == [100, 50]
    assert table_rows(table, {0: "a", 1: "b"}) == ["a | b"]


def test_wrapped_cell_lines_join_like_word() -> None:
    lines = word("年度指标", 0, 100) + word("值（A）", 0, 88)
    assert cell_text(lines) == "年度指标值（A）"
    assert cell_text(word("本年度不足。", 0, 100) + word("改进措施", 0, 88)) == "本年度不足。 改进措施"
    spaced = [*word("244.62", 0, 100), Glyph(" ", 30, 100, 30, 100, generated=True), *word("亿元", 31, 100)]
    assert cell_text(spaced) == "244.62亿元"
    assert cell_text(word("7289", 0, 100) + word("0", 0, 88)) == "72890"  # a number wrapped in a narrow column


def test_text_around_a_table_stays_as_pdfium_gives_it() -> None:
    [table] = find_tables(grid([0.0, 100.0, 200.0], [300.0, 270.0]))
    before = [*word("附表", 0, 400), Glyph("\r", 0, 0, 0, 0, True), Glyph("\n", 0, 0, 0, 0, True)]
    inside = [*word("分值", 10, 280), Glyph("\r", 30, 285, 30, 285, True), Glyph("\n", 30, 285, 30, 285, True),
              *word("10", 110, 280)]
    after = [Glyph("\r", 150, 285, 150, 285, True), Glyph("\n", 150, 285, 150, 285, True), *word("说明", 0, 100)]
    assert lay_out(before + inside + after, [table]) == ["附表", "分值 | 10", "说明"]


def test_generated_report_pdfs_give_the_word_tables_rows(generated_reports: dict[str, tuple[Path, Path]]) -> None:
    for name, (docx, pdf) in generated_reports.items():
        word_rows = [line for line in extract(docx).lines if " | " in line]
        pdf_rows = [line for line in extract(pdf).lines if " | " in line]
        assert pdf_rows == word_rows, name
    seed_rows = extract(generated_reports["xinshi-commerce-2024"][1]).lines
    assert "年度部门整体支出预算（万元） | 年度资金总额 | 3142.55 | 3142.55 | 3142.55 | 10 | 100% | 10" in seed_rows
    assert "绩效指标 |  |  | 开办夜市数量 | =4家 | 4家 | 10 | 10 | " in seed_rows
    assert "总分 | 100 | 85 | 评价等级：良" in seed_rows
    project = extract(generated_reports["rural-roads-project-2024"][1]).lines
    assert "主管部门 | 某县交通运输局 | 实施单位 | 某县公路养护中心" in project
    assert "绩效指标 | 产出指标 | 成本指标 | 每公里养护成本 | ≤1.9万元/公里 | 1.95万元/公里 | 10 | 9.74 | " \
        "偏差原因：灾毁抢修增加了单位里程成本。 改进措施：推行养护作业集中招标，降低单位成本。" in project


@pytest.mark.parametrize("name", ["excellent-unit-2024", "rural-roads-project-2024"])
def test_generated_report_pdfs_audit_like_their_word_files(
    generated_reports: dict[str, tuple[Path, Path]], rules: RuleSet, name: str
) -> None:
    docx, pdf = generated_reports[name]
    from_word, from_pdf = audit_document(docx, rules), audit_document(pdf, rules)
    assert from_pdf.facts is not None and from_word.facts is not None
    assert from_pdf.facts["total_score"] == from_word.facts["total_score"]
    assert from_pdf.errors == from_word.errors


def test_a_row_split_by_a_page_break_is_put_back_together() -> None:
    from jixiao.audit.pdf_tables import join_pages

    end = ["效益指标 | 社会效益指标 | 违法行为责停 | ≥ | 95 | % | 96 | 30 | 30 | ", "- 1 -"]
    rest = [" |  | 率 |  |  |  |  |  |  | ", "满意度指标 | 服务对象满意度指标 | 满意度 | ≥ | 95 | % | 97 | 10 | 10 | "]
    assert join_pages([end, rest]) == [
        "效益指标 | 社会效益指标 | 违法行为责停率 | ≥ | 95 | % | 96 | 30 | 30 | ", "- 1 -", rest[1]]
    # a cell whose text holds figures runs on too ("7月强降雨", "95%以上"): only a figure of its own starts a row
    reason = ["社会效益指标 | 责停率 | ≥95% | 96% | 30 | 28 | 偏差原因：受", "- 2 -"]
    assert join_pages([reason, [" |  |  |  |  |  | 7月强降雨影响，完成95%以上", "满意度 | 满意率 | ≥90% | 93% | 10 | 10 | "]]) == [
        "社会效益指标 | 责停率 | ≥95% | 96% | 30 | 28 | 偏差原因：受7月强降雨影响，完成95%以上", "- 2 -",
        "满意度 | 满意率 | ≥90% | 93% | 10 | 10 | "]
    # a row of its own on the new page (figures), a header written again, a different table: kept apart
    for first in (" |  | 满意度 |  |  |  |  | 10 | 10 | ",
                  "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 | 分值 | 得分 | 偏差原因",
                  "序号 | 名称 | 说明", " |  | 满意度 |  |  |  |  | ≥90% |  | "):
        assert join_pages([end, [first]]) == [*end, first]


def _yunnan_form(path: Path) -> Path:
    """云南's 自评表 as Word holds it: 绩效指标 merged over 一级/二级/三级指标, 年度指标值 over
    指标性质/指标值/度量单位, the other header cells merged down both rows; the target cells narrow."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("丽江市古城区自然资源局2020年度项目支出绩效自评表")
    table = doc.add_table(rows=0, cols=10)
    table.style = "Table Grid"

    def row(*cells: str) -> list:  # type: ignore[type-arg]
        out = table.add_row().cells
        for i, text in enumerate(cells):
            out[i].text = text
        return list(out)

    row("项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "", "", "")
    row("年度资金总额", "7.29", "7.29", "7.29", "10", "100%", "10", "", "", "")
    top = row("绩效指标", "", "", "年度指标值", "", "", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    below = row("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "", "", "", "")
    top[0].merge(top[2])
    top[3].merge(top[5])
    for k in (6, 7, 8, 9):
        top[k].merge(below[k])
    row("产出指标", "数量指标", "卫片执法补助经费", "=", "72890", "元", "72890", "40", "40", "")
    row("效益指标", "社会效益指标", "违法行为责停率", "≥", "95", "%", "96", "30", "30", "")
    row("满意度指标", "服务对象满意度指标", "满意度", "≥", "95", "%", "97", "20", "18", "")
    doc.save(str(path))
    return path


def test_a_two_row_header_reads_in_word_and_in_its_pdf(rules: RuleSet, tmp_path: Path) -> None:
    from .conftest import to_pdf

    docx = _yunnan_form(tmp_path / "yunnan.docx")
    for path in (docx, to_pdf(docx, tmp_path)):
        audit = audit_document(path, rules)
        assert audit.result is not None, path.suffix
        read = [(i.name, i.target, i.actual) for i in audit.result.evaluation.indicators]
        assert read == [("卫片执法补助经费", 72890, 72890), ("违法行为责停率", 95, 96), ("满意度", 95, 97)], path.suffix
        assert [f.code for f in audit.findings if f.severity.value == "error"] == [], path.suffix
