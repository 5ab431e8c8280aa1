"""An evaluation (one unit, one year, one subject) and its versions.

Each version stores the validated core model as JSON plus the summary columns lists and dashboards
query. Scores are stored as integer hundredths (SQLite has no exact decimal type). Versions,
comments and the audit log are append-only: saving one that already exists is refused here, the
admin shows them read-only, and on PostgreSQL a trigger refuses any UPDATE or DELETE of their rows
(migration 0004; `jixiao restore` alone passes, by setting `jixiao.restoring` in its transaction).
Whoever wrote them cannot be deleted (PROTECT): a user who leaves is deactivated, and the trail
keeps their name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from jixiao.core.workflow import STAGE_LABELS, STATE_LABELS, Stage, State
from jixiao.web.orgs.models import Organisation

STATE_CHOICES = [(s.value, label) for s, label in STATE_LABELS.items()]
STAGE_CHOICES = [(s.value, label) for s, label in STAGE_LABELS.items()]


class Summary(models.Model):
    """Columns shared by an evaluation (its current version) and each version."""

    total_hundredths = models.IntegerField("总分（百分之一分）", default=0)
    grade = models.CharField("等级", max_length=2, default="")
    error_count = models.IntegerField("错误数", default=0)
    warning_count = models.IntegerField("警告数", default=0)

    class Meta:
        abstract = True

    @property
    def total_display(self) -> str:
        whole, cents = divmod(self.total_hundredths, 100)
        return f"{whole}" if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")

    @property
    def grade_text(self) -> str:
        """The grade, or 不能评定 (stored as "") when the weights do not add up to full marks."""
        return self.grade or "不能评定"


class Evaluation(Summary):
    unit = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="evaluations")
    # Denormalised from the unit so a department's list is one indexed filter.
    department = models.ForeignKey(
        Organisation, verbose_name="主管部门", null=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.IntegerField("年度")
    title = models.CharField("名称", max_length=300)
    kind = models.CharField("类别", max_length=20, default="department")
    # The project's name for a project evaluation, "" for a department's: one live evaluation per
    # (unit, year, kind, project), enforced by the database.
    project = models.CharField("项目", max_length=300, blank=True, default="")
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=State.DRAFT.value)
    stage = models.CharField("审核环节", max_length=20, choices=STAGE_CHOICES, blank=True, default="")
    current_version = models.IntegerField("当前版本", default=0)
    rules = models.CharField("规则集", max_length=100, default="national")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="删除人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "绩效自评"
        verbose_name_plural = "绩效自评"
        indexes = [
            models.Index(fields=["department", "state", "stage"]),
            models.Index(fields=["unit", "year"]),
            models.Index(fields=["state", "stage"]),
            models.Index(fields=["-updated_at", "-id"], name="evaluation_recent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind", "project"], condition=models.Q(deleted_at__isnull=True),
                name="unique_live_evaluation",
            ),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """The title with its year once: "2024年度部门整体支出…" stays, "商务局" becomes "2024 年 商务局"."""
        return self.title if str(self.year) in self.title else f"{self.year} 年 {self.title}"

    @property
    def rules_title(self) -> str:
        """The rule set's Chinese name ("全国通用规则（财预〔2020〕10号）"), not its file name."""
        from jixiao.web.evaluations.services import rules_for

        try:
            return rules_for(self.rules).title
        except Exception:  # a rule set removed from the server still shows by name
            return self.rules

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[Stage(self.stage)] if self.stage else ""


class AppendOnly(models.Model):
    """A record that is only ever added: saving it a second time is refused (and the database refuses
    UPDATE and DELETE on PostgreSQL)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name}一经保存不可修改，只能追加")
        super().save(*args, **kwargs)


class EvaluationVersion(AppendOnly, Summary):
    evaluation = models.ForeignKey(Evaluation, verbose_name="自评", on_delete=models.CASCADE, related_name="versions")
    number = models.IntegerField("版本号")
    data = models.JSONField("自评数据")
    state = models.CharField("保存时状态", max_length=20, choices=STATE_CHOICES)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="保存人"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "版本"
        verbose_name_plural = "版本"
        ordering = ["evaluation", "number"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"{self.evaluation} · 第 {self.number} 版"


class Comment(AppendOnly):
    evaluation = models.ForeignKey(Evaluation, verbose_name="自评", on_delete=models.CASCADE, related_name="comments")
    version_number = models.IntegerField("版本号")
    field = models.CharField("字段", max_length=200, blank=True, default="")
    text = models.TextField("意见")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发表人", null=True, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation} · 第 {self.version_number} 版 · {self.text[:30]}"

    @property
    def field_label(self) -> str:
        from jixiao.web.evaluations.diff import label_for

        return label_for(self.field) if self.field else ""


AUDIT_LABELS = {
    "create": "新建", "save": "保存", "submit": "送审", "withdraw": "撤回", "approve": "审核通过",
    "return": "退回", "comment": "发表意见", "delete": "删除", "restore": "恢复", "move": "随单位划转",
}


class AuditEntry(AppendOnly):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name="自评", null=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField("操作", max_length=30)
    detail = models.JSONField("详情", default=dict)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation or '（无）'} · {self.what}"

    @property
    def action_label(self) -> str:
        return AUDIT_LABELS.get(self.action, self.action)

    @property
    def what(self) -> str:
        """What was done, in a sentence for the log: the action, the version, the field, the words said."""
        from jixiao.web.evaluations.diff import label_for

        parts = [self.action_label]
        details = self.detail or {}
        if details.get("version"):
            parts.append(f"（第 {details['version']} 版）")
        if details.get("field"):
            parts.append(f"［{label_for(str(details['field']))}］")
        said = details.get("text") or details.get("reason")
        if said:
            parts.append(f"：{said}")
        return "".join(parts)


class YearSetting(models.Model):
    """The rule set (and report template) a year's evaluations are scored with; set by an admin."""

    year = models.IntegerField("年度", unique=True)
    rules = models.CharField("规则集", max_length=100, default="national")
    template = models.CharField("报告模板", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "年度设置"
        verbose_name_plural = "年度设置"

    def __str__(self) -> str:
        return f"{self.year}：{self.rules}"

    def clean(self) -> None:
        """Refuse a rule set that does not load (a shipped name or a TOML file on the server)."""
        from django.core.exceptions import ValidationError

        from jixiao.io.errors import InputError
        from jixiao.io.rules_file import load_rules

        try:
            load_rules(self.rules)
        except InputError as error:
            raise ValidationError({"rules": str(error)}) from None
