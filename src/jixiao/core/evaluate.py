"""The one call every door uses: score an evaluation and run every check."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from jixiao.core.checks import run_checks
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Evaluation
from jixiao.core.rules import RuleSet
from jixiao.core.scoring import Scorecard, score


@dataclass(frozen=True, slots=True)
class Result:
    evaluation: Evaluation
    scorecard: Scorecard
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def evaluate(evaluation: Evaluation, rules: RuleSet, skip: Collection[str] = ()) -> Result:
    """`skip`: codes of checks not to run (the auditor runs the prose checks on the document's whole text
    itself, not on the evaluation's fields)."""
    card = score(evaluation, rules)
    return Result(evaluation, card, run_checks(evaluation, rules, card, skip))
