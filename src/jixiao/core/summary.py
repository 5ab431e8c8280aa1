"""Plain-data views of a scored evaluation: the shape `jixiao score --format json` prints.

The auditor prints what a report *states* in the same shape, so stated and
computed figures can be compared side by side by other tools.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core.findings import Finding
from jixiao.core.model import Evaluation
from jixiao.core.scoring import Scorecard


def summarize(evaluation: Evaluation, card: Scorecard) -> dict[str, Any]:
    """Every computed figure, keyed by the glossary's names (Decimals kept exact)."""
    b = card.budget
    return {
        "unit_name": evaluation.unit.name,
        "project_name": evaluation.project.name if evaluation.project else None,
        "kind": evaluation.kind.value,
        "year": evaluation.year,
        "rules": card.rules_name,
        "budget": {
            "initial": b.initial,
            "adjustment": b.adjustment,
            "adjusted": b.adjusted,
            "executed": b.executed,
            "adjustment_rate": b.adjustment_rate,
            "execution_rate": b.execution_rate,
        },
        "execution_score": card.execution_score,
        "indicators": [
            {
                "name": ind.name,
                "level1": ind.level1.value if ind.level1 else None,
                "level2": ind.level2,
                "kind": ind.kind.value,
                "comparator": ind.comparator.value if ind.comparator else None,
                "target": ind.target if ind.target is not None else ind.target_text,
                "unit": ind.unit,
                "mid_year": ind.mid_year,
                "actual": ind.actual if ind.actual is not None else ind.actual_text,
                "completion_rate": result.completion_rate,
                "weight": ind.weight,
                "score": result.score,
                "explanation": result.explanation,
            }
            for ind, result in zip(evaluation.indicators, card.indicators, strict=True)
        ],
        "indicator_total": card.indicator_total,
        "total_score": card.total_score,
        "grade": card.grade.value,
        "gradable": card.gradable,
        "ungradable": card.ungradable,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "field": finding.field,
    }
    if finding.line is not None:
        out["line"] = finding.line
        out["quote"] = finding.quote
    if finding.expected is not None or finding.actual is not None:
        out["expected"] = finding.expected
        out["actual"] = finding.actual
    if finding.related_locations:
        out["related"] = [{"line": loc.line, "quote": loc.quote} for loc in finding.related_locations]
    elif finding.related:
        out["related_fields"] = list(finding.related)
    return out


# Values that are their own JSON form (exactly these types; a subclass, an enum, goes the long way).
_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Decimals as int/float for JSON: two-decimal figures survive float's shortest repr exactly."""
    if type(value) in _AS_IS:  # most of a document's values: not tried against each type below
        return value
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return int(value)
        return float(value)
    if isinstance(value, dict):
        return {k: v if type(v) in _AS_IS else plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _AS_IS else plain(v) for v in value]
    return value
