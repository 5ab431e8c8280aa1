"""Target tables with one column per place (or sub-item): per-column figures read, their stated total held (A031)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.audit.per_place import place_slips, read_place_tables
from jixiao.audit.run import audit_lines
from jixiao.core.rules import RuleSet

from .test_tables import cell_lines, markdown, pipe

LAYOUTS = {"pipe": pipe, "markdown": markdown, "lines": cell_lines}
PLACES = ["西坪镇尧山村", "桃舟乡吾培村", "芦田镇三洋村", "蓬莱镇植洋村", "魁斗镇奇观村", "龙涓乡长塔村", "尚卿乡尤俊村", "城关镇东街社区"]


def place_rows(places: list[str], counts: list[int], total: int | None, goal: int | None) -> list[list[str]]:
    rows = [["项目名称", "小型水利工程建设专项资金"],
            ["总体目标", f"开展{goal}个小型水利工程建设" if goal is not None else "完成年度建设任务"],
            ["一级指标", "二级指标", "三级指标", "指标解释", *places, *(["合计"] if total is not None else [])],
            ["产出指标", "数量指标", "开展小型水利工程建设(个)", "反映小型水利工程建设项目开展情况",
             *map(str, counts), *([str(total)] if total is not None else [])]]
    return rows


tables = st.integers(min_value=2, max_value=8).flatmap(
    lambda n: st.tuples(st.just(PLACES[:n]), st.lists(st.integers(min_value=0, max_value=30), min_size=n, max_size=n)))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables, with_total=st.booleans(), with_goal=st.booleans(), off=st.integers(min_value=-3, max_value=3))
def test_per_place_columns_read_back_and_their_total_is_held(
    layout: str, table: tuple[list[str], list[int]], with_total: bool, with_goal: bool, off: int
) -> None:
    places, counts = table
    added = sum(counts)
    total = max(0, added + off)
    text = LAYOUTS[layout](place_rows(places, counts, total if with_total else None, added if with_goal else None))
    read = read_place_tables(text)
    assert len(read) == 1 and [c.text for c in read[0].columns] == places
    row = read[0].rows[0]
    assert [int(v.text) for v in row.values] == counts
    slips = place_slips(text)
    assert len(slips) == (1 if with_total and total != added else 0)
    if slips:
        assert slips[0][1] == total


def test_a_goal_that_the_places_do_not_add_up_to_is_caught(rules: RuleSet) -> None:
    lines = pipe(place_rows(PLACES[:7], [1] * 7, None, 8)).splitlines()
    errors = [f for f in audit_lines(["2022年度项目绩效目标表", *lines], "t.txt", rules).findings if f.code == "A031"]
    assert len(errors) == 1 and "开展8个" in (errors[0].quote or "") and "之和为7" in errors[0].message
    clean = pipe(place_rows(PLACES[:7], [1] * 7, None, 7)).splitlines()
    assert not [f for f in audit_lines(clean, "t.txt", rules).findings if f.code == "A031"]


NOT_PLACE_TABLES = [
    # an ordinary indicator table: its columns after 三级指标 are vocabulary words, not places
    [["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
     ["产出指标", "数量指标", "培训人次", "≥500人次", "520人次", "20", "18"]],
    # the figures do not fill the place columns one each: the row is not placed
    [["一级指标", "二级指标", "三级指标", "指标解释", "甲村", "乙村", "丙村"],
     ["产出指标", "数量指标", "建设项目(个)", "反映项目开展情况", "1", "2"]],
    # mixed units across the columns
    [["一级指标", "二级指标", "三级指标", "指标解释", "甲村", "乙村"],
     ["产出指标", "数量指标", "建设规模", "反映建设规模", "3公里", "2个"]],
]


@pytest.mark.parametrize("rows", NOT_PLACE_TABLES)
def test_tables_that_are_not_per_place_are_not_read_as_such(rows: list[list[str]]) -> None:
    assert not read_place_tables(pipe(rows))


def test_explain_shows_the_per_place_columns(rules: RuleSet) -> None:
    audit = audit_lines(pipe(place_rows(PLACES[:3], [2, 1, 4], 7, None)).splitlines(), "t.txt", rules)
    assert audit.explain is not None
    table = next(t for t in audit.explain["tables"] if t["table"] == "分列指标表")
    assert table["columns"] == ["三级指标", *PLACES[:3], "合计"]
    assert table["rows"][0]["各列之和"] == "7" and table["rows"][0]["合计"] == "7"
