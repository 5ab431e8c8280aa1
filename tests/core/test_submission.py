"""The submission gate is decided by the rule set's severities."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.evaluate import evaluate
from jixiao.core.findings import Severity
from jixiao.core.rules import RuleSet, SubmissionRules
from jixiao.core.submission import describe, gate
from jixiao.io.evaluation_file import read_evaluation


def test_errors_block_and_warnings_are_to_confirm(national: RuleSet, examples_dir: Path) -> None:
    findings = evaluate(read_evaluation(examples_dir / "xinshi-commerce-2024.yaml"), national).findings
    checked = gate(findings, national)
    assert not checked.may_submit and [f.code for f in checked.blocking] == ["B006", "A004", "A004"]
    assert checked.to_confirm and all(f.severity is Severity.WARNING for f in checked.to_confirm)
    assert len(checked.open) == len(checked.blocking) + len(checked.to_confirm)
    assert describe(checked.to_confirm, limit=2).endswith(f"等共 {len(checked.to_confirm)} 项")


def test_a_rule_set_may_block_warnings_too(national: RuleSet, examples_dir: Path) -> None:
    strict = national.model_copy(update={"submission": SubmissionRules(block=[Severity.ERROR, Severity.WARNING], confirm=[])})
    findings = evaluate(read_evaluation(examples_dir / "rural-roads-project-2024.yaml"), strict).findings
    assert gate(findings, national).may_submit and not gate(findings, strict).may_submit
