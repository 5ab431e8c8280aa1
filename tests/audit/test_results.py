"""A bureau's results notice: each named project's score and grade, in prose or in a table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.audit.results import read_results, table_results
from jixiao.audit.run import audit_lines
from jixiao.core.model import Grade
from jixiao.core.rules import RuleSet

GRADE_WORDS = {Grade.EXCELLENT: "优秀", Grade.GOOD: "良好", Grade.FAIR: "中", Grade.POOR: "差"}


def notice(rows: list[tuple[str, Decimal, str]]) -> list[str]:
    return ["关于2023年度重点绩效评价结果的通报", "序号 | 项目名称 | 主管部门 | 评价得分 | 评价等级",
            *(f"{i} | {name} | 县财政局 | {score} | {grade}" for i, (name, score, grade) in enumerate(rows, 1))]


def test_prose_pairs_names_with_scores_and_grades() -> None:
    text = ("从评价结果看,禁毒工作专项、社区公厕改造建设、扶持企业发展专项评价得分分别为93.4分、91分、81.5分,"
            "社区公厕改造项目绩效评价结果为优秀,扶持企业发展专项绩效评价结果良好。")
    got = [(r.name, r.score, r.grade) for r in read_results(text)]
    assert got == [("禁毒工作专项", Decimal("93.4"), None), ("社区公厕改造建设", Decimal(91), Grade.EXCELLENT),
                   ("扶持企业发展专项", Decimal("81.5"), Grade.GOOD)]


def test_scores_that_cannot_be_paired_are_not_read() -> None:
    assert read_results("甲项目、乙项目评价得分分别为93分、91分、80分。") == []


def test_table_rows_are_read_each_as_its_result() -> None:
    rows = table_results("\n".join(notice([("农村公路养护资金", Decimal("92.5"), "优"), ("城乡环卫一体化", Decimal(78), "中")])))
    assert [(r.name, r.score, r.grade) for r in rows] == [
        ("农村公路养护资金", Decimal("92.5"), Grade.EXCELLENT), ("城乡环卫一体化", Decimal(78), Grade.FAIR)]


def test_a_grade_its_score_does_not_earn_is_a_warning_naming_the_rule_set(rules: RuleSet) -> None:
    audit = audit_lines(notice([("义务教育营养改善计划", Decimal(85), "优"), ("农村公路养护", Decimal(92), "优")]), "n.txt", rules)
    a025 = [f for f in audit.findings if f.code == "A025"]
    assert len(a025) == 1 and a025[0].severity.value == "warning"
    assert "义务教育营养改善计划" in a025[0].message and "规则集" in a025[0].message and "应为“良”" in a025[0].message
    assert not [f for f in audit.findings if f.severity.value == "error"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.decimals(min_value=0, max_value=100, places=1), st.booleans()), min_size=1, max_size=8))
def test_a025_exactly_where_the_grade_differs(rules: RuleSet, rows: list[tuple[Decimal, bool]]) -> None:
    grades = list(GRADE_WORDS)
    written = []
    for k, (score, right) in enumerate(rows):
        earned = rules.grade_for(score)
        grade = earned if right else grades[(grades.index(earned) + 1) % len(grades)]
        written.append((f"第{k + 1}号评价项目", score, GRADE_WORDS[grade]))
    audit = audit_lines(notice(written), "n.txt", rules)
    assert len([f for f in audit.findings if f.code == "A025"]) == sum(not right for _, right in rows)


NOTICE_HEAD = ["关于2023年度财政重点绩效评价结果的通报", "我局委托第三方机构对{n}个项目开展了重点绩效评价，现将评价结果通报如下："]
NOTICE_ROWS = [["序号", "项目名称", "主管部门", "评价得分", "评价等级"],
               ["1", "农村公路养护项目", "县交通运输局", "92.5", "优"], ["2", "高标准农田建设项目", "县农业农村局", "86", "良"],
               ["3", "城乡环境综合整治", "县住建局", "78.3", "中"], ["4", "河道治理工程", "县水利局", "83", "良"],
               ["5", "基层医疗卫生机构运行补助", "县卫健委", "58", "差"]]


def counted_notice(layout: str, summary: str, covered: int = 5, rows: int = 5) -> list[str]:
    from .test_tables import LAYOUTS

    head = [line.format(n=covered) for line in NOTICE_HEAD]
    return [*head, *LAYOUTS[layout](NOTICE_ROWS[: rows + 1]).splitlines(), summary]


@pytest.mark.parametrize("layout", ["pipe", "markdown", "lines", "flat"])
def test_grade_counts_that_the_table_does_not_give_are_an_error(rules: RuleSet, layout: str) -> None:
    read = [r.name for r in table_results("\n".join(counted_notice(layout, "")))]
    assert len(read) == 5 and read[1].startswith("高标准农田建设项目")
    right = audit_lines(counted_notice(layout, "评价结果为优的1个，良的2个，中的1个，差的1个。"), "通报.txt", rules)
    assert [f.code for f in right.findings if f.severity.value == "error"] == []
    wrong = audit_lines(counted_notice(layout, "评价结果为优的1个，良的3个，中的1个，差的1个。"), "通报.txt", rules)
    [slip] = [f for f in wrong.findings if f.severity.value == "error"]
    assert slip.code == "A032" and "“良”的有3个，但表中列为“良”的有2个" in slip.message and slip.quote and "良的3个" in slip.quote


def test_grade_counts_are_not_held_against_a_table_cut_off(rules: RuleSet) -> None:
    # The notice covers 7 projects, the excerpt lists 5 and its counts add up to 7: rows are missing, not wrong.
    cut = audit_lines(counted_notice("pipe", "优的2个，良的3个，中的1个，差的1个。", covered=7), "通报.txt", rules)
    assert "A032" not in {f.code for f in cut.findings}


@pytest.mark.parametrize(("text", "counted"), [
    ("评价结果为优的1个，良的2个", {"优": 1, "良": 2}), ("评价结果为优秀的2个", {"优秀": 2}),
    ("其中3个项目评价为优", {"优": 3}), ("3个项目评价等级为良", {"良": 3}), ("不合格1个", {"不合格": 1}),
    # Not grades: inside 其中, 优良 (two grades together), 偏差, 集中.
    ("其中3个", {}), ("优良4个", {}), ("偏差2个", {}), ("集中2个", {}),
])
def test_grade_counts_are_read_from_the_notices_words(text: str, counted: dict[str, int]) -> None:
    from jixiao.audit.results import _COUNT_AFTER, _COUNT_BEFORE

    read = {m.group("grade"): int(m.group("n")) for p in (_COUNT_AFTER, _COUNT_BEFORE) for m in p.finditer(text)}
    assert read == counted
