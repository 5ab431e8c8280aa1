from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "jixiao.web.planning"
    label = "planning"
    verbose_name = "全年绩效管理（目标、监控、整改）"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jixiao.web.evaluations import services
        from jixiao.web.planning.chain import (
            chain_on_detail,
            keep_approved_targets,
            lock_targets_in_editor,
            record_actuals,
        )

        services.SAVE_HOOKS.append(keep_approved_targets)
        services.EDIT_HOOKS.append(lock_targets_in_editor)
        services.APPROVED_HOOKS.append(record_actuals)
        services.DETAIL_HOOKS.append(chain_on_detail)
