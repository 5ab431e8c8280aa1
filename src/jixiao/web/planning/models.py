"""The records of the year before and after a self-evaluation: targets, monitoring, rectification, tasks.

A `StageRecord` is a target declaration or a monitoring report of one unit for one year, with the
same workflow columns as an evaluation (so the one permission function decides for it) and
append-only versions. `IndicatorUse` keeps every value an indicator had, keyed by its code, so an
indicator's history is one query — never a match by name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from jixiao.core.rectification import ITEM_ACTION_LABELS, ITEM_STATE_LABELS, SOURCE_LABELS, ItemState
from jixiao.core.todo import STAGE_KIND_LABELS
from jixiao.core.workflow import STAGE_LABELS, STATE_LABELS, Stage, State
from jixiao.web.evaluations.models import AppendOnly
from jixiao.web.orgs.models import Organisation


class RecordKind(models.TextChoices):
    TARGETS = "targets", "绩效目标申报"
    MONITORING = "monitoring", "绩效运行监控"


class MonitoringRound(models.Model):
    """The bureau's (or a department's) notice: report monitoring to `cut_off` by `deadline`."""

    year = models.IntegerField("年度")
    name = models.CharField("名称", max_length=200)
    cut_off = models.DateField("监控截止日期")
    deadline = models.DateField("报送期限")
    scope = models.ForeignKey(Organisation, verbose_name="范围", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("下发时间", auto_now_add=True)

    class Meta:
        verbose_name = "监控轮次"
        verbose_name_plural = "监控轮次"
        ordering = ["-year", "-cut_off", "-id"]

    def __str__(self) -> str:
        return self.name


class StageRecord(models.Model):
    kind = models.CharField("类别", max_length=20, choices=RecordKind.choices)
    unit = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="stage_records")
    department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    year = models.IntegerField("年度")
    title = models.CharField("名称", max_length=300)
    state = models.CharField("状态", max_length=20, default=State.DRAFT.value)
    stage = models.CharField("审核环节", max_length=20, blank=True, default="")
    current_version = models.IntegerField("当前版本", default=1)
    data = models.JSONField("当前数据")
    targets = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="monitoring")
    round = models.ForeignKey(MonitoringRound, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    deadline = models.DateField("期限", null=True, blank=True)
    pending_adjustments = models.IntegerField("待审批调整", default=0)
    worst_light = models.CharField("最重预警", max_length=10, blank=True, default="")
    error_count = models.IntegerField("错误数", default=0)
    warning_count = models.IntegerField("警告数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)  # never set: records are not deleted; the permission function reads it

    class Meta:
        verbose_name = "目标/监控记录"
        verbose_name_plural = "目标/监控记录"
        indexes = [models.Index(fields=["kind", "year", "unit"]), models.Index(fields=["state", "stage"])]

    def __str__(self) -> str:
        return f"{self.year} {self.title}（{self.get_kind_display()}）"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[Stage(self.stage)] if self.stage else ""

    @property
    def locked(self) -> bool:
        return self.kind == RecordKind.TARGETS and self.state == State.APPROVED.value


class StageVersion(models.Model):
    record = models.ForeignKey(StageRecord, on_delete=models.CASCADE, related_name="versions")
    number = models.IntegerField("版本号")
    data = models.JSONField("数据")
    state = models.CharField("保存时状态", max_length=20)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "number"]
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="unique_stage_version")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("版本一经保存不可修改，只能保存新版本")
        super().save(*args, **kwargs)


class UseStage(models.TextChoices):
    TARGET = "target", "目标"
    ADJUSTED = "adjusted", "调整后目标"
    MONITORING = "monitoring", "监控值"
    ACTUAL = "actual", "实际完成值"


class IndicatorUse(models.Model):
    """One value of one indicator (by code) of one unit in one year, at one stage of the chain."""

    code = models.CharField("指标编码", max_length=64)
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.IntegerField("年度")
    use = models.CharField("环节", max_length=20, choices=UseStage.choices)
    name = models.CharField("指标名称", max_length=200)
    library_code = models.CharField("指标库编码", max_length=64, blank=True, default="")
    shown = models.CharField("值", max_length=200)  # as written: "≥100个", "出台办法"
    record = models.ForeignKey(StageRecord, null=True, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "code", "year"])]
        ordering = ["year", "at", "id"]


class Rectification(models.Model):
    unit = models.ForeignKey(Organisation, verbose_name="整改单位", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    year = models.IntegerField("问题所属年度")
    source = models.CharField("来源", max_length=30, choices=list(SOURCE_LABELS.items()))
    problem = models.TextField("存在的问题")
    requirement = models.TextField("整改要求", blank=True, default="")
    deadline = models.DateField("整改期限")
    state = models.CharField("状态", max_length=20, default=ItemState.NOTICED.value)
    plan = models.TextField("整改方案", blank=True, default="")
    feedback = models.TextField("整改结果", blank=True, default="")
    review_note = models.TextField("复核意见", blank=True, default="")
    indicator_code = models.CharField("涉及指标编码", max_length=64, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    stage = ""  # no review chain: the permission function's column, always empty

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["deadline", "id"]

    @property
    def code(self) -> str:
        return f"ZG-{self.year}-{self.pk:04d}"

    @property
    def state_label(self) -> str:
        return ITEM_STATE_LABELS[ItemState(self.state)]


# The step that opens an item; the others are the workflow's actions (core.rectification.ItemAction).
NOTICE = "notice"
STEP_LABELS = {NOTICE: "下发整改通知", **{a.value: label for a, label in ITEM_ACTION_LABELS.items()}}


class RectificationStep(AppendOnly):
    """One step of a rectification item as it was taken — the notice, each plan, feedback, return and
    the closing — so a revised plan, a second feedback or the reason for a return is never overwritten
    (the item's own columns hold only the latest of each). Only ever added."""

    item = models.ForeignKey(Rectification, verbose_name="整改事项", on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=20)
    text = models.TextField("内容")
    state = models.CharField("操作后状态", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改办理记录"
        verbose_name_plural = "整改办理记录"
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        return STEP_LABELS.get(self.action, self.action)

    @property
    def state_label(self) -> str:
        return ITEM_STATE_LABELS[ItemState(self.state)]


class Task(models.Model):
    kind = models.CharField("环节", max_length=30, choices=list(STAGE_KIND_LABELS.items()))
    year = models.IntegerField("年度")
    title = models.CharField("任务", max_length=200)
    scope = models.ForeignKey(Organisation, verbose_name="范围", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("期限")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["deadline", "id"]


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class EvaluationLink(models.Model):
    """A self-evaluation started from approved targets (and a monitoring report): its targets are locked."""

    evaluation = models.OneToOneField("evaluations.Evaluation", on_delete=models.CASCADE, related_name="planning_link")
    targets = models.ForeignKey(StageRecord, on_delete=models.PROTECT, related_name="+")
    monitoring = models.ForeignKey(StageRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class LibraryIndicator(models.Model):
    """An entry of a department's (or the bureau's) own indicator library, beside the shipped common one."""

    owner = models.ForeignKey(Organisation, verbose_name="所属", on_delete=models.CASCADE, related_name="+")
    code = models.CharField("编码", max_length=64)
    name = models.CharField("指标名称", max_length=200)
    data = models.JSONField("指标")  # a validated jixiao.core.library.LibraryEntry

    class Meta:
        verbose_name = "部门指标库"
        verbose_name_plural = "部门指标库"
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="unique_library_code")]
