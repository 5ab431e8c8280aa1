"""The year as one chain: targets → monitoring → self-evaluation, joined by indicator codes.

- `monitoring_from_targets`: a monitoring round's blank report, the targets in force filled in;
- `evaluation_indicators`: the self-evaluation's indicators from the approved targets and the
  monitoring values (nothing retyped; the target is the approved one);
- `targets_from_evaluation`: the migration of an evaluation that had no declaration: its
  indicators become targets marked as entered at self-evaluation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jixiao.core.model import Evaluation, Indicator, Level1
from jixiao.core.monitoring import MonitoringBudget, MonitoringIndicator, MonitoringReport
from jixiao.core.targets import (
    DeclarationBudget,
    EntryStage,
    TargetDeclaration,
    TargetIndicator,
    apply_adjustments,
)

TARGET_FIELDS = ("code", "level1", "level2", "name", "kind", "comparator", "target", "target_text", "unit", "direction")


def monitoring_from_targets(
    declaration: TargetDeclaration, cut_off: dt.date, executed_to_date: Decimal, round_name: str | None = None
) -> MonitoringReport:
    in_force = apply_adjustments(declaration)
    return MonitoringReport(
        kind=in_force.kind,
        year=in_force.year,
        unit=in_force.unit,
        project=in_force.project,
        round_name=round_name,
        cut_off=cut_off,
        budget=MonitoringBudget(annual=in_force.budget.total, executed_to_date=executed_to_date),
        indicators=[
            MonitoringIndicator(**{name: getattr(ind, name) for name in TARGET_FIELDS}) for ind in in_force.indicators
        ],
    )


def evaluation_indicators(
    declaration: TargetDeclaration,
    monitoring: MonitoringReport | None = None,
    previous: list[Indicator] | None = None,
) -> list[Indicator]:
    """The self-evaluation's indicators: approved targets, monitoring values, and what `previous`
    (an earlier draft of the same evaluation) already holds as final values — matched by code."""
    mid = {ind.code: ind for ind in monitoring.indicators} if monitoring is not None else {}
    kept = {ind.code: ind for ind in previous or [] if ind.code}
    indicators = []
    for target in apply_adjustments(declaration).indicators:
        values = kept[target.code].model_dump(exclude=set(TARGET_FIELDS) | {"weight", "mid_year", "mid_year_note"}) if target.code in kept else {}
        seen = mid.get(target.code)
        indicators.append(
            Indicator(
                **{name: getattr(target, name) for name in TARGET_FIELDS},
                weight=target.weight if target.weight is not None else Decimal(0),
                mid_year=seen.value_to_date if seen is not None else None,
                mid_year_note=seen.deviation_reason if seen is not None else None,
                **values,
            )
        )
    return indicators


def target_code(year: int, index: int) -> str:
    return f"{year}-{index + 1:03d}"


def targets_from_evaluation(evaluation: Evaluation) -> TargetDeclaration:
    """An evaluation's indicators as a declaration entered at self-evaluation (no declaration existed)."""
    indicators = [
        TargetIndicator(
            code=ind.code or target_code(evaluation.year, i),
            level1=ind.level1 or Level1.OUTPUT,
            level2=ind.level2 or "未分类",
            name=ind.name,
            kind=ind.kind,
            comparator=ind.comparator,
            target=ind.target,
            target_text=ind.target_text,
            unit=ind.unit,
            direction=ind.direction,
            weight=ind.weight,
        )
        for i, ind in enumerate(evaluation.indicators)
    ]
    return TargetDeclaration(
        kind=evaluation.kind,
        year=evaluation.year,
        unit=evaluation.unit,
        project=evaluation.project,
        budget=DeclarationBudget(total=evaluation.budget.initial),
        overall_goal=evaluation.narrative.overall_goal or "（自评时补录，未申报总体目标）",
        indicators=indicators,
        entered_at=EntryStage.SELF_EVALUATION,
    )
