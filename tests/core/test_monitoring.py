"""Monitoring: time progress, expected completion and the lights, by rule-set thresholds."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.model import Comparator, IndicatorKind
from jixiao.core.monitoring import (
    LIGHT_ORDER,
    Light,
    MonitoringIndicator,
    assess,
    expected_completion,
    light_for_completion,
    light_for_gap,
    time_progress,
)
from jixiao.core.rules import MonitoringRules
from jixiao.io.rules_file import load_rules
from stage_builders import monitoring

RULES = load_rules("national").monitoring


def ind(**fields: object) -> MonitoringIndicator:
    return MonitoringIndicator.model_validate({"code": "X-1", "name": "完成数量", "comparator": ">=", "unit": "个", **fields})


def test_time_progress_counts_whole_months_at_a_month_end() -> None:
    assert time_progress(date(2024, 6, 30), 2024) == D(50)
    assert time_progress(date(2024, 9, 30), 2024) == D(75)
    assert time_progress(date(2024, 12, 31), 2024) == D(100)


def test_time_progress_counts_days_otherwise_and_clamps_outside_the_year() -> None:
    assert time_progress(date(2025, 7, 15), 2025) == D("54.03")  # (6 + 15/31) / 12
    assert time_progress(date(2024, 12, 1), 2025) == 0
    assert time_progress(date(2026, 1, 10), 2025) == 100


def test_budget_light_thresholds() -> None:
    assert light_for_gap(D(10), RULES) is Light.GREEN
    assert light_for_gap(D("10.01"), RULES) is Light.YELLOW
    assert light_for_gap(D(20), RULES) is Light.YELLOW
    assert light_for_gap(D("20.01"), RULES) is Light.RED
    assert light_for_gap(D(-30), RULES) is Light.GREEN  # ahead of time


def test_running_totals_are_projected_levels_are_not() -> None:
    assert expected_completion(ind(target=100, value_to_date=45), D(50)) == D(90)
    assert expected_completion(ind(target=95, unit="%", name="验收合格率", value_to_date=76), D(50)) == D(80)
    assert expected_completion(ind(target=100, value_to_date=10, expected=100), D(50)) == D(100)  # the unit's estimate


def test_reverse_indicators_invert() -> None:
    cost = ind(comparator="<=", unit="万元/公里", name="每公里成本", target=D("1.9"))
    assert expected_completion(cost.model_copy(update={"value_to_date": D("1.8")}), D(50)) == D(100)
    assert expected_completion(cost.model_copy(update={"value_to_date": D("3.8")}), D(50)) == D(50)


def test_qualitative_follows_on_track_and_unknowns_have_no_light() -> None:
    qual = ind(kind=IndicatorKind.QUALITATIVE, comparator=None, target_text="出台办法")
    assert expected_completion(qual, D(50)) is None
    assert expected_completion(qual.model_copy(update={"on_track": False}), D(50)) == 0
    assert expected_completion(ind(target=100), D(50)) is None


def test_the_template_has_a_red_indicator_and_a_yellow_budget() -> None:
    result = assess(monitoring(), RULES)
    assert (result.time_progress, result.execution_progress, result.budget_light) == (D(50), D(30), Light.YELLOW)
    assert [i.light for i in result.indicators if i.code == "XM-005"] == [Light.RED]
    assert result.worst is Light.RED and result.count(Light.RED) == 1


def test_thresholds_are_rule_set_data() -> None:
    strict = MonitoringRules(execution_yellow_gap=D(0), execution_red_gap=D(5), indicator_green_at=D(150), indicator_yellow_at=D(120))
    result = assess(monitoring(), strict)
    assert result.budget_light is Light.RED
    assert sum(1 for i in result.indicators if i.light is Light.RED) > 1


gaps = st.decimals(min_value=-100, max_value=100, places=2)
completions = st.decimals(min_value=0, max_value=300, places=2)


@given(gaps, gaps)
def test_a_bigger_lag_never_has_a_better_light(a: D, b: D) -> None:
    low, high = sorted((a, b))
    assert LIGHT_ORDER[light_for_gap(low, RULES)] <= LIGHT_ORDER[light_for_gap(high, RULES)]


@given(completions, completions)
def test_more_expected_completion_never_has_a_worse_light(a: D, b: D) -> None:
    low, high = sorted((a, b))
    assert LIGHT_ORDER[light_for_completion(low, RULES)] >= LIGHT_ORDER[light_for_completion(high, RULES)]


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 30)))
def test_time_progress_grows_through_the_year(day: date) -> None:
    assert 0 < time_progress(day, 2025) <= time_progress(day + timedelta(days=1), 2025) <= 100


@given(
    st.decimals(min_value=1, max_value=10000, places=2),
    st.decimals(min_value=0, max_value=10000, places=2),
    st.decimals(min_value=1, max_value=100, places=2),
    st.sampled_from([Comparator.GE, Comparator.LE]),
)
def test_expected_completion_is_never_negative_and_reverse_caps_at_100(target: D, value: D, progress: D, op: Comparator) -> None:
    completion = expected_completion(ind(target=target, value_to_date=value, comparator=op), progress)
    assert completion is not None and completion >= 0
    if op is Comparator.LE:
        assert completion <= 100
