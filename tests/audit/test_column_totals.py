"""A030: any table's amount columns against its 合计 row, in the pipe and one-cell-per-line layouts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.audit.column_totals import table_slips
from jixiao.audit.run import audit_lines
from jixiao.core.rules import RuleSet

HEADER = ["序号", "乡镇名称", "项目名称", "金额(万元)", "完成率", "备注"]


def rows_of(amounts: list[Decimal], total: Decimal) -> list[list[str]]:
    rows = [HEADER]
    for n, amount in enumerate(amounts, 1):
        rows.append([str(n), f"第{n}镇", f"第{n}村水利设施修复", f"{amount}", "100%", ""])
    rows.append(["合计", "", "", f"{total}", "", ""])
    return rows


def pipe(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(r) for r in rows)


def cell_lines(rows: list[list[str]]) -> str:
    """A web table copied as text: a cell and its bar per line, an empty cell a bare bar; the 合计 row's merged
    cells collapse to its figures."""
    out: list[str] = []
    for row in rows:
        cells = [row[0], *[c for c in row[1:] if c]] if row[0] == "合计" else row
        out.extend(f"{c} |" if c else "|" for c in cells)
    return "\n".join(out)


amounts = st.lists(st.decimals(min_value=0, max_value=9999, places=2), min_size=2, max_size=8)


@pytest.mark.parametrize("layout", [pipe, cell_lines], ids=["pipe", "cell-lines"])
@settings(max_examples=40, deadline=None)
@given(amounts=amounts, off=st.sampled_from([Decimal(0), Decimal("0.01"), Decimal(1), Decimal(-5)]))
def test_a_column_is_held_against_its_total(layout: object, amounts: list[Decimal], off: Decimal) -> None:
    total = sum(amounts, Decimal(0)) + off
    slips = table_slips(layout(rows_of(amounts, total)))  # type: ignore[operator]
    # written to the cent, the rows may differ from the total by their rounding only: 0.01 is within it
    # for three rows or more, 1 and 5 never are
    if abs(off) < 1 and len(amounts) >= 2:
        assert slips == []
    else:
        assert [(s.header, s.stated, s.added) for s in slips] == [("金额(万元)", total, total - off)]


def test_the_finding_quotes_the_total_and_names_the_column(rules: RuleSet) -> None:
    text = pipe(rows_of([Decimal(20), Decimal(15), Decimal(25)], Decimal(55)))
    audit = audit_lines(["2022年省级水利专项资金安排表", "单位:万元", *text.splitlines()], "t.txt", rules)
    found = [f for f in audit.findings if f.code == "A030"]
    assert len(found) == 1 and found[0].quote == "55" and found[0].line == 7
    assert "“金额(万元)”列3行之和为60" in found[0].message


@pytest.mark.parametrize("text", [
    # rates, scores and sequence numbers do not add up
    "序号 | 项目 | 执行率 | 得分\n1 | 甲 | 90% | 8\n2 | 乙 | 80% | 9\n3 | 丙 | 70% | 7\n合计 | | 85% | 24",
    # 其中 rows are parts of the row above, not rows
    "项目 | 金额\n基本支出 | 300\n其中：人员经费 | 200\n项目支出 | 200\n合计 | 500",
    # a row with more cells than the header has columns: nothing is added up
    "项目 | 金额 | 备注\n甲 | 100 | \n乙 | 200 | 50 | 多余\n丙 | 300 | 新增\n合计 | 700 | ",
    # no 合计 row
    "项目 | 金额\n甲 | 100\n乙 | 200\n丙 | 300",
])
def test_what_is_not_a_column_of_amounts_and_its_total(text: str) -> None:
    assert table_slips(text) == []


DEPARTMENT_FORM = """部门(单位)名称 | 某县文化和旅游局
年度主要任务 | 任务名称 | 主要内容 | 预算数 | 执行数
 | 公共文化服务 | 开展文化惠民活动 | 120 | 118
 | 文物保护 | 文物修缮 | 80 | 60
 | 合计 | | 200 | {executed}
年度部门整体支出预算(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
年度资金总额 | 200 | 200 | 178 | 10 | 89% | 8.9"""


def test_a_task_table_under_a_merged_first_column_among_other_tables_is_added_up() -> None:
    # 部门整体's 年度主要任务 table: its first column merged down (blank below), its 合计 under 任务名称, and
    # the unit's name above it and the budget block below it in the same run of pipe lines.
    assert table_slips(DEPARTMENT_FORM.format(executed=178)) == []
    [slip] = table_slips(DEPARTMENT_FORM.format(executed=180))
    assert (slip.header, slip.added, slip.stated, slip.count) == ("执行数", Decimal(178), Decimal(180), 2)
