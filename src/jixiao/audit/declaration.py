"""A published 绩效目标申报表 checked as a declaration: the targets checks (G…) on what its table states.

The declaration is built from the same facts as a self-evaluation (its indicators have targets and no
actuals). What the rules require of a target — a comparator and a unit, the full indicator framework,
weights adding up to the rule set's total — is a rule-set warning here: a province's own declaration
form is not wrong for differing. A cost target above the year's whole budget contradicts the document
itself and stays an error.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from pydantic import ValidationError

from jixiao.audit.grid import header_unit
from jixiao.core.checks.targets import run_target_checks
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Evaluation
from jixiao.core.rules import RuleSet
from jixiao.core.targets import DeclarationBudget, TargetDeclaration, TargetIndicator

# Rules about how a target is written or weighted, not contradictions inside the document.
RULE_CODES = frozenset({"G001", "G002", "G004", "G005", "G006", "G007"})
BUDGET_CODES = ("G008", "G009")
WHOLE_TABLE = ("G004", "G005", "G006", "G007", "G009")
# G010 needs last year's actuals, G011/G012 adjustment requests: a published form states neither.
NOT_STATED = ("G010", "G011", "G012")


_TOTAL = re.compile(
    r"(?:年度资金总额|资金总额|年度预算安排|年度预算资金)[^\d\n]{0,6}?[|:：\s]*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)"
)


# The unit in the label's brackets, the amount in the next cell: "年度资金总额(万元) | 100.00".
_TOTAL_LABELLED = re.compile(
    r"(?:年度资金总额|资金总额|年度预算安排|年度预算资金)\s*[(（](?P<unit>万元|元|亿元)[)）]\s*[|:：]\s*(?P<num>\d+(?:\.\d+)?)(?![\d.%])"
)


# The national form: the unit in the caption before it, "项目资金(万元) | 年度资金总额 | 100".
_TOTAL_CELL = re.compile(r"(?:年度资金总额|资金总额)[:：]?\s*\|\s*(?P<num>\d+(?:\.\d+)?)\s*(?:\||$)", re.MULTILINE)


def declared_total(norm: str) -> Decimal | None:
    """The year's total a declaration asks for (年度资金总额), in 万元; None unless written with its unit."""
    m = _TOTAL.search(norm) or _TOTAL_LABELLED.search(norm)
    if m is not None:
        unit = m.group("unit")
    elif (m := _TOTAL_CELL.search(norm)) is not None:
        unit = header_unit(norm[max(norm.rfind("\n", 0, m.start()) + 1, m.start() - 40) : m.start()])
        if unit is None:
            return None
    else:
        return None
    value = Decimal(m.group("num"))
    return {"元": value / 10000, "亿元": value * 10000}.get(unit, value)


def declaration_findings(evaluation: Evaluation, rules: RuleSet, budget_stated: bool, weights_stated: bool,
                         complete: bool, total: Decimal | None = None) -> list[Finding]:
    """The targets checks on a declaration read from a document, located at its statements; the checks on the
    whole table (framework, weights) only when the table is not cut off."""
    indicators = []
    for i, ind in enumerate(evaluation.indicators):
        if ind.level1 is None:
            continue
        indicators.append(TargetIndicator(
            code=ind.code or f"T{i + 1}", level1=ind.level1, level2=ind.level2 or "（未注明）", name=ind.name,
            kind=ind.kind, comparator=ind.comparator, target=ind.target, target_text=ind.target_text, unit=ind.unit,
            weight=ind.weight if weights_stated else None,
        ))
    if not indicators:
        return []
    if total is None and budget_stated:
        total = evaluation.budget.adjusted or evaluation.budget.initial
    budget_stated = total is not None and total > 0
    try:
        declaration = TargetDeclaration(
            kind=evaluation.kind, year=evaluation.year, unit=evaluation.unit, project=evaluation.project,
            budget=DeclarationBudget(total=total if total is not None and budget_stated else Decimal(0)), overall_goal="（未识别）",
            indicators=indicators,
        )
    except ValidationError:
        return []  # what was read does not make a declaration (a duplicate code, say): nothing to check
    skipped = NOT_STATED + (() if budget_stated else BUDGET_CODES) + (() if complete else WHOLE_TABLE)
    if any(ind.level2 == "（未注明）" for ind in indicators):
        skipped += ("G005",)  # the framework cannot be judged without the second-level categories
    out = []
    for finding in run_target_checks(declaration, rules):
        if finding.code.startswith(skipped):
            continue
        finding = finding.located(evaluation.locations) if evaluation.locations else finding
        if finding.code in RULE_CODES and finding.severity is Severity.ERROR:
            finding = replace(finding, severity=Severity.WARNING, message=finding.message
                              + f"（按规则集“{rules.title}”；各地申报表要求不同，按本地要求填报时不一定有误）")
        out.append(finding)
    return out
