"""Rows whose cells a PDF/OCR copy glued together: cut by the band's column types, read only where every cut agrees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit.run import audit_lines
from jixiao.audit.tables import read_tables
from jixiao.core.rules import RuleSet

CHONGQING = "指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标"
NATIONAL = "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因"


def rows(text: str) -> list[tuple[str, dict[str, str], Decimal | None, Decimal | None]]:
    table = read_tables(text).indicators[0]
    return [(r.name, {k: v.text for k, v in r.cells.items() if k not in ("unit", "comparator")},
             r.weight and r.weight.value, r.score and r.score.value) for r in table.rows]


# (header, glued rows, what must be read: name, values, weight, score)
POSITIVE = [
    # the weight and the score run together ("22"), the core flag into the next name ("否“三公…")
    (CHONGQING, "财政供养人员控制率%定量指标100%92%100%22否“三公经费变动率%100%22否",
     [("财政供养人员控制率", {}, 2, 2), ("三公经费变动率", {}, 2, 2)]),
    # every value column filled: one cut, so the targets are read; 得分系数 50% = 5 ÷ 10
    (CHONGQING, "培训人次人次定量指标≥500人次≥600人次620人次50%105否",
     [("培训人次", {"target": "≥500人次", "adjusted_target": "≥600人次", "actual": "620人次"}, 10, 5)]),
    # a doubled qualitative value at the end of the name ("好好") and a "0100%" that is 0 and 100%
    (CHONGQING, "资金使用合规性好好100%55否预算调整率%3%0100%22否",
     [("资金使用合规性", {}, 5, 5), ("预算调整率", {}, 2, 2)]),
    # 80% cannot be 得分系数 (2 ÷ 2 = 100%), so the three percentages are the three value columns: one reading
    (CHONGQING, "预算完成率%70%76%80%22是", [("预算完成率", {"target": "70%", "adjusted_target": "76%", "actual": "80%"}, 2, 2)]),
    (NATIONAL, "产出指标数量指标培训人次≥500人次520人次2018质量指标验收合格率≥95%96%1010",
     [("培训人次", {"target": "≥500人次", "actual": "520人次"}, 20, 18),
      ("验收合格率", {"target": "≥95%", "actual": "96%"}, 10, 10)]),
]

NEGATIVE = [
    # a lone figure is not forced into the weight: the row's score is not written
    (CHONGQING, "基础信息完善%100%100%1否"),
    # every cut of "1055" puts a score above its weight (10 and 55, 105 and 5)
    (NATIONAL, "产出指标数量指标培训人次≥500人次520人次1055"),
    # four percentages: the last must be 得分系数, and 90% is not 2 ÷ 2 — no reading of the row holds
    (CHONGQING, "预算完成率%70%76%80%90%22是"),
]


@pytest.mark.parametrize(("header", "body", "expected"), POSITIVE)
def test_a_glued_row_is_cut_by_its_columns(header: str, body: str, expected: list[tuple[str, dict[str, str], int, int]]) -> None:
    assert rows(header + body) == [(n, v, Decimal(w), Decimal(s)) for n, v, w, s in expected]


@pytest.mark.parametrize(("header", "body"), NEGATIVE)
def test_a_glued_row_with_no_single_reading_is_left_unread(header: str, body: str) -> None:
    tables = read_tables(header + body)
    assert not any(t.rows for t in tables.indicators)


def test_a_header_cell_read_out_of_order_still_names_its_column() -> None:
    scrambled = CHONGQING.replace("全年完成值", "年成值全完值")
    tables = read_tables(scrambled + "财政供养人员控制率%定量指标100%92%100%22否")
    assert "actual" in tables.indicators[0].band.roles


def test_unread_values_are_not_reported_missing(rules: RuleSet) -> None:
    """Weights and scores read, targets not cut apart: no "未填写实际完成值" for what the copy does state."""
    text = "2021年度部门整体绩效自评表\n项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 分值 | 得分\n" \
        "年度资金总额 | 100 | 100 | 90 | 90% | 10 | 9\n" + CHONGQING + "财政供养人员控制率%定量指标100%92%100%22否预算完成率%70%76%100%22是"
    audit = audit_lines(text.splitlines(), "t.txt", rules)
    codes = {f.code for f in audit.findings}
    assert not codes & {"I002", "I003", "A017"}
    assert not [f for f in audit.findings if f.severity.value == "error"]
    assert audit.explain is not None
    assert any("粘连" in s["reason"] for s in audit.explain["skipped_checks"])
