from decimal import Decimal

import pytest
from pydantic import ValidationError

from builders import data, minimal
from jixiao.core.model import Comparator, Direction, Evaluation, Indicator


def test_minimal_evaluation_is_valid() -> None:
    ev = minimal()
    assert ev.budget.adjusted == Decimal(100)
    assert ev.indicators[0].comparator is Comparator.GE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget.initial": Decimal(-1)}, ("budget", "initial")),
        ({"indicators.0.comparator": "≥≥"}, ("indicators", 0, "comparator")),
        ({"indicators.0.level1": "产量"}, ("indicators", 0, "level1")),
        ({"indicators.0.weight": "十分"}, ("indicators", 0, "weight")),
        ({"budget.colour": "red"}, ("budget", "colour")),
    ],
)
def test_bad_fields_are_rejected_with_their_path(change: dict[str, object], field: tuple[object, ...]) -> None:
    with pytest.raises(ValidationError) as info:
        Evaluation.model_validate(data(**change))  # type: ignore[arg-type]
    assert any(tuple(e["loc"]) == field for e in info.value.errors())


def test_project_kind_requires_project_info() -> None:
    with pytest.raises(ValidationError, match="project"):
        minimal(kind="project")
    ev = minimal(kind="project", project={"name": "某项目"})
    assert ev.title_name == "某项目"


def test_direction_defaults_from_comparator() -> None:
    reverse = Indicator(name="成本", comparator=Comparator.LE, target=Decimal(1), weight=Decimal(10))
    positive = Indicator(name="数量", comparator=Comparator.GE, target=Decimal(1), weight=Decimal(10))
    assert reverse.effective_direction is Direction.REVERSE
    assert positive.effective_direction is Direction.POSITIVE


def test_at_least_one_indicator() -> None:
    with pytest.raises(ValidationError):
        minimal(indicators=[])
