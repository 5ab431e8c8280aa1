"""The admin for evaluations: everything read-only but the year settings.

An evaluation changes only through the workflow (`services`), which writes its version and its audit
entry; versions, comments and the audit log are append-only. So the admin can look at all of them,
restore a soft-deleted evaluation (a logged service call), and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion, YearSetting


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """State, stage and figures change only through the workflow; the admin may restore the deleted."""

    list_display = ["title", "year", "unit", "state", "stage", "current_version", "deleted_at"]
    list_filter = ["state", "stage", "year"]
    list_select_related = ["unit"]
    search_fields = ["title", "unit__name"]
    actions = ["restore_selected"]

    @admin.action(description="恢复所选的已删除自评")
    def restore_selected(self, request: HttpRequest, queryset: QuerySet[Evaluation]) -> None:
        from jixiao.web.evaluations import services

        for evaluation in queryset.filter(deleted_at__isnull=False):
            services.restore(request.user, evaluation)


@admin.register(EvaluationVersion)
class EvaluationVersionAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "number", "state", "created_by", "created_at"]
    list_select_related = ["evaluation", "created_by"]
    exclude = ["data"]  # the JSON is long; the history page shows it as a diff


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "version_number", "author", "text", "created_at"]
    list_select_related = ["evaluation", "author"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "actor", "action_text", "at"]
    list_select_related = ["evaluation", "actor"]
    list_filter = ["action"]

    @admin.display(description="操作")
    def action_text(self, entry: AuditEntry) -> str:
        return entry.what


admin.site.register(YearSetting)
