from __future__ import annotations

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "jixiao.web.evaluations"
    label = "evaluations"
    verbose_name = "绩效自评"
    default_auto_field = "django.db.models.BigAutoField"
