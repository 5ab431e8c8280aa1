"""Recompute the summary columns (total, grade, error and warning counts) of every stored version and
evaluation from its stored data, with the scoring engine of today.

Versions saved before a total whose weights do not add up to full marks was made ungradable still
say 优 (105.71 优) in the list, the history and the dashboards, while the evaluation's own page says
不能评定. The columns are derived from the version's data, never entered, so deriving them again
loses nothing. A row whose data or rule set no longer loads keeps what it has. Backwards: nothing to
undo (the old grades were wrong).

Versions are append-only on PostgreSQL (migration 0004): this migration passes the trigger the way
`jixiao restore` does, for its own transaction only, and changes nothing but the four derived columns.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import migrations

SUMMARY = ("total_hundredths", "grade", "error_count", "warning_count")
BATCH = 500

log = logging.getLogger(__name__)


def _summary(data: dict[str, Any], rules: str, key: str) -> dict[str, Any] | None:
    """The summary columns of one version's data under `rules`, or None when it no longer loads."""
    from jixiao.io.errors import InputError
    from jixiao.web.evaluations import services

    try:
        return services.summary_columns(services.score(services.load_model(data, key), rules))
    except InputError as error:  # a version this release cannot read, or a rule set removed since
        log.warning("%s：未能重新计分（%s），保留原汇总数据", key, error)
        return None


def _changed(row: Any, summary: dict[str, Any] | None) -> bool:
    if summary is None or all(getattr(row, column) == summary[column] for column in SUMMARY):
        return False
    for column in SUMMARY:
        setattr(row, column, summary[column])
    return True


def regrade(apps: Any, schema_editor: Any) -> None:
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Version = apps.get_model("evaluations", "EvaluationVersion")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SELECT set_config('jixiao.restoring', 'on', true)")
    evaluations = {e.pk: e for e in Evaluation.objects.only("pk", "rules", "current_version", *SUMMARY)}
    changed: list[Any] = []
    current: dict[int, dict[str, Any] | None] = {}  # each evaluation's current version, scored once for both rows
    versions = Version.objects.only("pk", "evaluation_id", "number", "data", *SUMMARY).order_by("pk")
    for version in versions.iterator(chunk_size=BATCH):
        evaluation = evaluations[version.evaluation_id]
        summary = _summary(version.data, evaluation.rules, f"第 {version.number} 版（版本 {version.pk}）")
        if version.number == evaluation.current_version:
            current[evaluation.pk] = summary
        if _changed(version, summary):
            changed.append(version)
        if len(changed) >= BATCH:
            Version.objects.bulk_update(changed, SUMMARY)
            changed = []
    Version.objects.bulk_update(changed, SUMMARY)
    stale = [e for e in evaluations.values() if _changed(e, current.get(e.pk))]
    Evaluation.objects.bulk_update(stale, SUMMARY, batch_size=BATCH)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SELECT set_config('jixiao.restoring', 'off', true)")


class Migration(migrations.Migration):

    dependencies = [("evaluations", "0004_append_only")]

    operations = [migrations.RunPython(regrade, migrations.RunPython.noop)]
