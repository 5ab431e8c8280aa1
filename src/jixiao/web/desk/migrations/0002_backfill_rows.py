"""Derive the rows of every evaluation already saved before the desk existed."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    # The scoring engine builds the rows through the app's writer, given the historical models.
    from jixiao.web.desk.rows import rebuild

    evaluations = apps.get_model("evaluations", "Evaluation").objects.filter(current_version__gt=0)
    rebuild(evaluations.only("pk", "year", "department_id", "current_version", "rules").iterator(chunk_size=500), apps)


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
