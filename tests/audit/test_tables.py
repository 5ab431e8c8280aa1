"""The 自评表 read from every text layout and template variant: header bands, typed rows, totals."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.audit.tables import Tables, Token, read_tables
from jixiao.core.rules import RuleSet

REAL = Path(__file__).parent / "data" / "real-reports"

# Template variants as their header words: the reader must take each column order from the document.
VARIANTS = {
    "national-department": (
        ["年度部门整体支出预算(万元)", "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
        ["一级指标", "二级指标", "三级指标", "年度指标值(A)", "实际完成值(B)", "分值", "得分", "偏差原因分析及改进措施"],
    ),
    "sichuan-project": (
        ["资金情况(万元)", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
        ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施"],
    ),
    "yunnan-yuan": (
        ["项目资金(元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"],
    ),
    # 重庆 部门整体: initial and adjusted targets, a score coefficient and a core flag; no category columns.
    "chongqing-coefficient-core": (
        ["部门预算执行情况(万元)", "年初预算数", "全年(调整)预算数", "全年执行数", "执行率(%)", "执行率权重", "执行率得分(分)"],
        ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数(%)", "指标权重(分)",
         "指标得分(分)", "是否核心指标"],
    ),
    # 四川 2023: the comparator, the value and its unit in three columns.
    "sichuan-comparator-column": (
        ["年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
    ),
    # 四川 2023 as published: its 原因 cell still holds the template's numbered instruction, column words and all.
    "sichuan-instruction-in-reason": (
        ["年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
    ),
}
INSTRUCTION = ("1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
               "2.年中发生预算调整的(追加或调减),应单独说明理由")

Indicator = tuple[str, str, str, str, int, Decimal]  # level2, name, target, actual, weight, score


def table_rows(variant: str, budget: tuple[Decimal, Decimal, Decimal], indicators: list[Indicator]) -> list[list[str]]:
    budget_header, indicator_header = VARIANTS[variant]
    initial, adjusted, executed = budget
    rate = f"{executed / adjusted * 100:.2f}%"
    money = {"年初预算数": initial, "年初预算": initial, "全年预算数(A)": adjusted, "全年预算数": adjusted,
             "全年(调整)预算数": adjusted,
             "调整后预算数": adjusted, "全年执行数(B)": executed, "全年执行数": executed, "预算执行数": executed}
    scale = Decimal(10000) if "(元)" in budget_header[0] else Decimal(1)
    values = {"分值": "10", "权重": "10", "执行率(B/A)": rate, "执行率": rate, "预算执行率": rate, "得分": "9",
              "执行率(%)": rate, "执行率权重": "10", "执行率得分(分)": "9", "原因": INSTRUCTION}
    row = ["年度资金总额"] + [
        str(money[h] * scale) if h in money else values[h] for h in budget_header[1:]
    ]
    rows = [budget_header, row, ["年度总体目标", "完成年度任务"], indicator_header]
    for level2, name, target, actual, weight, score in indicators:
        split = re.fullmatch(r"([≥≤=])(\d+)(.*)", target)
        assert split is not None
        cell = {"一级指标": "产出指标", "二级指标": level2, "三级指标": name, "年度指标值(A)": target,
                "年度指标值": target, "实际完成值(B)": actual, "实际完成值": actual, "全年实际值": actual,
                "完成值": actual, "分值": str(weight), "权重": str(weight), "得分": str(score),
                "指标性质": split[1], "指标值": split[2], "度量单位": split[3],
                "指标名称": name, "全年完成值": actual, "计量单位": split[3] or "%", "年初指标值": target, "调整指标值": target,
                "得分系数(%)": f"{Decimal(score) / weight * 100:.0f}%",
                "指标权重(分)": str(weight), "指标得分(分)": str(score), "是否核心指标": "否"}
        if "是否核心指标" in indicator_header:
            cell["指标性质"] = "定量指标"
        rows.append([cell.get(h, "无") for h in indicator_header])
    rows.append(["总分", "100", str(9 + sum((i[5] for i in indicators), Decimal(0)))])
    return rows


def pipe(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(r) for r in rows)


def markdown(rows: list[list[str]]) -> str:
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def cell_lines(rows: list[list[str]]) -> str:
    return "\n".join("\n".join(r) + "\n|" for r in rows)


def flat(rows: list[list[str]]) -> str:
    return " ".join(" ".join(r) for r in rows)


LAYOUTS = {"pipe": pipe, "markdown": markdown, "lines": cell_lines, "flat": flat}

names = st.sampled_from(["开办夜市数量", "引进企业数量", "培训人次", "道路硬化里程", "验收合格率", "群众满意度"])
indicator = st.tuples(
    st.sampled_from(["数量指标", "质量指标", "时效指标"]),
    names,
    st.sampled_from(["≥4家", "≥95%", "=100%", "≤15天", "≥20公里"]),
    st.sampled_from(["4家", "96%", "100%", "12天", "21公里"]),
    st.integers(min_value=5, max_value=30),
    st.integers(min_value=0, max_value=5).map(Decimal),
)
budgets = st.tuples(
    st.decimals(min_value=1, max_value=99999, places=2),
    st.decimals(min_value=1, max_value=99999, places=2),
    st.decimals(min_value=0, max_value=1, places=2),
).map(lambda t: (t[0], t[1], (t[1] * t[2]).quantize(Decimal("0.01"))))


def _target_as_written(cells: dict[str, Token]) -> str:
    """The target with the comparator and unit columns it was split into, if any, put back."""
    target = cells.get("adjusted_target") or cells["target"]
    comparator = cells["comparator"].text if "comparator" in cells and cells["comparator"].kind == "cmp" else ""
    unit = cells["unit"].text if "unit" in cells and not target.text.rstrip().endswith(cells["unit"].text) else ""
    return (comparator + target.text + unit).replace(" ", "")


def read_back(tables: Tables) -> tuple[dict[str, Decimal], list[tuple[str, str, Decimal | None, Decimal | None]]]:
    budget = {k: v.value for k, v in tables.budgets[0].rows[0].values.items()}
    rows = [(r.name, _target_as_written(r.cells), r.weight and r.weight.value, r.score and r.score.value)
            for r in tables.indicators[0].rows]
    return budget, rows


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("variant", sorted(VARIANTS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(budget=budgets, indicators=st.lists(indicator, min_size=1, max_size=6, unique_by=lambda i: i[1]))
def test_every_layout_of_every_variant_reads_back(
    variant: str, layout: str, budget: tuple[Decimal, Decimal, Decimal], indicators: list[Indicator]
) -> None:
    text = LAYOUTS[layout](table_rows(variant, budget, indicators))
    tables = read_tables(text)
    read_budget, read_rows = read_back(tables)
    initial, adjusted, executed = budget
    assert read_budget["adjusted"] == adjusted and read_budget["executed"] == executed
    if "年初预算数" in VARIANTS[variant][0]:
        assert read_budget["initial"] == initial
    assert read_budget["weight"] == 10 and read_budget["score"] == 9
    assert read_rows == [(name, target, Decimal(weight), score) for _, name, target, _, weight, score in indicators]
    table = tables.indicators[0]
    assert table.total_weight is not None and table.total_weight.value == 100
    assert table.total_score is not None and table.total_score.value == 9 + sum((i[5] for i in indicators), Decimal(0))


def glued(rows: list[list[str]]) -> str:
    """Cells run together as a PDF or OCR copy gives them (L4); an empty reason cell leaves no trace."""
    return "".join("".join(c for c in r if c != "无") for r in rows)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(budget=budgets, indicators=st.lists(indicator, min_size=1, max_size=6, unique_by=lambda i: i[1]))
def test_glued_rows_read_back_or_stay_unread(
    variant: str, budget: tuple[Decimal, Decimal, Decimal], indicators: list[Indicator]
) -> None:
    """Glued, every indicator row is read back to its name, weight and score — and its target wherever one cut
    of the row's cells holds; the budget row, whose digits run into each other, is read right or not at all."""
    tables = read_tables(glued(table_rows(variant, budget, indicators)))
    table = tables.indicators[0]
    assert [(r.name, r.weight and r.weight.value, r.score and r.score.value) for r in table.rows] == [
        (name, Decimal(weight), score) for _, name, _, _, weight, score in indicators]
    for row, (_, _, target, _, _, _) in zip(table.rows, indicators, strict=True):
        if "target" in row.cells or "adjusted_target" in row.cells:
            assert _target_as_written(row.cells) == target
    assert not table.values_unread
    if tables.budgets and tables.budgets[0].rows[0].values:
        read = tables.budgets[0].rows[0].values
        assert all(read[k].value == v for k, v in zip(("initial", "adjusted", "executed"), budget, strict=True) if k in read)


def test_yuan_tables_are_read_as_wan() -> None:
    tables = read_tables(pipe(table_rows("yunnan-yuan", (Decimal(12), Decimal(15), Decimal(12)), [
        ("数量指标", "开办夜市数量", "≥4家", "4家", 90, Decimal(80))])))
    assert tables.budgets[0].band.unit == "元"
    assert tables.budgets[0].rows[0].values["adjusted"].value == 15


def test_glued_cells_are_cut_where_the_row_adds_up() -> None:
    glued = (
        "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:202010100.00%10其中:本年财政拨款2020"
        "其他资金年度总体目标完成情况绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及拟采取的改进措施"
        "产出指标(70分)数量指标安装坡面水标尺10≥266米≥266米10质量指标项目(工程)验收合格率20100%100%20"
        "成本指标项目计划总投资1020万元20万元10效益指标(20分)社会效益指标群众生产生活条件改善状况10显著提升显著提升10"
        "总分100100注:一级指标分值统一设置为:产出指标50分"
    )
    tables = read_tables(glued)
    total = tables.budgets[0].rows[0].values
    assert {k: v.value for k, v in total.items()} == {
        "adjusted": 20, "executed": 20, "weight": 10, "rate": Decimal("100.00"), "score": 10}
    assert {k: v.value for k, v in tables.budgets[0].rows[1].values.items()} == {"adjusted": 20, "executed": 20}
    table = tables.indicators[0]
    assert [(r.name, r.cells["target"].text, r.cells["actual"].text, r.weight and r.weight.value) for r in table.rows] == [
        ("安装坡面水标尺", "≥266米", "≥266米", 10),
        ("项目(工程)验收合格率", "100%", "100%", 20),
        ("项目计划总投资", "20万元", "20万元", 10),
        ("群众生产生活条件改善状况", "显著提升", "显著提升", 10),
    ]
    assert [(g.category, g.weight and g.weight.value) for g in table.groups] == [("output", 70), ("outcome", 20)]
    assert table.total_weight is not None and table.total_weight.value == 100


def test_an_ambiguous_glued_row_is_left_unread() -> None:
    # 1110 could be 1 and 110, 11 and 10, 111 and 0: without a rate to hold, nothing is guessed.
    tables = read_tables("全年预算数全年执行数资金总额1110其他资金")
    assert not tables.budgets or not tables.budgets[0].rows[0].values


def test_instruction_text_and_prose_are_not_tables() -> None:
    prose = "全年预算数为808.1万元，全年执行数692.98万元，执行率86%，得分9分。"
    assert read_tables(prose).empty


def test_the_real_table_that_does_not_add_up_is_caught(rules: RuleSet) -> None:
    from jixiao.audit import audit_document

    audit = audit_document(REAL / "r2-31_zhongjiang-shuiliju-shuibiaochi-xiangmu-zipingbiao-2022.txt", rules)
    errors = {f.code: f for f in audit.findings if f.severity.value == "error"}
    assert set(errors) == {"A014", "A016"}
    assert "产出指标(70分)" in (errors["A014"].quote or "") and "110" in errors["A014"].message
    # The national rule's weights differ from this template's: a warning naming the rule set, not an error.
    assert all("规则集" in f.message for f in audit.findings if f.code.startswith("I0") and f.severity.value == "warning")


def test_a_budget_with_only_annual_and_executed_gets_its_rate_checked(rules: RuleSet) -> None:
    from jixiao.audit.run import audit_lines

    rows = [["资金投入情况(万元)", "全年预算数(A)", "全年执行数(B)", "预算执行率(B/A×100%)"],
            ["年度资金总额:", "808.1", "692.98", "96%"]]
    audit = audit_lines(pipe(rows).splitlines(), "t.txt", rules)
    b007 = [f for f in audit.findings if f.code == "B007"]
    assert b007 and b007[0].quote == "96%"
    assert not [f for f in audit.findings if f.code in ("B001", "B006")]


def test_a_form_with_only_initial_and_executed_gets_its_rate_checked(rules: RuleSet) -> None:
    from jixiao.audit.run import audit_lines

    lines = ["年初预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分", "年度资金总额 50 45 10 80% 8"]  # 45 / 50 = 90%
    b007 = [f for f in audit_lines(lines, "t.txt", rules).findings if f.code == "B007"]
    assert b007 and "80%" in b007[0].quote and "90%" in b007[0].message
    lines[1] = "年度资金总额 50 45 10 90% 9"
    assert "B007" not in {f.code for f in audit_lines(lines, "t.txt", rules).findings}


def test_an_unfilled_template_is_reported_incomplete(rules: RuleSet) -> None:
    from jixiao.audit.run import audit_lines

    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"],
            ["产出指标", "数量指标", "培训人次", "≥500人次", "", "20", "", ""],
            ["产出指标", "质量指标", "合格率", "≥95%", "", "20", "", ""],
            ["评价结论", "(请填写自评结论)"]]
    audit = audit_lines(pipe(rows).splitlines(), "t.txt", rules)
    messages = [f.message for f in audit.findings if f.code == "A017"]
    assert len(messages) == 2 and any("都没有填写" in m for m in messages)
    assert not [f for f in audit.findings if f.severity.value == "error"]


# 云南's 自评表: the indicator header in two rows, the first row's merged cells divided by the second.
_TWO_ROW_ROWS = [
    "| 产出指标 | 数量指标 | 补助人数 | ≥ | 300 | 人 | 320 | 30 | 30 | |",
    "| 效益指标 | 社会效益指标 | 政策知晓率 | ≥ | 90 | % | 93 | 30 | 30 | |",
    "| 满意度指标 | 服务对象满意度指标 | 满意度 | ≥ | 90 | % | 95 | 30 | 30 | |",
]


@pytest.mark.parametrize("header", [
    # copied from a web page: each merged cell once
    "| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
    "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |",
    # read from Word or a ruled PDF: a cell merged down both rows written in each
    "绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施\n"
    "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施",
])
def test_a_header_of_two_rows_gives_the_columns_of_its_second(header: str) -> None:
    [table] = read_tables(header + "\n" + "\n".join(_TWO_ROW_ROWS)).indicators
    assert table.band.roles[:6] == ("level1", "level2", "name", "comparator", "target", "unit")
    assert [(r.name, r.cells["target"].text, r.cells["actual"].text, r.weight and r.weight.value) for r in table.rows] == [
        ("补助人数", "300", "320", 30), ("政策知晓率", "90", "93", 30), ("满意度", "90", "95", 30)]


def test_two_header_rows_repeating_several_columns_are_not_divided() -> None:
    # no merged cell above the second row's columns: not this shape, the first row's order stands
    text = "| 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n| 一级指标 | 年度指标值 | 分值 | 指标性质 |\n| 补助人数 | ≥300人 | 320人 | 30 | 30 |"
    [table] = read_tables(text).indicators
    assert table.band.roles[:5] == ("name", "target", "actual", "weight", "score")


def test_wrapped_category_words_and_scoring_rules_between_rows() -> None:
    text = "\n".join([
        "一级", "指标", "二级", "指标", "三级指标 预期指标值(A) 实际完成指标值(B) 分值 得分 未完成原因 得分计算方法",
        "(50分)", "数量指标 全年免费开放 100% 100% 25 25",
        "定量指标计算:完成值达到指标值,记满分;未达到指标值,按B/A或A/B*该指标分值记分。",
        "定性指标计算:根据“三档”原则分别按照指标分值的100-80%(含80%)、80-50%(含50%)、50-0%来记分。",
        "质量指标 开放管理制度执行有效性 100% 100% 25 25",
        "(30分)", "经济效益", "指标", "承担重要公益服务项目 100% 100% 30 30",
    ])
    [table] = read_tables(text).indicators
    assert [(r.name, r.level1 and r.level1[0], r.level2 and r.level2[0]) for r in table.rows] == [
        ("全年免费开放", "output", "数量指标"), ("开放管理制度执行有效性", "output", "质量指标"),
        ("承担重要公益服务项目", "outcome", "经济效益指标")]
    assert all("reason" not in r.cells for r in table.rows)
