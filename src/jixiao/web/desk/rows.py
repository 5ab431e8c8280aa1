"""Write the relational rows of an evaluation's current version (called inside the save transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from jixiao.core.evaluate import Result
from jixiao.web.desk.models import EvaluationFigures, FindingRow, IndicatorRow
from jixiao.web.evaluations import services  # module reference: services calls `record` at save time
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion

# Rows hold figures up to this size exactly (the columns' precision); a larger one is kept only in the JSON.
LIMIT = Decimal(10) ** 23


def _figure(value: Decimal | None) -> Decimal | None:
    if value is None or not value.is_finite() or abs(value) >= LIMIT:
        return None
    return value.quantize(Decimal("0.000001"))


def _hundredths(value: Decimal | None) -> int | None:
    if value is None or not value.is_finite() or abs(value) >= LIMIT:
        return None
    return services.hundredths(value)


def figures_of(evaluation: Evaluation, number: int, result: Result) -> EvaluationFigures:
    card = result.scorecard
    return EvaluationFigures(
        evaluation_id=evaluation.pk,
        year=evaluation.year,
        department_id=evaluation.department_id,
        version_number=number,
        budget_initial=_figure(card.budget.initial),
        budget_adjusted=_figure(card.budget.adjusted),
        budget_executed=_figure(card.budget.executed),
        execution_rate_hundredths=_hundredths(card.budget.execution_rate),
        execution_score_hundredths=services.hundredths(card.execution_score),
        indicator_count=len(card.indicators),
        capped=card.cap is not None and card.total_score < card.uncapped_total,
    )


def indicator_rows_of(evaluation: Evaluation, result: Result) -> Iterable[IndicatorRow]:
    for indicator, scored in zip(result.evaluation.indicators, result.scorecard.indicators, strict=True):
        yield IndicatorRow(
            evaluation_id=evaluation.pk,
            year=evaluation.year,
            department_id=evaluation.department_id,
            position=scored.index,
            level1=indicator.level1.value if indicator.level1 else "",
            level2=(indicator.level2 or "")[:100],
            name=indicator.name[:300],
            kind=indicator.kind.value,
            direction=indicator.effective_direction.value,
            comparator=indicator.comparator.value if indicator.comparator else "",
            unit=(indicator.unit or "")[:50],
            target=_figure(indicator.target),
            mid_year=_figure(indicator.mid_year),
            actual=_figure(indicator.actual),
            weight_hundredths=services.hundredths(scored.weight),
            score_hundredths=services.hundredths(scored.score),
            completion_rate_hundredths=_hundredths(scored.completion_rate),
            met=scored.met,
            overachieved=scored.overachieved,
        )


def finding_rows_of(evaluation: Evaluation, result: Result) -> Iterable[FindingRow]:
    for finding in result.findings:
        yield FindingRow(
            evaluation_id=evaluation.pk,
            year=evaluation.year,
            department_id=evaluation.department_id,
            code=finding.code[:20],
            severity=finding.severity.value,
            field=(finding.field or "")[:200],
        )


def record(evaluation: Evaluation, number: int, result: Result) -> None:
    """Replace the evaluation's rows by those of version `number` (run inside the save's transaction)."""
    IndicatorRow.objects.filter(evaluation_id=evaluation.pk).delete()
    FindingRow.objects.filter(evaluation_id=evaluation.pk).delete()
    IndicatorRow.objects.bulk_create(indicator_rows_of(evaluation, result))
    FindingRow.objects.bulk_create(finding_rows_of(evaluation, result))
    figures = figures_of(evaluation, number, result)
    EvaluationFigures.objects.update_or_create(
        evaluation_id=evaluation.pk,
        defaults={f.attname: getattr(figures, f.attname) for f in EvaluationFigures._meta.concrete_fields
                  if f.attname != "evaluation_id"},
    )


def rebuild(evaluations: Iterable[Any]) -> int:
    """Re-derive the rows of the given evaluations from their current versions (backfill, restore)."""
    count = 0
    for evaluation in evaluations:
        version = EvaluationVersion.objects.filter(evaluation=evaluation, number=evaluation.current_version).first()
        if version is None:
            continue
        result = services.score(services.version_model(version), evaluation.rules)
        record(evaluation, version.number, result)
        count += 1
    return count
