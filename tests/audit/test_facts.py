"""Phrasings the reader understands, and what it does when a report leaves figures out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from audit.conftest import write_docx
from audit.reports import report
from jixiao.audit import audit_document, audit_lines
from jixiao.audit.facts import read_facts
from jixiao.audit.normalise import normalise
from jixiao.core.findings import Severity
from jixiao.core.rules import RuleSet


def audit_text(text: str, rules: RuleSet):  # type: ignore[no-untyped-def]
    return audit_lines(text.splitlines(), "report.txt", rules)


def test_a_consistent_report_is_quiet(rules: RuleSet) -> None:
    audit = audit_text(report(), rules)
    assert [(f.code, f.severity.value) for f in audit.findings] == [("I019", "info")]
    assert audit.facts is not None and audit.facts["total_score"] == 100 and audit.facts["grade"] == "优"


def test_writer_phrasing_with_adjustment_and_sources(rules: RuleSet) -> None:
    text = report(
        initial="400.00", adjusted="500.00", executed="450.00", exec_rate="90", exec_score="9", total="99",
        adjust_text="我单位年初批复预算数400.00万元,年中调增数100.00万元,调整后全年预算数500.00万元,预算调整率25%。"
        "其中:上级资金安排年初预算数为100.00万元,本级资金安排年初预算数为300.00万元。",
    )
    audit = audit_text(text, rules)
    assert audit.facts is not None
    assert audit.facts["budget"] == {
        "initial": Decimal("400.00"), "adjustment": Decimal("100.00"), "adjusted": Decimal("500.00"),
        "executed": Decimal("450.00"), "adjustment_rate": Decimal(25), "execution_rate": Decimal(90),
    }
    assert audit.errors == 0, [(f.code, f.message) for f in audit.findings]


def test_amounts_in_yuan_become_wan_yuan() -> None:
    facts = read_facts(normalise(["(一)预算情况", "我单位年初预算数为31,425,500元,全年预算数为3142.55万元,执行数为0.314255亿元。"]))
    assert [facts.value(p) for p in ("budget.initial", "budget.adjusted", "budget.executed")] == [
        Decimal("3142.55"), Decimal("3142.55"), Decimal("3142.550000")
    ]


def test_comparator_words() -> None:
    lines = [
        "(一)指标一:",
        "公共场所覆盖率:该指标年度指标值不低于95%,本次评价完成值为96%,完成率为101.05%。该指标权重分值为20分,自评得分20分。",
        "(二)指标二:",
        "投诉处理时长:该指标预期指标值小于等于3天,本次评价完成值为2天,完成率为150%。该指标权重分值为20分,自评得分20分。",
    ]
    facts = read_facts(normalise(lines))
    assert [b.name for b in facts.blocks] == ["公共场所覆盖率", "投诉处理时长"]
    assert [facts.value(f"indicators[{i}].comparator").value for i in (0, 1)] == [">=", "<="]  # type: ignore[union-attr]
    assert facts.value("indicators[1].unit") == "天"


def test_a_report_without_budget_still_checks_its_indicators(rules: RuleSet) -> None:
    text = report().replace("我单位2024年部门单位整体年初预算数为500.00万元,预算数(调整后)为500.00万元,执行数为500.00万元,预算执行率100%。", "")
    text = text.replace("我单位2024年全年预算金额为500.00万元,执行金额为500.00万元,执行率为100%,得10分。", "")
    text = text.replace("自评得分50分", "自评得分40分")
    audit = audit_text(text, rules)
    codes = {f.code for f in audit.findings}
    assert "A009" in codes  # the budget is missing: said, not invented
    assert "I011" in codes  # the indicator score is still checked
    assert not any(f.code.startswith(("B", "E")) or f.code in ("T001", "T002") for f in audit.findings)


def test_no_indicators_no_crash(rules: RuleSet) -> None:
    audit = audit_text("部门单位名称: 某局\n(2024年度)\n我单位年初预算数为100万元。", rules)
    assert audit.result is None
    assert {f.code for f in audit.findings} == {"A009"}
    assert all(f.severity is Severity.WARNING for f in audit.findings)


def test_qualitative_indicator(rules: RuleSet) -> None:
    text = report().replace(
        "服务对象满意度:该指标预期指标值大于等于90%,年中监控实际完成值为90%,本次评价完成值为95%,完成率为105.56%。",
        "服务对象满意度:该指标预期指标值为群众满意,达成年度指标。",
    )
    audit = audit_text(text, rules)
    assert audit.facts is not None and audit.facts["indicators"][1]["kind"] == "qualitative"
    assert audit.errors == 0, [(f.code, f.message) for f in audit.findings]


def test_indicator_table_alone_is_read(rules: RuleSet, tmp_path: Path) -> None:
    """A report whose indicators are only in the 自评表 (a Word table), with their categories."""
    text = report()
    head = text[: text.index("(一)指标一:")]
    path = write_docx(head + '四、评价结论:\n综合得分100分,评价结果为"优"。', tmp_path / "table.docx", table=False)
    from docx import Document

    document = Document(str(path))
    rows = [
        ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
        ("产出指标", "数量指标", "培训人数", "≥100人", "100人", "50", "50", "无"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", "40", "40", "无"),
    ]
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for col, value in enumerate(values):
            grid.cell(r, col).text = value
    document.save(str(path))
    audit = audit_document(path, rules)
    assert audit.facts is not None
    assert [(i["name"], i["level1"], i["target"], i["actual"], i["weight"], i["score"]) for i in audit.facts["indicators"]] == [
        ("培训人数", "产出指标", 100, 100, 50, 50), ("服务对象满意度", "满意度指标", 90, 95, 40, 40),
    ]
    assert audit.errors == 0 and "I019" not in {f.code for f in audit.findings}, [(f.code, f.message) for f in audit.findings]


def test_table_and_text_disagree(rules: RuleSet, tmp_path: Path) -> None:
    path = write_docx(report(), tmp_path / "both.docx", table=False)
    from docx import Document

    document = Document(str(path))
    grid = document.add_table(rows=2, cols=5)
    for col, value in enumerate(("三级指标", "年度指标值", "实际完成值", "分值", "得分")):
        grid.cell(0, col).text = value
    for col, value in enumerate(("培训人数", "≥100人", "100人", "45", "45")):
        grid.cell(1, col).text = value
    document.save(str(path))
    audit = audit_document(path, rules)
    messages = [f.message for f in audit.findings if f.code == "A003"]
    assert any("权重分值" in m for m in messages) and any("得分" in m for m in messages)


def test_budget_block_of_the_table_is_compared_with_the_text(rules: RuleSet, tmp_path: Path) -> None:
    path = write_docx(report(), tmp_path / "budget.docx", table=False)
    from docx import Document

    document = Document(str(path))
    rows = [
        ("年度部门整体支出预算（万元）", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"),
        ("年度部门整体支出预算（万元）", "年度资金总额", "500.00", "500.00", "480.00", "10", "96%", "9.6"),
    ]
    grid = document.add_table(rows=2, cols=8)
    for r, values in enumerate(rows):
        for col, value in enumerate(values):
            grid.cell(r, col).text = value
    document.save(str(path))
    audit = audit_document(path, rules)
    a003 = [f for f in audit.findings if f.code == "A003"]
    assert {f.field for f in a003} == {"budget.executed", "budget.stated.execution_rate", "stated.execution_score"}
    assert all(f.quote and f.quote in ("480.00", "96%", "9.6") for f in a003)  # the table's own cell


def test_a_change_against_another_year_and_the_other_expenditure_columns_are_not_budget_figures(rules: RuleSet) -> None:
    # Real 决算说明 sentences: a difference "较2020年度决算数减少…" is not this year's 决算数, and 上缴上级支出 /
    # 经营支出 beside 项目支出 are columns of their own, not restatements of the project total.
    lines = ["(一)预算情况",
             "1.一般公共预算财政拨款收入382.17万元。较2020年度决算数减少157.86万元,下降29.2%。",
             "2.上级补助收入8.38万元。较2020年度决算数减少17.40万元,下降67.5%。",
             "2022年本年支出合计4143.91万元,其中:基本支出1140.27万元,占27.52%;项目支出3003.64万元,占72.48%;"
             "上缴上级支出0万元,占0%;经营支出0万元,占0%;对附属单位补助支出0万元,占0%。"]
    facts = read_facts(normalise(lines))
    assert "budget.executed" not in facts.stmts
    assert [s.value for s in facts.stmts["expenditure.project_total.budget"]] == [Decimal("3003.64")]
    audit = audit_lines(lines, "juesuan.txt", rules)
    assert not [f for f in audit.findings if f.code == "A003"]


def test_the_parts_listed_after_a_total_are_not_the_total() -> None:
    """"项目支出包括委员活动经费36.3万元,扫黑除恶工作经费1万元": parts of 项目支出, not restatements of it (A003)."""
    facts = read_facts(normalise(["2021年部门整体支出绩效评价报告", "支出:799.12万元。其中:人员经费支出434.89万元,"
                                  "公用经费支出77.4万元,项目支出286.83万元。",
                                  "项目支出包括委员活动经费36.3万元,扫黑除恶工作经费1万元,信息网络运行经费5万元。"]))
    assert [s.value for s in facts.stmts["expenditure.project_total.budget"]] == [Decimal("286.83")]


def test_two_parts_of_one_total_are_not_one_figure_twice(rules: RuleSet) -> None:
    """"其中公用经费a,部门项目支出b,公共项目支出c": b and c are both read as 项目支出, but they are two parts (A003)."""
    text = "2022年度纳入监控的项目共27个,年初预算安排共计257111.4万元,其中公用经费224.48万元,部门项目支出632万元,公共项目支出256254.92万元。"
    codes = [f.code for f in audit_lines(["2022年度项目支出绩效监控报告", text], "t.txt", rules).findings]
    assert "A003" not in codes
    restated = "2022年度项目支出632万元。本年项目支出256254.92万元,主要用于环卫。"
    assert "A003" in [f.code for f in audit_lines(["2022年度项目支出绩效监控报告", restated], "t.txt", rules).findings]



@pytest.mark.parametrize(("lines", "budgets"), [
    # "机构运行1100910.5元,其中:基本支出…,项目支出0元" splits one functional class, not the budget (false A003 on a 广西
    # 预算说明); the budget's own split stays read, and a line broken after "其中:" continues the class's split.
    (["五、一般公共预算支出情况说明",
      "2021年一般公共预算拨款支出1493924.6元,其中:基本支出1440224.6元,项目支出53700元,具体支出预算如下:",
      "机构运行1100910.5元,其中:基本支出1100910.5元,项目支出0元。主要用于事业单位日常运转。",
      "机关事业单位基本养老保险缴费支出150384元,其中:",
      "基本支出150384元,项目支出0元。主要用于机关事业单位人员基本养老保险缴费支出。"],
     {"expenditure.basic.budget": ["144.02246"], "expenditure.project_total.budget": ["5.37"]}),
    # 工资福利支出 / 商品和服务支出 are parts of the 基本支出; "此外,预拨资金53.15万元" is another figure.
    (["(二)按支出结构分类划分,分为基本支出预算和项目支出预算。",
      "基本支出预算881300.39元,占一般公共预算支出的96.74%。其中:",
      "工资福利支出预算716052.51元,占基本支出预算81.25%。",
      "商品和服务支出预算165247.88元,占基本支出预算18.76%。",
      "(一)财政专项衔接资金下达预算及项目情况",
      "我镇获得财政衔接资金共1077.56万元。此外,预拨资金53.15万元。"],
     {"expenditure.basic.budget": ["88.130039"], "expenditure.project_total.budget": ["1077.56"]}),
])
def test_parts_of_another_amount_are_not_the_budgets_figures(lines: list[str], budgets: dict[str, list[str]]) -> None:
    facts = read_facts(normalise(lines))
    for path, values in budgets.items():
        assert [s.value for s in facts.stmts[path]] == [Decimal(v) for v in values], path
