"""Evaluations stored before the year's chain existed get their targets (see `planning.backfill`):
their indicators become an approved declaration marked 自评时补录, each target and actual value
recorded under its code for next year. Backwards: nothing is removed (the declarations may have
been used since — monitoring, adjustments, next year's targets)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from jixiao.web.planning.backfill import Tables, backfill

    backfill(Tables(apps.get_model("evaluations", "Evaluation"), apps.get_model("planning", "StageRecord"),
                    apps.get_model("planning", "StageVersion"), apps.get_model("planning", "IndicatorUse")))


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("evaluations", "0005_regrade_summaries"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
