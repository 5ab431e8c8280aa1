"""The one bounded number parser (jixiao.core.numbers) and the bound every model number keeps: any text
gives a number within bounds or a NumberError in Chinese; any evaluation within the bounds scores,
checks and formats without an arithmetic error (no Overflow, no InvalidOperation, no 4,300-digit int)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from builders import data
from hostile import hostile_numbers
from jixiao.core.evaluate import evaluate
from jixiao.core.model import Evaluation
from jixiao.core.money import fmt
from jixiao.core.numbers import (
    MAX_PLACES,
    MAX_WHOLE_DIGITS,
    NumberError,
    check_decimal,
    cn_to_int,
    int_or_none,
    parse_decimal,
    parse_int,
)
from jixiao.core.rules import RuleSet

HOSTILE = ["²", "٣", "1e999999999", "9" * 5000, "1e30", "NaN", "-Infinity", "1_000", "0x10", "１２", "", " ", "1e-30"]

numberish = hostile_numbers  # tests/hostile.py: the numbers every door of the suite is tried with


def within_bounds(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return value.is_finite() and (not value or value.adjusted() < MAX_WHOLE_DIGITS) and (
        isinstance(exponent, int) and exponent >= -MAX_PLACES)


@given(numberish)
def test_parse_decimal_gives_a_bounded_number_or_a_chinese_refusal(text: str) -> None:
    try:
        value = parse_decimal(text)
    except NumberError as error:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))
    else:
        assert within_bounds(value)


@given(numberish)
def test_parse_int_reads_ascii_digits_only_within_bounds(text: str) -> None:
    try:
        value = parse_int(text, 0, 10**9)
    except NumberError:
        return
    assert text.strip().lstrip("+-").isascii() and 0 <= value <= 10**9


@pytest.mark.parametrize("text", ["²", "٣", "１２", "9" * 5000, "-1", "1e3", " 2024x"])
def test_odd_digits_are_not_ids(text: str) -> None:
    assert int_or_none(text, 1) is None


def test_noise_beyond_the_decimals_is_rounded_and_tiny_numbers_refused() -> None:
    assert check_decimal(Decimal("0.30000000000000004")) == Decimal("0.3")
    with pytest.raises(NumberError):
        check_decimal(Decimal("1e-30"))


bounded = st.one_of(
    st.decimals(min_value=0, max_value=Decimal(10) ** MAX_WHOLE_DIGITS - 1, places=4, allow_nan=False),
    st.sampled_from([Decimal(0), Decimal("1e-10"), Decimal("999999999999999.9999999999"), Decimal("0.0000000001")]),
)
points = st.one_of(st.decimals(min_value=0, max_value=1000, places=2), st.sampled_from([Decimal(0), Decimal(1000)]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=bounded, adjusted=bounded, executed=bounded, target=bounded, actual=bounded, weight=points,
       reverse=st.booleans())
def test_any_evaluation_within_the_bounds_scores_and_formats(national: RuleSet, initial: Decimal, adjusted: Decimal,
                                                             executed: Decimal, target: Decimal, actual: Decimal,
                                                             weight: Decimal, reverse: bool) -> None:
    raw = data(**{"budget.initial": initial, "budget.adjusted": adjusted, "budget.executed": executed,
                  "indicators.0.target": target, "indicators.0.actual": actual, "indicators.0.weight": weight,
                  "indicators.0.comparator": "<=" if reverse else ">="})
    try:
        model = Evaluation.model_validate(raw)
    except ValidationError:
        return  # refused at its field (e.g. a budget the model's own rules refuse), never a crash
    result = evaluate(model, national)
    card = result.scorecard
    for value in (card.total_score, card.execution_score, card.budget.execution_rate, card.budget.adjustment_rate,
                  *(s.completion_rate for s in card.indicators), *(s.score for s in card.indicators)):
        if value is not None:
            fmt(value)
    assert all(f.message for f in result.findings)


@pytest.mark.parametrize("text", HOSTILE)
def test_the_model_refuses_hostile_numbers_at_their_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Evaluation.model_validate(data(**{"indicators.0.weight": text}))
    assert caught.value.errors()[0]["loc"][:3] == ("indicators", 0, "weight")


@pytest.mark.parametrize(("cn", "value"), [("十", 10), ("十五", 15), ("二十三", 23), ("一百零五", 105), ("两千", 2000), ("四", 4)])
def test_chinese_numerals(cn: str, value: int) -> None:
    assert cn_to_int(cn) == value
