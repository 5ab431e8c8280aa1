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
from typing import Any, TypeVar, cast

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


# ---- forms without an indicator-code column ----------------------------------------------------
# Many official 申报表/监控表 have no 指标编码 column: their rows are known by their 一级/二级/三级指标
# names. Such a row gets a code made from those names (the same names give the same code, so two
# code-less forms of the same year still match), and, when the other side has real codes, adopts
# the code of the indicator with the same names.

NAME_CODE_PREFIX = "N-"
M = TypeVar("M", bound=TargetDeclaration | MonitoringReport)


def code_from_names(level1: str | None, level2: str | None, name: str) -> str:
    """A stable code for an indicator known only by its names (what a form without codes gives)."""
    import hashlib

    key = "|".join(part.strip() for part in (level1 or "", level2 or "", name))
    return NAME_CODE_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def _names(ind: TargetIndicator | MonitoringIndicator) -> tuple[str, str, str]:
    level1 = ind.level1.value if ind.level1 is not None else ""
    return level1, (ind.level2 or "").strip(), ind.name.strip()


def adopt_codes(model: M, known: TargetDeclaration | MonitoringReport) -> M:
    """`model` (read from a form without codes) with each indicator's code replaced by the code of the
    indicator of `known` with the same 一级/二级/三级 names, else the same 三级 name when that is unique.
    Rows that match nothing keep their name code (the chain checks then say they are not in the targets);
    adjustments follow their indicator."""
    by_names = {_names(ind): ind.code for ind in known.indicators}
    by_name: dict[str, list[str]] = {}
    for ind in known.indicators:
        by_name.setdefault(ind.name.strip(), []).append(ind.code)
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    indicators = []
    for ind in model.indicators:
        names = _names(ind)
        code = by_names.get(names) or (by_name[names[2]][0] if len(by_name.get(names[2], [])) == 1 else None)
        if code is not None and code not in taken and code != ind.code:
            taken.add(code)
            renamed[ind.code] = code
            ind = ind.model_copy(update={"code": code})
        indicators.append(ind)
    update: dict[str, Any] = {"indicators": indicators}
    adjustments = model.adjustments if isinstance(model, TargetDeclaration) else None
    if adjustments is not None:
        update["adjustments"] = [a.model_copy(update={"code": renamed.get(a.code, a.code)}) for a in adjustments]
    return cast(M, model.model_copy(update=update))  # the same model type, some codes changed
