"""The seed department (乌鲁木齐新市区商务局 2024) scored under the default rules reproduces its report."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.core.evaluate import evaluate
from jixiao.core.findings import Severity
from jixiao.core.model import Grade
from jixiao.core.rules import RuleSet
from jixiao.io.evaluation_file import read_evaluation


@pytest.fixture(scope="module")
def seed(examples_dir: Path, national: RuleSet):  # type: ignore[no-untyped-def]
    return evaluate(read_evaluation(examples_dir / "xinshi-commerce-2024.yaml"), national)


def test_seed_scores_match_the_report(seed) -> None:  # type: ignore[no-untyped-def]
    card = seed.scorecard
    assert card.execution_score == D(10)
    assert [r.score for r in card.indicators] == [D(10), D(20), D(0), D(30), D(15)]
    assert [r.completion_rate for r in card.indicators] == [D(100), D(100), D(0), D("102.86"), D("101.50")]
    assert card.total_score == D(85)
    assert card.grade is Grade.GOOD


def test_seed_contradictions_are_found(seed) -> None:  # type: ignore[no-untyped-def]
    by_code = {f.code: f for f in seed.findings}
    # 年中调增数 0 万元 … 预算调整率 100%
    assert by_code["B006"].severity is Severity.ERROR
    assert by_code["B006"].expected == D(0) and by_code["B006"].actual == D(100)
    # 财政资金 467.04 → 795.89 while the whole budget is said to be unadjusted
    assert by_code["B004"].field == "budget.fiscal.adjusted"
    # 财政资金 executed 788.53 of 795.89 while the whole is at 100%
    assert "99.08%" in by_code["B011"].message
    # a paragraph on the "effects of the adjustment" of a budget that was not adjusted
    assert by_code["B012"].field == "narrative.adjustment_effect"
    # no 满意度 indicator
    assert "满意度" in by_code["I009"].message
    lagging = {f.field for f in seed.findings if f.code == "I007"}
    assert {"indicators[3].mid_year", "indicators[4].mid_year"} <= lagging


def test_seed_stated_figures_that_are_right_raise_nothing(seed) -> None:  # type: ignore[no-untyped-def]
    codes = {f.code for f in seed.findings}
    # completion rates, scores, total, grade, sums of sources/basic/projects all agree in the report
    assert not codes & {"I010", "I011", "T001", "T002", "T003", "T004", "B002", "E001", "E002", "E003", "U001"}
    # B006 (the stated 100% adjustment rate) and the narrative's two contradictions of the indicators (A004)
    assert [f.code for f in seed.findings if f.severity is Severity.ERROR] == ["B006", "A004", "A004"]
