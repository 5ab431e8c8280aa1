from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jixiao.core.evaluate import Result, evaluate
from jixiao.core.model import IndicatorKind
from jixiao.core.rules import RuleSet
from jixiao.io.errors import InputError
from jixiao.io.inputs import read_input
from jixiao.report.write import write_table


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_round_trip_keeps_every_score(results: dict[str, Result], national: RuleSet, tmp_path: Path, suffix: str) -> None:
    """Every example's 自评表, as the workbook or as the Word table, reads back to the same scores."""
    for name, result in results.items():
        out = tmp_path / f"{name}{suffix}"
        write_table(result, out)
        back = evaluate(read_input(out), national)
        assert back.evaluation.kind == result.evaluation.kind, name
        assert back.evaluation.year == result.evaluation.year and back.evaluation.title_name == result.evaluation.title_name
        assert [r.score for r in back.scorecard.indicators] == [r.score for r in result.scorecard.indicators], name
        assert back.scorecard.execution_score == result.scorecard.execution_score
        assert (back.scorecard.total_score, back.scorecard.grade) == (result.scorecard.total_score, result.scorecard.grade)
        assert [i.level1 for i in back.evaluation.indicators] == [i.level1 for i in result.evaluation.indicators]
        assert back.errors == [], (name, back.errors)  # the stated scores on the form agree with the rules


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_qualitative_and_reverse_survive(results: dict[str, Result], tmp_path: Path, suffix: str) -> None:
    result = results["reverse-qualitative-2024"]
    out = tmp_path / f"rq{suffix}"
    write_table(result, out)
    back = read_input(out)
    kinds = [i.kind for i in back.indicators]
    assert kinds == [i.kind for i in result.evaluation.indicators]
    reverse = next(i for i in back.indicators if i.name == "抽检不合格率")
    assert reverse.comparator == "<=" and reverse.unit == "%"
    assert reverse.deviation_reason and reverse.improvement
    qualitative = next(i for i in back.indicators if i.kind is IndicatorKind.QUALITATIVE)
    assert qualitative.band is not None and qualitative.manual_score is not None


def test_filled_in_value_changes_the_score(seed: Result, national: RuleSet, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    write_table(seed, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["自评表"]
    row = next(c.row for c in ws["D"] if c.value == "引进企业数量")
    ws.cell(row, 6).value = 35  # the user types a new actual value; the stale score stays
    wb.save(out)
    back = evaluate(read_input(out), national)
    assert back.scorecard.indicators[3].score == 15
    stale = [f for f in back.findings if f.code == "I011"]
    assert stale and stale[0].quote == f"工作表“自评表”单元格 D{row}"


def test_bad_number_names_sheet_and_cell(seed: Result, tmp_path: Path) -> None:
    out = tmp_path / "bad.xlsx"
    write_table(seed, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["自评表"]
    row = next(c.row for c in ws["D"] if c.value == "开办夜市数量")
    ws.cell(row, 7).value = "十分"
    wb.save(out)
    with pytest.raises(InputError) as caught:
        read_input(out)
    assert f"工作表“自评表”单元格 G{row}：分值应为数字，实际为“十分”" in str(caught.value)


def test_negative_money_names_the_cell(seed: Result, tmp_path: Path) -> None:
    out = tmp_path / "neg.xlsx"
    write_table(seed, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["自评表"]
    row = next(c.row for c in ws["B"] if c.value == "年度资金总额")
    ws.cell(row, 6).value = -5
    wb.save(out)
    with pytest.raises(InputError) as caught:
        read_input(out)
    assert f"工作表“自评表”单元格 F{row}" in str(caught.value)


def test_plain_official_form(national: RuleSet, tmp_path: Path) -> None:
    """A form typed by hand: text targets with units, different column positions, no jixiao formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [
        ["项目支出绩效自评表"],
        ["（2023年度）"],
        ["项目名称", "社区养老服务补助"],
        ["主管部门", "某区民政局", "实施单位", "某街道办事处"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", 200, 200, 180, 10, "90%", 9],
        ["", "其中：当年财政拨款", 200, 200, 180, "", "", ""],
        ["年度总体目标", "预期目标", "", "", "实际完成情况"],
        ["", "为300名老人提供服务", "", "", "服务320名老人"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["", "产出指标", "数量指标", "服务老人人数", "≥300人", "320人", 40, 40, ""],
        ["", "产出指标", "质量指标", "服务合格率", "≥95%", "90%", 20, 18.95, "偏差原因：新入职护理员经验不足；改进措施：加强培训"],
        ["", "效益指标", "社会效益指标", "服务体系建设", "形成长效机制", "初步建立", 20, 14, ""],
        ["", "满意度指标", "服务对象满意度指标", "老人满意度", "≥90%", "93%", 10, 10, ""],
        ["总分", "", "", "", "", "", 100, 91.95, "优"],
    ]
    for row in rows:
        ws.append(row)
    path = tmp_path / "official.xlsx"
    wb.save(path)
    back = evaluate(read_input(path), national)
    ev = back.evaluation
    assert ev.kind == "project" and ev.year == 2023 and ev.project is not None and ev.project.name == "社区养老服务补助"
    assert ev.project.implementing_unit == "某街道办事处"
    assert ev.budget.executed == 180 and ev.budget.sources["fiscal"].executed == 180
    assert [i.name for i in ev.indicators] == ["服务老人人数", "服务合格率", "服务体系建设", "老人满意度"]
    assert ev.indicators[1].target == 95 and ev.indicators[1].unit == "%" and ev.indicators[1].improvement == "加强培训"
    assert ev.indicators[2].kind is IndicatorKind.QUALITATIVE and ev.indicators[2].manual_score == 14
    assert back.scorecard.execution_score == 9
    assert back.scorecard.total_score == Decimal("91.95")


def test_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("这不是工作簿", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_input(path)
    assert "不是有效的 Excel 工作簿" in str(caught.value)


def test_workbook_without_a_form(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["随便", "一些", "数据"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_input(path)
    assert "没有自评表" in str(caught.value)
