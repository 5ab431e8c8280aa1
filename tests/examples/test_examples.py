"""Every shipped example loads, scores as documented and has no error finding (except the seed's own)."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.core.evaluate import evaluate
from jixiao.core.model import Grade
from jixiao.core.rules import RuleSet
from jixiao.io.evaluation_file import read_evaluation

EXPECTED = {
    "excellent-unit-2024.yaml": (D("99.10"), Grade.EXCELLENT),
    "reverse-qualitative-2024.yaml": (D("89.50"), Grade.GOOD),  # 89.5 is 良: bands are half-open
    "rural-roads-project-2024.yaml": (D("95.49"), Grade.EXCELLENT),
    "xinshi-commerce-2024.yaml": (D("85.00"), Grade.GOOD),
}


def test_every_example_is_listed(examples_dir: Path) -> None:
    assert sorted(p.name for p in examples_dir.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_scores(examples_dir: Path, national: RuleSet, name: str) -> None:
    result = evaluate(read_evaluation(examples_dir / name), national)
    assert (result.scorecard.total_score, result.scorecard.grade) == EXPECTED[name]
    if name != "xinshi-commerce-2024.yaml":
        assert result.errors == []


def test_reverse_and_qualitative_scores(examples_dir: Path, national: RuleSet) -> None:
    result = evaluate(read_evaluation(examples_dir / "reverse-qualitative-2024.yaml"), national)
    scores = [r.score for r in result.scorecard.indicators]
    assert scores == [D(20), D(12), D(10), D(14), D(15), D(10)]  # 不合格率 2 ÷ 2.5 × 15 = 12
    assert result.scorecard.execution_score == D("8.5")


def test_project_example_is_a_project(examples_dir: Path, national: RuleSet) -> None:
    ev = read_evaluation(examples_dir / "rural-roads-project-2024.yaml")
    assert ev.kind.value == "project" and ev.project is not None
    card = evaluate(ev, national).scorecard
    assert card.indicators[3].score == D("9.74")  # reverse cost: 1.9 ÷ 1.95 × 10


def test_init_templates_are_valid_and_clean(national: RuleSet, tmp_path: Path) -> None:
    from jixiao.cli.setup_cmds import TemplateKind, init_template

    for kind in (TemplateKind.DEPARTMENT, TemplateKind.PROJECT):  # targets/monitoring: tests/io/test_stage_file.py
        path = tmp_path / f"{kind.value}.yaml"
        path.write_text(init_template(kind), encoding="utf-8")
        result = evaluate(read_evaluation(path), national)
        assert result.errors == [], [f.message for f in result.errors]
