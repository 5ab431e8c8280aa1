"""Reports written by `jixiao report` (branch `report`, commit bbb04f2, Markdown output, kept in data/)
audit without errors, read back their totals, and give the findings `jixiao check` gives on their data."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit import audit_document
from jixiao.core.evaluate import evaluate
from jixiao.core.rules import RuleSet
from jixiao.io.evaluation_file import read_evaluation

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.mark.parametrize(
    ("name", "total", "grade"),
    [("excellent-unit-2024", "99.1", "优"), ("reverse-qualitative-2024", "89.5", "良"), ("rural-roads-project-2024", "95.49", "优")],
)
def test_generated_report_round_trip(name: str, total: str, grade: str, rules: RuleSet) -> None:
    audit = audit_document(DATA / f"generated-{name}.md", rules)
    assert audit.facts is not None and str(audit.facts["total_score"]) == total and audit.facts["grade"] == grade
    assert audit.computed is not None and audit.computed["grade"] == grade
    assert audit.errors == 0, [(f.code, f.line, f.message) for f in audit.findings]
    from_data = evaluate(read_evaluation(EXAMPLES / f"{name}.yaml"), rules)
    assert sorted(f.code for f in audit.findings) == sorted(f.code for f in from_data.findings)
