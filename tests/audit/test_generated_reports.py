"""Reports written by `jixiao report` (branch `report`, commit bbb04f2, Markdown output, kept in data/)
audit without errors, read back their totals, and give the findings `jixiao check` gives on their data."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit import audit_document
from jixiao.core.evaluate import evaluate
from jixiao.core.findings import Finding
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


def test_check_and_audit_agree_on_the_seeds_narrative(rules: RuleSet, tmp_path: Path) -> None:
    """The prose checks run on the data (`jixiao check`, the web, the report writer) and on the report
    written from it (`jixiao audit`): the same findings, each once."""
    from jixiao.core.prose import PROSE_CHECKS
    from jixiao.report.write import blocking_errors, write_report

    result = evaluate(read_evaluation(EXAMPLES / "xinshi-commerce-2024.yaml"), rules)
    write_report(result, tmp_path / "seed.md", warnings=blocking_errors(result), charts=False)
    audit = audit_document(tmp_path / "seed.md", rules)

    def prose(findings: list[Finding]) -> list[tuple[str, str]]:
        return sorted((f.code, f.message) for f in findings if f.code in PROSE_CHECKS)

    found = prose(result.findings)
    assert [code for code, _ in found] == ["A004", "A004", "A007"]
    assert prose(audit.findings) == found
