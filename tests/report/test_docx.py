import io
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table

from jixiao.core.evaluate import Result
from jixiao.report.docx import TemplateProblem, render_docx
from jixiao.report.write import write_report, write_table

SEED_OUTLINE = [
    "一、基本概况", "（一）部门单位基本情况", "1.部门主要职能", "2.部门机构设置及人员构成", "（二）部门单位年度重点工作",
    "（三）部门单位整体预算规模及安排情况", "1.年初预算安排情况", "2.预算调整情况", "3.全年预算执行情况",
    "4.资金使用主要内容及范围", "二、部门单位整体支出管理及使用情况", "（一）基本支出和使用情况", "（二）项目管理和使用情况",
    "三、部门单位整体支出绩效分析", "（一）指标一：", "（五）指标五：", "四、评价结论",
    "五、存在的主要问题及原因分析", "六、改进措施和建议",
]


def texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def self_table(path: Path) -> Table:
    return next(t for t in Document(str(path)).tables if any("三级指标" in c.text for c in t.rows[-2].cells + t.rows[5].cells) or "绩效自评表" in t.cell(0, 0).text)


def test_seed_docx_has_the_outline_in_order(seed_docx: Path) -> None:
    paragraphs = texts(seed_docx)
    positions = [paragraphs.index(heading) for heading in SEED_OUTLINE]
    assert positions == sorted(positions)
    assert paragraphs[0] == "附件4："
    assert "部门单位整体支出绩效自评报告" in paragraphs and "（2024年度）" in paragraphs
    assert any(p.startswith("部门单位名称（公章）：乌鲁木齐高新技术产业开发区") for p in paragraphs)
    assert "填报时间：2025年02月19日" in paragraphs
    assert not any("{{" in p or "{%" in p for p in paragraphs), "template tags left in the output"


def test_seed_docx_figures(seed_docx: Path, seed: Result) -> None:
    body = "\n".join(texts(seed_docx))
    assert "预算调整率0%。" in body and "预算调整率100%" not in body
    assert "我单位2024年全年预算金额为3142.55万元，执行金额为3142.55万元，执行率为100%，得10分。" in body
    assert "2024年度部门整体支出绩效自评综合得分85分，评价结果为“良”。" in body
    for result in seed.scorecard.indicators:
        assert f"自评得分{result.score.normalize():f}分。" in body or f"自评得分{int(result.score)}分。" in body
    assert "完成率为102.86%" in body and "完成率为101.5%" in body


def test_seed_docx_self_table_has_merged_cells_and_totals(seed_docx: Path) -> None:
    table = self_table(seed_docx)
    cells = table.rows
    assert table.cell(0, 0).text == "部门（单位）整体支出绩效自评表"
    assert table.cell(0, 0)._tc is table.cell(0, 8)._tc  # title spans the nine columns
    budget_row = next(i for i, row in enumerate(cells) if row.cells[1].text == "年度资金总额")
    assert table.cell(budget_row, 0)._tc is table.cell(budget_row - 1, 0)._tc  # the block label spans its rows
    assert [table.cell(budget_row, c).text for c in range(3, 9)] == ["3142.55", "3142.55", "3142.55", "10", "100%", "10"]
    last = cells[-1]
    assert last.cells[0].text == "总分" and last.cells[6].text == "100" and last.cells[7].text == "85"
    assert last.cells[8].text == "评价等级：良"


def test_charts_are_embedded_in_lines_tall_enough(seed_docx: Path) -> None:
    from docx.enum.text import WD_LINE_SPACING

    doc = Document(str(seed_docx))
    assert len(doc.inline_shapes) == 2
    holders = [p for p in doc.paragraphs if p._p.xpath(".//w:drawing")]
    assert len(holders) == 2
    # An exact line height (the body text's) would clip the picture to one line.
    assert all(p.paragraph_format.line_spacing_rule is not WD_LINE_SPACING.EXACTLY for p in holders)


def test_project_docx_follows_the_project_outline(project: Result, tmp_path: Path) -> None:
    out = tmp_path / "project.docx"
    write_report(project, out, charts=False)
    paragraphs = texts(out)
    for heading in ("项目支出绩效自评报告", "一、项目基本情况", "二、项目资金使用及管理情况", "三、项目绩效目标完成情况分析", "四、评价结论"):
        assert heading in paragraphs
    assert "2024年度项目支出绩效自评综合得分95.49分，评价结果为“优”。" in paragraphs
    table = self_table(out)
    level1 = [table.cell(r, 1).text for r in range(len(table.rows))]
    assert "产出指标" in level1
    first = level1.index("产出指标")
    assert table.cell(first, 1)._tc is table.cell(first + 3, 1)._tc  # 产出 merged over its four rows


def test_sichuan_template_has_conclusion_boxes(seed: Result, tmp_path: Path) -> None:
    out = tmp_path / "sc.docx"
    write_report(seed, out, template="sichuan", charts=False)
    doc = Document(str(out))
    boxes = next(t for t in doc.tables if t.cell(0, 0).text.startswith("评价结论"))
    assert boxes.cell(0, 1).text.startswith("2024年度部门整体支出绩效自评综合得分85分")
    assert boxes.cell(1, 0).text.startswith("存在问题") and "消费市场活力" in boxes.cell(1, 1).text
    assert boxes.cell(2, 0).text.startswith("改进措施")


def test_warning_box_lists_errors(seed: Result) -> None:
    buffer = io.BytesIO()
    render_docx(seed.evaluation, seed.scorecard, buffer, warnings=seed.errors, charts=False)
    doc = Document(io.BytesIO(buffer.getvalue()))
    box = doc.tables[0].cell(0, 0).text
    assert "数据校验发现以下错误" in box and "B006" in box


def _template_with(tmp_path: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph("报告：{{ unit_name }}")
    doc.add_paragraph(text)
    path = tmp_path / "mine.docx"
    doc.save(str(path))
    return path


def test_broken_tag_names_template_and_tag(seed: Result, tmp_path: Path) -> None:
    path = _template_with(tmp_path, "总分：{{ total_score ")
    with pytest.raises(TemplateProblem) as caught:
        render_docx(seed.evaluation, seed.scorecard, io.BytesIO(), template=str(path), charts=False)
    message = str(caught.value)
    assert str(path) in message and "语法错误" in message and "total_score" in message


def test_unknown_variable_is_named(seed: Result, tmp_path: Path) -> None:
    path = _template_with(tmp_path, "{{ no_such_field }}")
    with pytest.raises(TemplateProblem) as caught:
        render_docx(seed.evaluation, seed.scorecard, io.BytesIO(), template=str(path), charts=False)
    assert "no_such_field" in str(caught.value)


def test_users_own_template_renders(seed: Result, tmp_path: Path) -> None:
    path = _template_with(tmp_path, "总分{{ total_score }}，等级{{ grade }}")
    out = tmp_path / "out.docx"
    render_docx(seed.evaluation, seed.scorecard, out, template=str(path), charts=False)
    assert texts(out) == ["报告：乌鲁木齐高新技术产业开发区(乌鲁木齐市新市区)商务局", "总分85，等级良"]


def test_table_alone_as_docx(seed: Result, tmp_path: Path) -> None:
    out = tmp_path / "table.docx"
    write_table(seed, out)
    doc = Document(str(out))
    assert len(doc.tables) == 1 and doc.tables[0].rows[-1].cells[7].text == "85"
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape


def test_a_template_that_is_not_a_docx(seed: Result, tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_docx(seed.evaluation, seed.scorecard, io.BytesIO(), template=str(path), charts=False)
    assert "不是有效的 Word 模板" in str(caught.value) and str(path) in str(caught.value)


def test_report_bytes_for_downloads(seed: Result) -> None:
    from jixiao.report.write import report_bytes

    assert report_bytes(seed, ".docx", charts=False)[:2] == b"PK"
    assert report_bytes(seed, "xlsx")[:2] == b"PK"
    assert "综合得分85分".encode() in report_bytes(seed, ".md")
