"""Derive the rows of every evaluation already saved before the desk existed."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    # The scoring engine builds the rows, so this uses the app's own writer (the tables are exactly
    # as 0001 made them at this point). A fresh database has nothing to backfill.
    from jixiao.web.desk.rows import rebuild
    from jixiao.web.evaluations.models import Evaluation

    rebuild(Evaluation.objects.filter(current_version__gt=0).iterator(chunk_size=500))


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
