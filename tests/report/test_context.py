from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import data
from jixiao.core.evaluate import Result, evaluate
from jixiao.core.model import Evaluation
from jixiao.core.rules import RuleSet
from jixiao.report.context import build_context
from jixiao.report.text import chinese_numeral, money, percent


def test_seed_indicator_paragraph_follows_the_seed_phrasing(seed: Result) -> None:
    ctx = build_context(seed.evaluation, seed.scorecard)
    fourth = ctx["indicators"][3]
    assert fourth["heading"] == "（四）指标四："
    assert fourth["paragraph"] == (
        "引进企业数量：该指标预期指标值大于等于70家，年中监控实际完成值为20家，本次评价完成值为72家，"
        "完成率为102.86%，根据2024年商务局招商引资项目汇总表等资料，本次评价实际完成值为72家，超出预期效益。"
        "偏差原因：年中时部分招商项目处于洽谈推进阶段,落地周期较长,下半年项目加速落地,企业引进数量增长。"
        "改进措施：建立招商项目全周期跟踪机制,年初提前梳理意向项目,加强过程沟通协调,推动项目尽早落地。"
        "通过提高引进招商引资企业数量的任务,提高了区域经济实力与产业竞争力,促进了就业扩容与技术创新,"
        "保障了区域发展动能与民生福祉。该指标权重分值为30分，自评得分30分。"
    )
    third = ctx["indicators"][2]["paragraph"]
    assert "完成率为0%" in third and "未达到预期效益" in third and "自评得分0分" in third
    assert "年中监控与本次评价完成值偏差原因：机构改革" in ctx["indicators"][1]["paragraph"]
    # The seed wrote "本次评价实际完成值为102.86%" for 亿元 funds; the report writes the value itself.
    assert "本次评价实际完成值为244.62亿元" in ctx["indicators"][4]["paragraph"]
    assert "完成率为101.5%" in ctx["indicators"][4]["paragraph"]


def test_seed_budget_paragraphs_use_computed_figures(seed: Result) -> None:
    ctx = build_context(seed.evaluation, seed.scorecard)
    b = ctx["budget"]
    assert b["scale"].startswith("在部门单位整体预算规模方面，我单位2024年部门单位整体年初预算数为3142.55万元，预算数（调整后）为3142.55万元")
    assert "财政资金预算部分年初预算数为467.04万元，全年预算数为795.89万元，决算数为788.53万元" in b["scale"]
    assert "上级资金安排年初预算数为158.91万元，本级资金安排年初预算数为2983.64万元" in b["initial_arrangement"]
    # The seed states 预算调整率 100%; nothing was adjusted, so the report says 0%.
    assert b["adjustment_text"] == "我单位年初批复预算数3142.55万元，年中调增数0.00万元，调整后全年预算数3142.55万元，预算调整率0%。"
    assert b["execution_text"] == "全年预算数为3142.55万元，全年实际支出资金3142.55万元，预算执行率为100%。"
    assert "基本支出为454.39万元" in b["use"] and "项目支出2688.16万元" in b["use"]
    assert ctx["basic"]["text"].startswith("2024年本单位基本支出全年预算总额454.39万元，其中：人员经费437.92万元，公用经费16.47万元。")
    assert ctx["projects"]["summary"] == "2024年本单位共有4个项目，项目总金额为2688.16万元，执行金额为2688.16万元。其中："
    assert ctx["projects"]["groups"][0]["text"].startswith("本年上级资金共计1个项目，预算金额为138.00万元，执行金额138.00万元。")
    assert ctx["performance"]["opening"] == "我单位2024年全年预算金额为3142.55万元，执行金额为3142.55万元，执行率为100%，得10分。"
    assert ctx["conclusion"]["result"] == "2024年度部门整体支出绩效自评综合得分85分，评价结果为“良”。"
    assert ctx["overview"]["staffing"] == "人员构成：单位机关共有编制26名，其中：单位机关行政编制数10名，事业编制数16名，实有在编人数为20人。"


def test_project_context(project: Result) -> None:
    ctx = build_context(project.evaluation, project.scorecard)
    assert ctx["is_project"] and ctx["title"] == "项目支出绩效自评报告"
    assert ctx["budget"]["scale"].startswith("本项目2024年年初预算数为800.00万元")
    assert ctx["budget"]["adjustment_rate"] == "7.5%"
    assert ctx["conclusion"]["result"] == "2024年度项目支出绩效自评综合得分95.49分，评价结果为“优”。"
    qualitative = ctx["indicators"][5]["paragraph"]
    assert "该指标为定性指标" in qualitative and "完成档次为部分达成年度指标并具有一定效果" in qualitative
    reverse = ctx["indicators"][3]["paragraph"]
    assert "预期指标值小于等于1.9万元/公里" in reverse and "未达到预期效益" in reverse


def test_missing_deviation_reason_is_visible_not_invented(national: RuleSet) -> None:
    ev = Evaluation.model_validate(data(**{"indicators.0.actual": Decimal(5)}))
    result = evaluate(ev, national)
    paragraph = build_context(ev, result.scorecard)["indicators"][0]["paragraph"]
    assert "完成率为50%" in paragraph and "未达到预期效益。偏差原因：未填写。改进措施：未填写。" in paragraph
    assert "自评得分25分" in paragraph


def test_reduced_budget_says_调减(national: RuleSet) -> None:
    ev = Evaluation.model_validate(data(**{"budget.adjusted": Decimal(80), "budget.executed": Decimal(80)}))
    ctx = build_context(ev, evaluate(ev, national).scorecard)
    assert "年中调减数20.00万元，调整后全年预算数80.00万元，预算调整率-20%" in ctx["budget"]["adjustment_text"]


def test_warnings_are_listed(seed: Result) -> None:
    ctx = build_context(seed.evaluation, seed.scorecard, warnings=seed.errors)
    assert ctx["warnings"] and ctx["warnings"][0].startswith("[错误 B006]")


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (99, "九十九")])
def test_chinese_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_always_has_two_decimals(value: Decimal) -> None:
    written = money(value)
    assert Decimal(written) == value and len(written.split(".")[1]) == 2


def test_percent_trims() -> None:
    assert percent(Decimal("100.00")) == "100%" and percent(Decimal("102.86")) == "102.86%" and percent(None) == "—"
