"""The 绩效运行监控表 (mid-year monitoring form) read in every text layout: its spending to date against the
budget (执行进度), its indicators' values to date, and no self-evaluation's demands (weights, scores, reasons
for spending below 90%) made of it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import audit_document
from jixiao.audit.run import audit_lines
from jixiao.audit.tables import read_tables
from jixiao.core.rules import RuleSet
from jixiao.report.stage_tables import write_stage_table
from stage_builders import monitoring

from .test_tables import LAYOUTS

BUDGET_HEADERS = [
    ["资金情况(万元)", "年初预算数", "全年预算数", "1-6月执行数", "执行进度", "全年预计执行数", "偏差原因"],
    ["项目资金(万元)", "年初预算数", "截至监控日执行数", "1-7月执行率", "预计全年执行数", "执行偏差原因及改进措施"],
]
INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "1-6月完成值", "全年预计完成值", "偏差原因及纠偏措施",
                    "完成目标可能性"]
INDICATORS = [
    ["产出指标", "数量指标", "清扫保洁面积", "≥120万平方米", "60万平方米", "120万平方米", "无", "确定能"],
    ["产出指标", "质量指标", "垃圾无害化处理率", "≥95%", "96%", "96%", "无", "确定能"],
    ["效益指标", "社会效益指标", "群众满意度", "≥90%", "92%", "92%", "无", "有可能"],
]


def form(header: list[str], rate: str) -> list[list[str]]:
    money = {"年初预算数": "200", "全年预算数": "200", "1-6月执行数": "80", "截至监控日执行数": "80",
             "全年预计执行数": "200", "预计全年执行数": "200"}
    row = ["年度资金总额"] + [money.get(h, rate if "进度" in h or "执行率" in h else "") for h in header[1:]]
    return [["2024年项目支出绩效运行监控表"], ["项目名称", "城乡环境综合整治"],
            ["主管部门", "某县住房和城乡建设局", "实施单位", "某县环境卫生管理所"], header, row, INDICATOR_HEADER, *INDICATORS]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("header", BUDGET_HEADERS, ids=["six-months", "to-the-cut-off"])
def test_a_monitoring_form_reads_its_progress_and_values_to_date(rules: RuleSet, layout: str, header: list[str]) -> None:
    text = LAYOUTS[layout](form(header, "40%"))
    tables = read_tables(text)
    total = tables.budgets[0].rows[0].values
    assert (total["executed"].value, total["rate"].value) == (Decimal(80), Decimal(40))
    assert [(r.name, r.cells["mid_year"].text) for r in tables.indicators[0].rows] == \
        [("清扫保洁面积", "60万平方米"), ("垃圾无害化处理率", "96%"), ("群众满意度", "92%")]
    audit = audit_lines(text.splitlines(), "监控表.txt", rules)
    assert audit.document_kind == "monitoring"
    assert [f.code for f in audit.findings if f.severity.value != "info"] == []


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_progress_that_its_figures_do_not_give_is_caught(rules: RuleSet, layout: str) -> None:
    text = LAYOUTS[layout](form(BUDGET_HEADERS[0], "45%"))
    [slip] = [f for f in audit_lines(text.splitlines(), "监控表.txt", rules).findings if f.severity.value == "error"]
    assert slip.code == "B007" and "80万元 ÷ 全年预算数200万元 = 40%" in slip.message


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_jixiaos_own_monitoring_form_is_read_back_by_the_auditor(rules: RuleSet, tmp_path: Path, suffix: str) -> None:
    """The 监控表 jixiao writes (money as labelled cells, a light per indicator) audits as what it states."""
    report = monitoring()
    write_stage_table(report, rules, tmp_path / f"监控表{suffix}")
    audit = audit_document(tmp_path / f"监控表{suffix}", rules)
    assert audit.document_kind == "monitoring"
    assert [f.code for f in audit.findings if f.severity.value == "error"] == []
    budget = audit.explain["tables"][0]["rows"][0] if audit.explain else {}
    assert (budget["全年预算数"], budget["全年执行数"]) == (f"{report.budget.annual.normalize():f}",
                                                          f"{report.budget.executed_to_date.normalize():f}")
    rows = audit.explain["tables"][1]["rows"] if audit.explain else []
    assert [r["三级指标"] for r in rows] == [i.name for i in report.indicators]
    assert all(r["年中完成值"] and r["预警"] for r in rows)


def test_a_hand_edited_progress_in_jixiaos_form_is_caught(rules: RuleSet, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    write_stage_table(monitoring(), rules, tmp_path / "监控表.xlsx")
    book = load_workbook(tmp_path / "监控表.xlsx")
    sheet = book.active
    assert sheet is not None
    [cell] = [row[i + 1] for row in sheet.iter_rows() for i, c in enumerate(row[:-1]) if c.value == "执行进度"]
    cell.value = "45%"
    book.save(tmp_path / "改过.xlsx")
    errors = [f for f in audit_document(tmp_path / "改过.xlsx", rules).findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["B007"] and "45%" in errors[0].message
