"""Evaluations made before the chain existed get their target declaration, marked as entered at
self-evaluation: approved (the targets were final when the evaluation was written), one version
saying where it came from, and each indicator's target and actual value recorded under its code, so
next year's declaration shows them beside the new targets.

One function for both callers: the data migration 0002 (historical models, on upgrade) and
`manage.py targets_from_evaluations` (today's models, e.g. after a restore of old data). Running it
again changes nothing: an evaluation whose unit, year and title already have a declaration is skipped.
An evaluation whose stored data this release cannot read is skipped too, with a warning.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from django.db import transaction

log = logging.getLogger(__name__)


class Tables(NamedTuple):
    """The model classes to write with (today's, or a migration's historical ones)."""

    evaluation: Any
    stage_record: Any
    stage_version: Any
    indicator_use: Any


def backfill(tables: Tables) -> int:
    """Create the missing declarations; returns how many were created."""
    from jixiao.core.chain import targets_from_evaluation
    from jixiao.core.stage_evaluate import evaluate_stage
    from jixiao.io.errors import InputError
    from jixiao.web.evaluations import services as evaluation_services
    from jixiao.web.planning.services import shown, stage_columns

    have = set(tables.stage_record.objects.filter(kind="targets").values_list("unit_id", "year", "title"))
    created = 0
    evaluations = tables.evaluation.objects.filter(deleted_at__isnull=True).order_by("id")
    with transaction.atomic():
        for evaluation in evaluations.iterator(chunk_size=200):
            version = evaluation.versions.filter(number=evaluation.current_version).first()
            if version is None:
                continue
            try:
                model = evaluation_services.load_model(version.data, f"自评 {evaluation.pk} 第 {version.number} 版")
            except InputError as error:
                log.warning("自评 %s 的数据无法读取，未补录绩效目标：%s", evaluation.pk, error)
                continue
            if (evaluation.unit_id, evaluation.year, model.title_name) in have:
                continue
            declaration = targets_from_evaluation(model)
            rules = evaluation_services.rules_for(evaluation_services.rules_name_for(evaluation.year))
            columns = stage_columns(evaluate_stage(declaration, rules, None), declaration)
            record = tables.stage_record.objects.create(
                kind="targets", unit_id=evaluation.unit_id, department_id=evaluation.department_id, year=evaluation.year,
                state="approved", stage="", current_version=1, **columns,
            )
            tables.stage_version.objects.create(record=record, number=1, data=record.data, state="approved",
                                                note=f"由自评（第 {version.number} 版）补录")
            uses = []
            for target, ind in zip(declaration.indicators, model.indicators, strict=True):
                common = {"code": target.code, "unit_id": evaluation.unit_id, "year": evaluation.year, "name": ind.name, "record": record}
                uses.append(tables.indicator_use(use="target", library_code=target.library_code or "",
                                                 shown=shown(target.comparator, target.target, target.target_text, target.unit), **common))
                uses.append(tables.indicator_use(use="actual", shown=shown(
                    None, ind.actual, ind.actual_text or (ind.band.value if ind.band else None), ind.unit), **common))
            tables.indicator_use.objects.bulk_create(uses)
            have.add((evaluation.unit_id, evaluation.year, model.title_name))
            created += 1
    return created
