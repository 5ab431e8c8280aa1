"""Every check fires on the data it is about and stays quiet on clean data."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from builders import data, indicator
from jixiao.core.checks import REGISTRY, run_checks
from jixiao.core.findings import Severity
from jixiao.core.model import Evaluation, Location
from jixiao.core.rules import RuleSet

QUAL = {"kind": "qualitative", "comparator": None, "target": None, "actual": None}

# code → changes to the clean base data that must make exactly this check fire
CASES: dict[str, dict[str, Any]] = {
    # the prose checks on the evaluation's own text (the auditor runs them on a whole report)
    "A004": {"indicators.0.name": "培训人员数量", "narrative.key_work": "培训人员年度任务12个。"},
    "A005": {"narrative.key_work": "重点项目计划投资20.8亿元，完成投资18.37亿元，完成率78%。"},
    "A006": {"narrative.key_work": "2021年完成培训80人。"},
    "A007": {"expenditure.project_use": "主要用于疫情期间发放生活物资。"},
    "A011": {"narrative.key_work": "项目资金共计100万元，其中培训经费60万元、设备购置50万元。"},
    "A012": {"narrative.key_work": "任务数为100户，实际完成120户，超任务30%。"},
    "A013": {"narrative.key_work": "两项资金共计100万元，其中甲60万元、乙40万元。",
             "narrative.problems": ["两项资金合计110万元，其中甲60万元、乙50万元。"]},
    # the other claim kinds (core.claim_checks), on the evaluation's own text
    "A020": {"narrative.key_work": "专项资金预算100万元，实际支出85万元，执行率80%。"},
    "A021": {"narrative.key_work": "设内设股室6个：办公室、法制股、财务股、人事股、督查考核股、市政股、指挥中心。"},
    "A022": {"narrative.key_work": "2024年培训支出500万元，较上年增加100万元，增长20%。"},
    "A023": {"narrative.key_work": "资助标准为4000元/人，共资助3000名学生，发放资金1300万元。"},
    "A024": {"narrative.key_work": "特殊人群医疗保险基金项目资金500万元已下达。",
             "narrative.problems": ["特殊人群医疗保险基金项目资金520万元未及时拨付。"]},
    "A026": {"narrative.key_work": "年度结余1200万元减去200万元为900万元。"},
    "A029": {"narrative.key_work": "截至6月30日，项目预算执行率为35%，低于时间进度25个百分点。"},
    "B001": {"budget.adjustment": D(5)},
    "B002": {"budget.sources": {"higher_level": {"initial": D(30)}, "own_level": {"initial": D(60)}}},
    "B003": {"budget.fiscal": {"initial": D(120)}},
    "B004": {"budget.fiscal": {"initial": D(40), "adjusted": D(60)}},
    "B005": {"budget.executed": D(101)},
    "B006": {"budget.stated": {"adjustment_rate": D(100)}},
    "B007": {"budget.stated": {"execution_rate": D(99)}},
    "B008": {"budget.executed": D(80)},
    "B009": {"budget.adjusted": D(140), "budget.executed": D(140)},
    "B010": {"budget.adjusted": D(0), "budget.executed": D(0), "budget.initial": D(0)},
    "B011": {"budget.fiscal": {"adjusted": D(50), "executed": D(45)}},
    "B012": {"narrative.adjustment_effect": "通过调整提高了预算资金的使用效率"},
    "E001": {"expenditure": {"basic": {"budget": D(60)}, "project_total": {"budget": D(30)}}},
    "E002": {"expenditure": {"basic": {"budget": D(60), "personnel": D(50), "public": D(5)},
                             "project_total": {"budget": D(40)}}},
    "E003": {"expenditure": {"projects": [{"name": "甲", "budget": D(10)}, {"name": "乙", "budget": D(20)}],
                             "project_total": {"count": 3, "budget": D(30)}}},
    "E004": {"expenditure": {"basic": {"budget": D(60), "executed": D(54), "stated": {"execution_rate": D(100)}},
                             "project_total": {"budget": D(40)}}},
    "E005": {"expenditure": {"projects": [{"name": "甲", "budget": D(10), "executed": D(12)}]}},
    "E006": {"expenditure": {"basic": {"budget": D(60), "executed": D(60)},
                             "project_total": {"budget": D(40), "executed": D(30)}}},
    "E007": {"expenditure": {"total": D(90)}},
    "I001": {"indicators.0.weight": D(40)},
    "I002": {"indicators.0.unit": None},
    "I003": {"indicators.0.actual": None},
    "I004": {"indicators.0.actual": D(5), "indicators.0.improvement": "加强"},
    "I005": {"indicators.0.actual": D(5), "indicators.0.deviation_reason": "原因"},
    "I006": {"indicators.0.actual": D(13)},
    "I007": {"indicators.0.mid_year": D(2)},
    "I008": {"indicators.0.mid_year": D(12)},
    "I009": {"indicators.2.level1": "效益", "indicators.2.level2": "社会效益指标", "indicators.2.name": "影响"},
    "I010": {"indicators.0.stated": {"completion_rate": D(90)}},
    "I011": {"indicators.0.stated": {"score": D(40)}},
    "I012": {"indicators.0.stated": {"score": D(60)}},
    "I013": {"indicators.0": indicator(level1="产出", level2="数量指标", weight=D(50), band="达成年度指标",
                                        manual_score=D(20), **QUAL)},
    "I014": {"indicators.0.manual_score": D(45)},
    "I015": {"indicators.0.direction": "reverse"},
    "I016": {"indicators.1.name": "数量", "indicators.1.unit": "个", "indicators.1.level2": "数量指标",
             "indicators.1.level1": "产出"},
    "I017": {"indicators.0.target": D(0)},
    "I018": {"indicators.0.level2": "产值指标"},
    "I019": {"indicators.0.level1": None},
    "I020": {"indicators.0.weight": D(40), "indicators.1.weight": D(40)},
    "I021": {"indicators.1.unit": "个"},
    "I022": {"indicators.0.comparator": "=", "indicators.0.actual": D(12)},
    "T001": {"stated": {"execution_score": D(9)}},
    "T002": {"stated": {"total_score": D(90)}},
    "T003": {"stated": {"execution_score": D(10), "total_score": D(100)},
             "indicators.0.stated": {"score": D(50)}, "indicators.1.stated": {"score": D(30)},
             "indicators.2.stated": {"score": D(9)}},
    "T004": {"stated": {"grade": "良"}},
    "U001": {"unit.staffing": {"authorized_total": 26, "authorized_administrative": 10, "authorized_institutional": 15}},
    "U002": {"unit.staffing": {"authorized_total": 20, "actual": 21}},
    "U003": {"filled_date": "2024-06-30"},
    "U004": {"narrative": {}},
}


def findings_for(rules: RuleSet, **changes: Any) -> list[str]:
    ev = Evaluation.model_validate(data(**changes))
    return [f.code for f in run_checks(ev, rules)]


def test_clean_data_gives_no_findings(national: RuleSet) -> None:
    assert findings_for(national) == []


def test_every_registered_check_has_a_case() -> None:
    assert sorted(CASES) == sorted(REGISTRY)


@pytest.mark.parametrize("code", sorted(CASES))
def test_check_fires(national: RuleSet, code: str) -> None:
    codes = findings_for(national, **CASES[code])
    assert code in codes, codes


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_check_metadata_is_complete(code: str) -> None:
    check = REGISTRY[code]
    assert check.title and check.severity in Severity
    assert code[0] in "ABEITU" and len(code) == 4


def test_messages_are_chinese_and_name_the_field(national: RuleSet) -> None:
    ev = Evaluation.model_validate(data(**CASES["I010"]))
    finding = next(f for f in run_checks(ev, national) if f.code == "I010")
    assert "“数量”" in finding.message and "完成率" in finding.message
    assert finding.field == "indicators[0].stated.completion_rate"
    assert finding.expected == D("100.00") and finding.actual == D(90)


def test_findings_take_line_and_quote_from_locations(national: RuleSet) -> None:
    ev = Evaluation.model_validate(data(**CASES["I010"]))
    ev.locations["indicators[0].stated.completion_rate"] = Location(line=12, quote="完成率为90%")
    ev.locations["indicators[0].actual"] = Location(line=11, quote="本次评价完成值为10个")
    finding = next(f for f in run_checks(ev, national) if f.code == "I010")
    assert (finding.line, finding.quote) == (12, "完成率为90%")
    assert [loc.line for loc in finding.related_locations] == [11]


def test_errors_come_first(national: RuleSet) -> None:
    ev = Evaluation.model_validate(data(**CASES["I007"], **CASES["T002"]))
    severities = [f.severity for f in run_checks(ev, national)]
    assert severities == sorted(severities, key=[Severity.ERROR, Severity.WARNING, Severity.INFO].index)


@pytest.mark.parametrize("text", ["本年度预算未作调整。", "全年没有进行预算调整", "预算无调整"])
def test_b012_accepts_statements_that_nothing_was_adjusted(national: RuleSet, text: str) -> None:
    assert "B012" not in findings_for(national, **{"narrative.adjustment_effect": text})


def test_prose_findings_sit_at_the_field_they_concern(national: RuleSet) -> None:
    ev = Evaluation.model_validate(data(**{**CASES["A013"], **CASES["A004"]}))
    found = {f.code: f for f in run_checks(ev, national)}
    assert found["A004"].field == "indicators[0].target" and found["A004"].related == ("narrative.key_work",)
    assert (found["A004"].expected, found["A004"].actual) == (D(10), D(12))
    ev = Evaluation.model_validate(data(**CASES["A013"]))
    found = {f.code: f for f in run_checks(ev, national)}
    assert found["A013"].field == "narrative.problems[0]" and "“年度重点工作”中合计为100万元" in found["A013"].message


def test_prose_checks_read_full_width_text(national: RuleSet) -> None:
    """Typed text has full-width forms (，；％) and thousands separators; the readers see the report's forms."""
    codes = findings_for(national, **{"narrative.key_work": "重点项目计划投资2,080万元，完成投资1,837万元，完成率７８％。"})
    assert "A005" in codes


def test_skipped_checks_do_not_run_and_the_others_are_unchanged(national: RuleSet) -> None:
    ev = Evaluation.model_validate(data(**CASES["A004"], **CASES["B001"]))
    every = run_checks(ev, national)
    skipped = run_checks(ev, national, skip={"A004"})
    assert "A004" in [f.code for f in every]
    assert skipped == [f for f in every if f.code != "A004"]
