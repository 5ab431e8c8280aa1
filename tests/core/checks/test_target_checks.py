"""Target checks (G…): each fires on its case and stays quiet on the clean template."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.checks.targets import run_target_checks
from jixiao.core.targets import Decision
from jixiao.io.rules_file import load_rules
from stage_builders import declaration, with_target

RULES = load_rules("national")


def codes(decl: object) -> list[str]:
    return [f.code for f in run_target_checks(decl, RULES)]  # type: ignore[arg-type]


def test_the_template_is_clean() -> None:
    assert codes(declaration()) == []


def test_quantitative_target_without_unit_is_not_measurable() -> None:
    findings = run_target_checks(with_target(declaration(), "XM-001", unit=None), RULES)
    assert [(f.code, f.field) for f in findings] == [("G001", "indicators[0].unit")]
    assert "计量单位" in findings[0].message and "XM-001" in findings[0].message


def test_qualitative_needs_a_standard_and_not_a_vague_one() -> None:
    assert "G002" in codes(with_target(declaration(), "XM-006", target_text=None))
    vague = run_target_checks(with_target(declaration(), "XM-006", target_text="管理水平进一步提升"), RULES)
    assert [f.code for f in vague] == ["G003"] and "进一步" in vague[0].message
    assert codes(with_target(declaration(), "XM-006", target_text="巡查次数进一步增加到12次")) == []


def test_framework_complete() -> None:
    decl = declaration()
    no_satisfaction = declaration(indicators=[i.model_dump() for i in decl.indicators if i.level1.value != "满意度"])
    found = run_target_checks(no_satisfaction, RULES)
    assert "G004" in [f.code for f in found] and any("满意度" in f.message for f in found)
    no_cost = declaration(indicators=[i.model_dump() for i in decl.indicators if i.level2 != "成本指标"])
    assert any(f.code == "G005" and "成本指标" in f.message for f in run_target_checks(no_cost, RULES))


def test_weights_all_or_none_and_adding_up() -> None:
    assert codes(with_target(declaration(), "XM-001", weight=None)) == ["G006", "G007"]
    assert codes(with_target(declaration(), "XM-001", weight=25)) == ["G007"]
    unweighted = declaration(indicators=[{**i.model_dump(), "weight": None} for i in declaration().indicators])
    assert codes(unweighted) == []


def test_cost_indicators_against_the_budget() -> None:
    assert codes(with_target(declaration(), "XM-004", target=120)) == ["G008"]
    assert codes(with_target(declaration(), "XM-004", target=1200000, unit="元")) == ["G008"]
    assert codes(with_target(declaration(), "XM-004", target=5, unit="万元/个")) == []
    two = declaration()
    data = two.model_dump()
    data["indicators"].append({**data["indicators"][3], "code": "XM-008", "name": "设备成本", "target": D(60), "weight": 0})
    assert "G009" in codes(declaration(indicators=data["indicators"]))


def test_target_below_last_year_needs_a_reason() -> None:
    lower = with_target(declaration(), "XM-001", target=90)  # last year 95
    found = run_target_checks(lower, RULES)
    assert [f.code for f in found] == ["G010"] and "低于上年实际完成值95" in found[0].message
    assert codes(with_target(declaration(), "XM-001", target=90, below_last_year_reason="任务量调减")) == []
    reverse = with_target(declaration(), "XM-004", last_year_actual=90)  # a ceiling of 100 is looser than 90
    assert any(f.code == "G010" and "宽于" in f.message for f in run_target_checks(reverse, RULES))


def test_adjustments_are_checked_and_applied() -> None:
    unknown = declaration(adjustments=[{"code": "XM-999", "target": 1, "reason": "理由", "decision": Decision.PENDING}])
    assert codes(unknown) == ["G011", "G012"]
    unmeasurable = declaration(adjustments=[{"code": "XM-001", "unit": " ", "reason": "理由", "decision": Decision.APPROVED}])
    assert codes(unmeasurable) == ["G001"]  # the targets in force are what is checked


def test_an_approved_adjustment_gives_the_reason_for_a_lower_target() -> None:
    lowered = declaration(adjustments=[{"code": "XM-001", "target": 60, "reason": "上级调减任务量", "decision": Decision.APPROVED}])
    assert codes(lowered) == []


# ---- properties: each rule holds for any value, not only for the examples above -----------------

_WEIGHT = st.decimals(min_value=0, max_value=60, places=2, allow_nan=False, allow_infinity=False)
_TARGET = st.decimals(min_value=0, max_value=10000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(weights=st.lists(_WEIGHT, min_size=7, max_size=7))
def test_weights_are_refused_exactly_when_they_do_not_add_up(weights: list[D]) -> None:
    data = declaration().model_dump()
    data["indicators"] = [{**ind, "weight": w} for ind, w in zip(data["indicators"], weights, strict=True)]
    found = codes(declaration(indicators=data["indicators"]))
    assert ("G007" in found) == (sum(weights) != RULES.indicator_weight_total)
    assert "G006" not in found  # every indicator weighted: none is "partly"


@settings(max_examples=60, deadline=None)
@given(target=_TARGET, reason=st.sampled_from(["", "  ", "任务量调减"]))
def test_a_target_below_last_year_warns_exactly_when_no_reason_is_given(target: D, reason: str) -> None:
    found = codes(with_target(declaration(), "XM-001", target=target, below_last_year_reason=reason or None))  # last year 95
    assert ("G010" in found) == (target < 95 and not reason.strip())


@settings(max_examples=60, deadline=None)
@given(cost=_TARGET)
def test_a_cost_target_is_an_error_exactly_when_it_exceeds_the_budget(cost: D) -> None:
    found = codes(with_target(declaration(), "XM-004", target=cost))  # 万元, budget 100.00
    assert ("G008" in found) == (cost > declaration().budget.total)
