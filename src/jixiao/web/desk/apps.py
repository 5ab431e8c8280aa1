from __future__ import annotations

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "jixiao.web.desk"
    label = "desk"
    verbose_name = "财政工作台"
    default_auto_field = "django.db.models.BigAutoField"
