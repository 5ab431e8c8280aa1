from decimal import Decimal as D

import pytest

from builders import indicator, minimal, with_indicators
from jixiao.core.model import Grade
from jixiao.core.rules import RuleSet
from jixiao.core.scoring import score
from jixiao.io.rules_file import load_rules


def test_budget_execution_scores_proportionally(national: RuleSet) -> None:
    card = score(minimal(**{"budget.executed": D("76")}), national)
    assert card.budget.execution_rate == D("76.00")
    assert card.budget.score == D("7.60")  # Chongqing example: 76% → 7.6 of 10


def test_execution_above_budget_is_capped(national: RuleSet) -> None:
    card = score(minimal(**{"budget.executed": D("120")}), national)
    assert card.budget.execution_rate == D("120.00")
    assert card.budget.score == D("10.00")


def test_zero_budget_gives_no_rate_and_no_points(national: RuleSet) -> None:
    card = score(minimal(**{"budget.adjusted": D(0), "budget.executed": D(0)}), national)
    assert card.budget.execution_rate is None
    assert card.budget.score == 0


def test_adjustment_rate_is_adjustment_over_initial(national: RuleSet) -> None:
    card = score(minimal(**{"budget.adjusted": D("125"), "budget.executed": D("125")}), national)
    assert card.budget.adjustment == D(25)
    assert card.budget.adjustment_rate == D("25.00")


@pytest.mark.parametrize(
    ("target", "actual", "expected_score", "expected_rate"),
    [
        (D(100), D(100), D("90.00"), D("100.00")),
        (D(100), D(120), D("90.00"), D("120.00")),  # no bonus beyond the weight
        (D(100), D(50), D("45.00"), D("50.00")),
        (D(90), D(60), D("60.00"), D("66.67")),
        (D(7), D(0), D("0.00"), D("0.00")),
        (D(100), D(-5), D("0.00"), D("0.00")),  # negative actual counts as 0
    ],
)
def test_positive_indicator(national: RuleSet, target: D, actual: D, expected_score: D, expected_rate: D) -> None:
    ev = with_indicators(indicator(target=target, actual=actual))
    result = score(ev, national).indicators[0]
    assert result.score == expected_score
    assert result.completion_rate == expected_rate


def test_reverse_indicator_ratio_and_linear_conventions() -> None:
    ev = with_indicators(indicator(comparator="<=", target=D(100), actual=D(125)))
    assert score(ev, load_rules("national")).indicators[0].score == D("72.00")  # 100/125 × 90
    assert score(ev, load_rules("guangxi")).indicators[0].score == D("67.50")  # (1 − 25/100) × 90
    met = with_indicators(indicator(comparator="<=", target=D(100), actual=D(80)))
    assert score(met, load_rules("national")).indicators[0].score == D("90.00")
    far = with_indicators(indicator(comparator="<", target=D(100), actual=D(250)))
    assert score(far, load_rules("guangxi")).indicators[0].score == D("0.00")


def test_equal_zero_target(national: RuleSet) -> None:
    ok = with_indicators(indicator(comparator="=", target=D(0), actual=D(0)))
    bad = with_indicators(indicator(comparator="=", target=D(0), actual=D(2)))
    assert score(ok, national).indicators[0].score == D(90)
    assert score(bad, national).indicators[0].score == D(0)


def test_positive_zero_target_gets_full_marks_and_no_rate(national: RuleSet) -> None:
    ev = with_indicators(indicator(target=D(0), actual=D(3)))
    result = score(ev, national).indicators[0]
    assert result.score == D(90)
    assert result.completion_rate is None
    assert result.zero_target


def test_qualitative_uses_the_evaluator_score_or_the_band_floor(national: RuleSet) -> None:
    chosen = with_indicators(
        indicator(kind="qualitative", comparator=None, target=None, actual=None, band="部分达成年度指标并具有一定效果",
                  manual_score=D(60))
    )
    assert score(chosen, national).indicators[0].score == D(60)
    floor = with_indicators(
        indicator(kind="qualitative", comparator=None, target=None, actual=None, band="达成年度指标")
    )
    assert score(floor, national).indicators[0].score == D("72.00")  # 80% of 90: no silent full marks


def test_missing_actual_scores_zero(national: RuleSet) -> None:
    result = score(with_indicators(indicator(actual=None)), national).indicators[0]
    assert result.score == 0 and not result.scored


def test_manual_override_and_deduction(national: RuleSet) -> None:
    ev = with_indicators(indicator(manual_score=D(80), manual_reason="目标偏低", deduction=D(5), deduction_reason="材料不全"))
    result = score(ev, national).indicators[0]
    assert result.formula_score == D(90)
    assert result.score == D(75)


def test_platform_rules_deduct_for_overachievement_and_cap_totals() -> None:
    platform = load_rules("platform")
    ev = with_indicators(indicator(target=D(100), actual=D(140)), **{"budget.executed": D(65)})
    card = score(ev, platform)
    assert card.indicators[0].score == D(88)  # 90 − 2 for a target set too low
    assert card.uncapped_total == D("94.50")
    assert card.total_score == D(79)  # execution 60–70% → the total is at most 79
    assert card.grade is Grade.FAIR


@pytest.mark.parametrize(
    ("total", "grade"),
    [(D("90"), Grade.EXCELLENT), (D("89.99"), Grade.GOOD), (D("80"), Grade.GOOD), (D("79.5"), Grade.FAIR),
     (D("60"), Grade.FAIR), (D("59.99"), Grade.POOR), (D("0"), Grade.POOR)],
)
def test_grade_bands(national: RuleSet, total: D, grade: Grade) -> None:
    assert national.grade_for(total) is grade


def test_every_score_explains_itself(national: RuleSet) -> None:
    card = score(with_indicators(indicator(target=D(100), actual=D(50))), national)
    assert "50 ÷ 100" in card.indicators[0].explanation
    assert "执行数" in card.budget.explanation


def test_huge_and_tiny_budgets_score_without_crashing() -> None:
    from pathlib import Path

    from jixiao.io.errors import InputError
    from jixiao.io.evaluation_file import parse_evaluation

    seed = (Path(__file__).parents[2] / "examples" / "xinshi-commerce-2024.yaml").read_text("utf-8")
    # The largest and the smallest figures the bounds allow (jixiao.core.numbers) score; beyond them, refused.
    for figure in ("999999999999999.9999999999", "0.0000000001", "1e14", "1e-10"):
        ev = parse_evaluation(seed.replace("initial: 3142.55", f"initial: {figure}", 1), "seed.yaml")
        card = score(ev, load_rules())
        assert card.budget.adjustment_rate is not None
    for figure in ("1e30", "1e-30", "1e999999999"):
        with pytest.raises(InputError, match="数字过"):
            parse_evaluation(seed.replace("initial: 3142.55", f"initial: {figure}", 1), "seed.yaml")


def test_a_total_out_of_more_than_full_marks_is_not_graded(national: RuleSet) -> None:
    card = score(with_indicators(indicator(weight=D(95), actual=D(100))), national)
    assert card.total_score == D("105.00") and not card.gradable
    assert card.grade_text == "不能评定"
    assert card.ungradable is not None and "分值合计105分" in card.ungradable and "满分100分" in card.ungradable
    exact = score(with_indicators(indicator(weight=D(90))), national)
    assert exact.gradable and exact.grade_text == exact.grade.value
