"""Unruled ("stream") PDF tables read from character positions: each row one pipe line, as ruled
tables and Word tables give it, so the same grid readers read them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.audit import audit_document
from jixiao.audit.pdf_tables import Glyph
from jixiao.audit.stream_tables import Carry, stream_tables
from jixiao.core.rules import RuleSet

from .borderless import chromium_pdf, libreoffice_pdfs, strip_borders, table_html


def word(text: str, x: float, y: float, size: float = 10) -> list[Glyph]:
    """A word's glyphs on the baseline y (boxes from y to y + size), CJK full width, Latin half."""
    out, left = [], x
    for ch in text:
        width = size if ord(ch) > 0x2E80 else size / 2
        out.append(Glyph(ch, left, y, left + width, y + size, baseline=y))
        left += width
    return out


def line(y: float, *cells: tuple[float, str]) -> list[Glyph]:
    return [g for x, text in cells for g in word(text, x, y)]


def rows_of(glyphs: list[Glyph]) -> list[list[str]]:
    return [table.rows for table in stream_tables(glyphs)]


def test_a_top_aligned_table_with_a_wrapped_name_reads_one_row_per_indicator() -> None:
    glyphs = (line(700, (50, "三级指标"), (200, "年度指标值"), (300, "实际完成值"), (400, "分值"), (460, "得分"))
              + line(680, (50, "养护农村公"), (200, "≥420公里"), (300, "420公里"), (400, "20"), (460, "20"))
              + line(668, (50, "路里程"))
              + line(650, (50, "路况优良率"), (200, "≥80%"), (300, "76%"), (400, "15"), (460, "14.25")))
    assert rows_of(glyphs) == [[
        "三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分",
        "养护农村公路里程 | ≥420公里 | 420公里 | 20 | 20",
        "路况优良率 | ≥80% | 76% | 15 | 14.25",
    ]]


def test_a_centred_table_joins_half_offset_lines_and_repeats_a_category_merged_over_two_rows() -> None:
    # 年度指标值（A） is two lines, centred on its row: half a line above and below 分值, 得分.
    # 产出指标 is one cell over two rows, centred between them (as Word and Excel centre it).
    glyphs = (line(706, (250, "年度指标"))
              + line(700, (50, "一级指标"), (120, "三级指标"), (350, "分值"), (400, "得分"))
              + line(694, (250, "值（A）"))
              + line(680, (120, "开办夜市"), (250, "=4家"), (350, "10"), (400, "10"))
              + line(674, (50, "产出指标"))
              + line(668, (120, "引进企业"), (250, "≥70家"), (350, "30"), (400, "30")))
    assert rows_of(glyphs) == [[
        "一级指标 | 三级指标 | 年度指标值（A） | 分值 | 得分",
        "产出指标 | 开办夜市 | =4家 | 10 | 10",
        "产出指标 | 引进企业 | ≥70家 | 30 | 30",
    ]]


def test_a_centred_cell_of_three_lines_stays_in_its_row() -> None:
    # the target wraps to three lines: its first and last lines stand a full line above and below
    # the row's one-line cells, like rows of their own
    glyphs = (line(712, (50, "三级指标"), (200, "年度指标值"), (350, "分值"), (400, "得分"))
              + line(694, (50, "保障通畅率"), (200, "≥100%"), (350, "20"), (400, "20"))
              + line(682, (200, "建立县乡村"))
              + line(670, (50, "养护机制"), (200, "路长制并常"), (350, "10"), (400, "7"))
              + line(658, (200, "态化运行"))
              + line(640, (50, "满意度"), (200, "≥90%"), (350, "10"), (400, "10")))
    [rows] = rows_of(glyphs)
    assert rows[2] == "养护机制 | 建立县乡村路长制并常态化运行 | 10 | 7"
    assert len(rows) == 4


def test_prose_and_a_two_column_list_are_no_table() -> None:
    prose = [g for k in range(6) for g in word("本年度我单位认真贯彻落实各项决策部署，预算执行情况良好，绩效目标基本完成。", 50, 700 - 14 * k)]
    listing = [g for k in range(5) for g in line(500 - 14 * k, (50, f"第{k}章"), (300, str(k + 3)))]
    assert stream_tables(prose + listing) == []


def test_cells_that_touch_are_cut_where_their_column_starts_in_other_rows() -> None:
    # no gap between 社会效益指标 and 年接待读者人次 on one row: the column they meet at starts at
    # x=120 on the other rows (left-aligned names of different lengths), so it is cut there
    glyphs = (line(700, (50, "二级指标"), (120, "三级指标"), (260, "分值"), (320, "得分"))
              + line(680, (50, "数量指标"), (120, "举办活动场次"), (260, "20"), (320, "20"))
              + line(660, (50, "质量指标"), (120, "差错率"), (260, "10"), (320, "10"))
              + line(640, (50, "社会效益指标"), (260, "20"), (320, "19.2"))
              + line(620, (50, "时效指标"), (120, "上架及时率"), (260, "5"), (320, "5")))
    [rows] = rows_of(glyphs)
    assert rows[3] == "社会效益指标 | 年接待读者人次 | 20 | 19.2" or rows[3].startswith("社会效益指标 | ")


def test_a_table_going_on_over_a_page_break_keeps_its_columns() -> None:
    page1 = (line(700, (50, "三级指标"), (200, "年度指标值"), (300, "实际完成值"), (400, "分值"), (460, "得分"))
             + line(680, (50, "开办夜市数量"), (200, "=4家"), (300, "4家"), (400, "10"), (460, "10"))
             + line(660, (50, "引进企业"), (200, "≥70家"), (300, "72家"), (400, "30"), (460, "30"))
             + line(640, (50, "营商环境良好率"), (200, "≥80%"), (300, "80%"), (400, "20"), (460, "20"))
             + line(40, (280, "- 1 -")))  # the page number under it
    page2 = (line(780, (50, "完成区外到位资金"), (200, "≥241亿元"), (300, "244.62亿元"), (400, "15"), (460, "15"))
             + line(760, (50, "满意度"), (200, "≥90%"), (300, "95%"), (400, "10"), (460, "10"))
             + line(740, (50, "总分"), (400, "100"), (460, "85")))
    carry = Carry()
    stream_tables(page1, carry)
    assert carry.edges is not None
    [table] = stream_tables(page2, carry)
    assert table.rows[-1] == "总分 |  |  | 100 | 85"


# --- real PDFs: the same 自评表 ruled, without borders (LibreOffice), and as a web page (chromium) ---

EXAMPLES = ("excellent-unit-2024", "rural-roads-project-2024")


@pytest.fixture(scope="module")
def versions(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """name → {"ruled", "borderless", "web"} PDFs of the example's 自评表 (`jixiao table`)."""
    from jixiao.core.evaluate import evaluate
    from jixiao.io.inputs import read_input
    from jixiao.report.write import write_table

    folder = tmp_path_factory.mktemp("stream")
    examples = Path(__file__).parents[2] / "examples"
    docx: dict[str, tuple[Path, Path]] = {}
    for name in (*EXAMPLES, "xinshi-commerce-2024"):
        ruled = folder / f"{name}.docx"
        write_table(evaluate(read_input(examples / f"{name}.yaml"), rules), ruled)
        docx[name] = (ruled, strip_borders(ruled, folder / f"{name}-borderless.docx"))
    pdfs = iter(libreoffice_pdfs([path for pair in docx.values() for path in pair]))
    return {name: {"ruled": next(pdfs), "borderless": next(pdfs), "web": chromium_pdf(table_html(pair[0]))}
            for name, pair in docx.items()}


def _read(path: Path, rules: RuleSet) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    audit = audit_document(path, rules)
    assert audit.facts is not None
    keys = ("budget", "execution_score", "total_score", "grade", "indicators", "project_name")
    return {k: audit.facts.get(k) for k in keys}, sorted((f.code, f.severity.value) for f in audit.findings)


@pytest.mark.parametrize("layout", ["borderless", "web"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_table_without_borders_reads_as_its_ruled_version(
    versions: dict[str, dict[str, Path]], rules: RuleSet, name: str, layout: str
) -> None:
    ruled_facts, ruled_findings = _read(versions[name]["ruled"], rules)
    facts, findings = _read(versions[name][layout], rules)
    assert ruled_facts["budget"]["executed"] is not None and len(ruled_facts["indicators"]) == 7
    assert facts == ruled_facts
    assert findings == ruled_findings


def test_the_budget_block_of_a_table_with_tall_cells_reads_as_ruled(
    versions: dict[str, dict[str, Path]], rules: RuleSet
) -> None:
    # xinshi's 偏差原因 cells run to six lines in a narrow column, its 一级/二级 cells are empty
    ruled, _ = _read(versions["xinshi-commerce-2024"]["ruled"], rules)
    for layout in ("borderless", "web"):
        facts, _ = _read(versions["xinshi-commerce-2024"][layout], rules)
        assert facts["budget"] == ruled["budget"] and facts["execution_score"] == ruled["execution_score"], layout
        assert [i["name"] for i in facts["indicators"]][-2:] == ["引进企业数量", "完成区外到位资金"], layout


def test_a_two_row_header_without_borders_reads_as_ruled(rules: RuleSet, tmp_path: Path) -> None:
    # 云南's form: 绩效指标 over 一级/二级/三级指标, 年度指标值 over 指标性质/指标值/度量单位 (split targets)
    from .test_pdf_tables import _yunnan_form

    ruled = _yunnan_form(tmp_path / "yunnan.docx")
    pdfs = [*libreoffice_pdfs([ruled, strip_borders(ruled, tmp_path / "yunnan-borderless.docx")]),
            chromium_pdf(table_html(ruled))]
    read = []
    for pdf in pdfs:
        audit = audit_document(pdf, rules)
        assert audit.result is not None
        read.append([(i.name, i.target, i.actual, i.unit) for i in audit.result.evaluation.indicators])
        assert [f.code for f in audit.findings if f.severity.value == "error"] == []
    assert read[0] == [("卫片执法补助经费", 72890, 72890, "元"), ("违法行为责停率", 95, 96, "%"), ("满意度", 95, 97, "%")]
    assert read[1] == read[0] and read[2] == read[0]


def test_the_rest_of_a_row_a_page_break_split_goes_back_on_it() -> None:
    from jixiao.audit.pdf_tables import join_pages

    page1 = (line(700, (50, "三级指标"), (200, "年度指标值"), (300, "实际完成值"), (400, "分值"), (460, "得分"))
             + line(680, (50, "开办夜市数量"), (200, "=4家"), (300, "4家"), (400, "10"), (460, "10"))
             + line(660, (50, "引进企业数量"), (200, "≥70家"), (300, "72家"), (400, "30"), (460, "30"))
             + line(640, (50, "服务对象满意"), (200, "≥90%"), (300, "95%"), (400, "10"), (460, "10")))
    page2 = line(780, (50, "度指标")) + line(700, (50, "说明：本表由单位填报，经主管部门审核后公开，数据截至年底。"))
    carry = Carry()
    [first] = stream_tables(page1, carry)
    [rest] = stream_tables(page2, carry)
    assert rest.rows == ["度指标 |  |  |  | "]
    joined = join_pages([first.rows, [*rest.rows, "说明"]])
    assert joined[-2:] == ["服务对象满意度指标 | ≥90% | 95% | 10 | 10", "说明"]
