"""The checks: every rule the data must satisfy, as a registry of small pure functions."""

from __future__ import annotations

from collections.abc import Collection

from jixiao.core.checks import budget, expenditure, indicators, narrative, totals, unit  # noqa: F401  (registration)
from jixiao.core.checks.registry import REGISTRY, Check, Context
from jixiao.core.findings import Finding, sort_findings
from jixiao.core.model import Evaluation
from jixiao.core.rules import RuleSet
from jixiao.core.scoring import Scorecard, score

__all__ = ["REGISTRY", "Check", "run_checks"]


def run_checks(
    evaluation: Evaluation, rules: RuleSet, scorecard: Scorecard | None = None, skip: Collection[str] = ()
) -> list[Finding]:
    """Run every registered check but those whose codes are in `skip`; findings carry line and quote
    where the evaluation has locations."""
    ctx = Context(evaluation, rules, scorecard if scorecard is not None else score(evaluation, rules))
    findings = [finding for check in REGISTRY.values() if check.code not in skip for finding in check.run(ctx)]
    if evaluation.locations:
        findings = [f.located(evaluation.locations) for f in findings]
    return sort_findings(findings)
