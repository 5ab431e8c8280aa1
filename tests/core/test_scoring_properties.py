"""Properties of the scoring engine that must hold for any input (hypothesis)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from builders import indicator, with_indicators
from jixiao.core.money import quantize
from jixiao.core.scoring import score
from jixiao.io.rules_file import load_rules

RULES = [load_rules(name) for name in ("national", "guangxi", "legacy-2017", "platform")]

amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
values = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
targets = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
comparators = st.sampled_from([">=", ">", "=", "<=", "<"])
rules_sets = st.sampled_from(RULES)


@st.composite
def weights(draw: st.DrawFn, n: int) -> list[Decimal]:
    """n weights with two decimals that add up to 90, like a real indicator table."""
    cents = sorted(draw(st.lists(st.integers(0, 9000), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cents, 9000]
    return [Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(n)]


@st.composite
def evaluations(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    n = draw(st.integers(1, 8))
    ws = draw(weights(n))
    inds = [
        indicator(name=f"指标{i}", comparator=draw(comparators), target=draw(targets), actual=draw(values), weight=w)
        for i, w in enumerate(ws)
    ]
    adjusted = draw(amounts)
    executed = draw(amounts)
    return with_indicators(*inds, **{"budget.adjusted": adjusted, "budget.executed": executed})


@settings(max_examples=150, deadline=None)
@given(evaluations(), rules_sets)
def test_scores_stay_within_their_weights_and_totals_within_100(ev, rules) -> None:  # type: ignore[no-untyped-def]
    card = score(ev, rules)
    for ind, result in zip(ev.indicators, card.indicators, strict=True):
        assert 0 <= result.score <= ind.weight
    assert 0 <= card.budget.score <= rules.execution.weight
    assert 0 <= card.total_score <= 100


@settings(max_examples=150, deadline=None)
@given(evaluations(), rules_sets)
def test_total_is_exactly_the_sum_of_the_rounded_parts(ev, rules) -> None:  # type: ignore[no-untyped-def]
    card = score(ev, rules)
    parts = card.budget.score + sum(r.score for r in card.indicators)
    for value in (card.budget.score, *(r.score for r in card.indicators)):
        assert value == quantize(value, rules.places)
    if card.cap is None:
        assert card.total_score == parts  # no rounding drift between the total and its parts
    else:
        assert card.total_score <= parts


@settings(max_examples=200, deadline=None)
@given(targets, values, st.decimals(min_value=0, max_value=1000, places=2), comparators, rules_sets)
def test_score_never_drops_when_the_actual_improves(target, actual, step, comparator, rules) -> None:  # type: ignore[no-untyped-def]
    reverse = comparator in ("<=", "<")
    better = actual - step if reverse else actual + step
    if comparator == "=" and target == 0:
        return  # '= 0' has no better side: any value above zero is simply wrong
    if rules.indicators.overachieve_deduction and not reverse:
        return  # the platform profile deliberately deducts for exceeding a target set too low

    def points(value: Decimal) -> Decimal:
        ev = with_indicators(indicator(comparator=comparator, target=target, actual=value))
        return score(ev, rules).indicators[0].score

    assert points(better) >= points(actual)


@settings(max_examples=100, deadline=None)
@given(amounts, amounts, amounts, rules_sets)
def test_execution_score_never_drops_when_more_is_executed(adjusted, executed, step, rules) -> None:  # type: ignore[no-untyped-def]
    def points(value: Decimal) -> Decimal:
        ev = with_indicators(indicator(), **{"budget.adjusted": adjusted, "budget.executed": value})
        return score(ev, rules).budget.score

    assert points(executed + step) >= points(executed)
