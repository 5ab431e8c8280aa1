"""Write the relational rows of an evaluation's current version (called inside the save transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from jixiao.core.evaluate import Result
from jixiao.web.desk import anomaly_rows
from jixiao.web.desk.models import AnomalyRow, EvaluationFigures, FindingRow, IndicatorRow, NarrativeBand
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


def figures_of(evaluation: Evaluation, number: int, result: Result, model: Any = EvaluationFigures) -> Any:
    card = result.scorecard
    return model(
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


def indicator_rows_of(evaluation: Evaluation, result: Result, model: Any = IndicatorRow) -> Iterable[Any]:
    for indicator, scored in zip(result.evaluation.indicators, result.scorecard.indicators, strict=True):
        yield model(
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


def finding_rows_of(evaluation: Evaluation, result: Result, model: Any = FindingRow) -> Iterable[Any]:
    for finding in result.findings:
        yield model(
            evaluation_id=evaluation.pk,
            year=evaluation.year,
            department_id=evaluation.department_id,
            code=finding.code[:20],
            severity=finding.severity.value,
            field=(finding.field or "")[:200],
        )


def narrative_of(result: Result) -> Any:
    """The version's narrative as its JSON holds it (what the near-duplicate rules read)."""
    return result.evaluation.narrative.model_dump(mode="json")


def record(evaluation: Any, number: int, result: Result, apps: Any = None) -> None:
    """Replace the evaluation's rows by those of version `number` (run inside the save's transaction).

    `apps` is a migration's app registry (the backfill uses the historical models), else the live one.
    """
    if apps is None:
        figures_model, indicator_model, finding_model = EvaluationFigures, IndicatorRow, FindingRow
        later: tuple[Any, Any] | None = (AnomalyRow, NarrativeBand)
    else:  # an early migration's backfill: the models of that state (0007 backfills the anomaly rows itself)
        figures_model, indicator_model, finding_model = (
            apps.get_model("desk", name) for name in ("EvaluationFigures", "IndicatorRow", "FindingRow"))
        later = None
    indicator_model.objects.filter(evaluation_id=evaluation.pk).delete()
    finding_model.objects.filter(evaluation_id=evaluation.pk).delete()
    indicators = list(indicator_rows_of(evaluation, result, indicator_model))
    indicator_model.objects.bulk_create(indicators)
    finding_model.objects.bulk_create(finding_rows_of(evaluation, result, finding_model))
    if later is not None:
        anomaly_rows.record(evaluation, narrative_of(result), indicators, later)
    figures = figures_of(evaluation, number, result, figures_model)
    columns = {f.attname: getattr(figures, f.attname) for f in figures_model._meta.concrete_fields
               if f.attname != "evaluation_id"}
    if not figures_model.objects.filter(evaluation_id=evaluation.pk).update(**columns):
        figures.save(force_insert=True)


def rebuild(evaluations: Iterable[Any], apps: Any = None) -> int:
    """Re-derive the rows of the given evaluations from their current versions (backfill, restore)."""
    versions = EvaluationVersion if apps is None else apps.get_model("evaluations", "EvaluationVersion")
    count = 0
    for evaluation in evaluations:
        version = versions.objects.filter(evaluation_id=evaluation.pk, number=evaluation.current_version).first()
        if version is None:
            continue
        model = services.load_model(version.data, f"第 {version.number} 版")
        record(evaluation, version.number, services.score(model, evaluation.rules), apps)
        count += 1
    return count
