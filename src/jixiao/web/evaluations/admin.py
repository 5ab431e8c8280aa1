from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion, YearSetting


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "year", "unit", "state", "stage", "current_version", "deleted_at"]
    list_filter = ["state", "stage", "year"]
    search_fields = ["title", "unit__name"]
    readonly_fields = ["current_version", "total_hundredths", "grade", "error_count", "warning_count", "deleted_by"]
    actions = ["restore_selected"]

    @admin.action(description="恢复所选的已删除自评")
    def restore_selected(self, request: HttpRequest, queryset: QuerySet[Evaluation]) -> None:
        from jixiao.web.evaluations import services

        for evaluation in queryset.filter(deleted_at__isnull=False):
            services.restore(request.user, evaluation)


@admin.register(EvaluationVersion)
class EvaluationVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: versions are append-only."""

    list_display = ["evaluation", "number", "state", "created_by", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


admin.site.register(Comment)
admin.site.register(AuditEntry)
admin.site.register(YearSetting)
