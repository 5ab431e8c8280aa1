"""Each document-level check on a small report with one slip: found, located, explained."""

from __future__ import annotations

from decimal import Decimal

from audit.reports import report
from jixiao.audit import DocumentAudit, audit_lines
from jixiao.core.findings import Finding
from jixiao.core.rules import RuleSet


def only(audit: DocumentAudit, code: str) -> Finding:
    found = [f for f in audit.findings if f.code == code]
    assert len(found) == 1, [(f.code, f.message) for f in audit.findings]
    return found[0]


def run(rules: RuleSet, **changes: object) -> DocumentAudit:
    return audit_lines(report(**changes).splitlines(), "r.txt", rules)


def test_count_restated_as_percent(rules: RuleSet) -> None:
    f = only(run(rules, restated1="100%"), "A001")
    assert f.line == 29 and "本次评价实际完成值为100%" in (f.quote or "")
    assert (f.expected, f.actual) == (100, 100) and "人" in f.message


def test_same_unit_restated_with_another_value(rules: RuleSet) -> None:
    f = only(run(rules, restated1="98人"), "A003")
    assert (f.expected, f.actual) == (100, 98)


def test_figure_stated_twice_differently(rules: RuleSet) -> None:
    audit = run(rules, adjust_text="全年预算数为520.00万元,全年实际支出资金500.00万元,预算执行率为100%。")
    f = only(audit, "A003")
    assert "全年预算数" in f.message and f.line == 21 and f.related_locations[0].line == 19


def test_narrative_task_differs_from_target(rules: RuleSet) -> None:
    f = only(run(rules, key_work="全年完成培训人数100人,完成年度任务120人的83.33%。"), "A004")
    assert (f.expected, f.actual) == (100, 120) and f.related_locations[0].line == 15


def test_narrative_rate_recomputed(rules: RuleSet) -> None:
    f = only(run(rules, key_work="重点项目计划投资20.8亿元,完成投资18.37亿元,完成率78%。"), "A005")
    assert f.expected == Decimal("88.32") and f.actual == 78


def test_other_years_but_not_comparisons(rules: RuleSet) -> None:
    audit = run(rules, key_work="2021年完成培训80人。与2023年相比有所增长,2019年以来累计培训500人。")
    f = only(audit, "A006")
    assert "2021年" in f.message and f.line == 15


def test_pandemic_text(rules: RuleSet) -> None:
    f = only(run(rules, key_work="疫情防控期间组织线上培训100人次。"), "A007")
    assert "疫情防控" in (f.quote or "")


def test_no_adjustment_statement_contradicted(rules: RuleSet) -> None:
    audit = run(rules, initial="400.00", adjust_text="本年度预算未调整。")
    f = only(audit, "A008")
    assert (f.expected, f.actual) == (400, 500)


def test_missing_total_and_grade(rules: RuleSet) -> None:
    text = report().replace('2024年度部门整体支出绩效自评综合得分100分,评价结果为"优"。', "")
    audit = audit_lines(text.splitlines(), "r.txt", rules)
    assert "综合得分、评价等级" in only(audit, "A010").message


def test_shortfall_without_reason_uses_core_check(rules: RuleSet) -> None:
    f = only(run(rules, actual1="80", rate1="80", restated1="80人", score1="40", total="90"), "I004")
    assert f.line == 29


def test_every_document_check_is_documented() -> None:
    from pathlib import Path

    from jixiao.audit.doc_checks import DOC_CHECKS

    text = (Path(__file__).parents[2] / "docs" / "checks.md").read_text("utf-8")
    assert [c.code for c in DOC_CHECKS.values() if f"| {c.code} |" not in text or c.title not in text] == []


def test_other_subjects_are_not_the_budget(rules: RuleSet) -> None:
    audit = run(rules, adjust_text="三公经费全年预算数为12.00万元,执行数为10.00万元。动物防疫工作全年开展4次。")
    assert [f.code for f in audit.findings] == ["I019"]


def test_a_template_placeholder_year_and_unit_are_named_where_they_are_written(rules: RuleSet) -> None:
    lines = ["XX县XX局项目支出绩效运行监控报告", "", "一、项目基本情况", "20xx年本单位项目支出预算19.3万元。"]
    gaps = {f.field: f for f in audit_lines(lines, "监控.txt", rules).findings if f.code == "A009"}
    assert gaps["year"].message == "报告的年度写作占位符“20xx年”，疑为模板或示例文本，无法按年度核对"
    assert (gaps["year"].line, gaps["unit.name"].line) == (4, 1)
    assert "占位符“XX县XX局”" in gaps["unit.name"].message
    # A document that simply does not state them keeps the plain message.
    plain = {f.field: f for f in audit_lines(["项目支出预算19.3万元。"], "r.txt", rules).findings if f.code == "A009"}
    assert plain["year"].message.startswith("未能识别评价年度") and plain["year"].line is None
