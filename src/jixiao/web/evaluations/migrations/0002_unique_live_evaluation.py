"""One live evaluation per unit, year, kind and project (soft-deleted ones do not count)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def fill_project(apps: Any, schema_editor: Any) -> None:
    evaluation = apps.get_model("evaluations", "Evaluation")
    for row in evaluation.objects.filter(kind="project").only("pk", "title"):
        evaluation.objects.filter(pk=row.pk).update(project=row.title[:300])


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="evaluation", name="project",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="项目"),
        ),
        migrations.RunPython(fill_project, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("deleted_at__isnull", True)), fields=("unit", "year", "kind", "project"),
                name="unique_live_evaluation",
            ),
        ),
    ]
