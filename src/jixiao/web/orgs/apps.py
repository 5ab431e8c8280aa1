from __future__ import annotations

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jixiao.web.orgs"
    label = "orgs"
    verbose_name = "组织与用户"
    default_auto_field = "django.db.models.BigAutoField"
