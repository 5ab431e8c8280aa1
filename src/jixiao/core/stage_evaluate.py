"""The one call for the other stages' files, as `evaluate` is for a self-evaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jixiao.core.checks.chain import run_chain_checks
from jixiao.core.checks.monitoring import run_monitoring_checks
from jixiao.core.checks.rectification import run_rectification_checks
from jixiao.core.checks.targets import run_target_checks
from jixiao.core.findings import Finding, Severity, sort_findings
from jixiao.core.model import Evaluation, Location
from jixiao.core.monitoring import MonitoringReport, MonitoringResult, assess
from jixiao.core.rectification import RectificationList
from jixiao.core.rules import RuleSet
from jixiao.core.targets import TargetDeclaration


@dataclass(frozen=True, slots=True)
class StageResult:
    model: TargetDeclaration | MonitoringReport | RectificationList
    findings: list[Finding]
    lights: MonitoringResult | None = None  # for a monitoring report
    as_of: dt.date | None = None  # for a rectification list: the day its open items were judged at

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def evaluate_stage(
    model: TargetDeclaration | MonitoringReport | RectificationList,
    rules: RuleSet,
    targets: TargetDeclaration | None = None,
    locations: dict[str, Location] | None = None,
    as_of: dt.date | None = None,
) -> StageResult:
    """Every check of the stage; with `targets`, also the checks that it keeps to the approved targets.

    A rectification list's open items are judged overdue at `as_of` when given (the command's --as-of),
    else at the list's own `as_of`, else today."""
    lights, judged_at = None, None
    if isinstance(model, TargetDeclaration):
        findings = run_target_checks(model, rules)
    elif isinstance(model, RectificationList):
        judged_at = as_of or model.as_of or dt.date.today()
        findings = run_rectification_checks(model, judged_at)
    else:
        lights = assess(model, rules.monitoring)
        findings = run_monitoring_checks(model, rules, lights)
        if targets is not None:
            findings += run_chain_checks(targets, monitoring=model)
    if locations:
        findings = [f.located(locations) for f in findings]
    return StageResult(model, sort_findings(findings), lights, judged_at)


def chain_findings(evaluation: Evaluation, targets: TargetDeclaration) -> list[Finding]:
    """A self-evaluation's keeping to the approved targets, located in the evaluation's file."""
    findings = run_chain_checks(targets, evaluation=evaluation)
    if evaluation.locations:
        findings = [f.located(evaluation.locations) for f in findings]
    return findings
