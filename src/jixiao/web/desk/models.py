"""Relational copies of each evaluation's current version, written at save time, for the desk.

The version's JSON stays the one source of truth; these rows are derived from it in the same
transaction (`jixiao.web.desk.rows.record`), so aggregating a million indicators is one indexed
query instead of a JSON walk. Scores and rates are integer hundredths as on `Evaluation`; money is
exact `Decimal` 万元.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Organisation


class EvaluationFigures(models.Model):
    """One row per evaluation: the figures of its current version the dashboard filters and sums."""

    evaluation = models.OneToOneField(Evaluation, primary_key=True, on_delete=models.CASCADE, related_name="figures")
    year = models.IntegerField("年度")
    department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    version_number = models.IntegerField("版本号")
    budget_initial = models.DecimalField("年初预算数（万元）", max_digits=30, decimal_places=6, null=True)
    budget_adjusted = models.DecimalField("全年预算数（万元）", max_digits=30, decimal_places=6, null=True)
    budget_executed = models.DecimalField("全年执行数（万元）", max_digits=30, decimal_places=6, null=True)
    execution_rate_hundredths = models.BigIntegerField("预算执行率（百分之一个百分点）", null=True)
    execution_score_hundredths = models.IntegerField("预算执行得分（百分之一分）", default=0)
    indicator_count = models.IntegerField("指标数", default=0)
    capped = models.BooleanField("总分受执行率上限限制", default=False)

    class Meta:
        verbose_name = "自评汇总数据"
        verbose_name_plural = "自评汇总数据"
        indexes = [models.Index(fields=["year", "department"], name="figures_year_dept_idx")]


class IndicatorRow(models.Model):
    """One indicator of an evaluation's current version, with the score the engine computed."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="indicator_rows")
    year = models.IntegerField("年度")
    department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    position = models.IntegerField("序号")
    level1 = models.CharField("一级指标", max_length=20, blank=True, default="")
    level2 = models.CharField("二级指标", max_length=100, blank=True, default="")
    name = models.CharField("三级指标", max_length=300)
    kind = models.CharField("定量/定性", max_length=20)
    direction = models.CharField("方向", max_length=20, blank=True, default="")
    comparator = models.CharField("比较符", max_length=4, blank=True, default="")
    unit = models.CharField("计量单位", max_length=50, blank=True, default="")
    target = models.DecimalField("年度指标值", max_digits=30, decimal_places=6, null=True)
    mid_year = models.DecimalField("年中完成值", max_digits=30, decimal_places=6, null=True)
    actual = models.DecimalField("实际完成值", max_digits=30, decimal_places=6, null=True)
    weight_hundredths = models.IntegerField("分值（百分之一分）")
    score_hundredths = models.IntegerField("得分（百分之一分）")
    completion_rate_hundredths = models.BigIntegerField("完成率（百分之一个百分点）", null=True)
    met = models.BooleanField("达到目标", null=True)
    overachieved = models.BooleanField("超额完成", default=False)

    class Meta:
        verbose_name = "指标行"
        verbose_name_plural = "指标行"
        ordering = ["evaluation", "position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "position"], name="unique_indicator_position")]
        indexes = [
            models.Index(fields=["year", "department"], name="indicator_year_dept_idx"),
            models.Index(fields=["year", "completion_rate_hundredths"], name="indicator_year_rate_idx"),
        ]


class FindingRow(models.Model):
    """One finding of the checks on an evaluation's current version (code and severity)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="finding_rows")
    year = models.IntegerField("年度")
    department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("代码", max_length=20)
    severity = models.CharField("严重程度", max_length=10)
    field = models.CharField("字段", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "校验结果"
        verbose_name_plural = "校验结果"
        indexes = [
            models.Index(fields=["year", "code", "evaluation"], name="finding_year_code_idx"),
            models.Index(fields=["evaluation"], name="finding_evaluation_idx"),
            # the dashboard's most frequent error codes: the error rows only (most rows are warnings)
            models.Index(fields=["year", "code", "evaluation"], condition=models.Q(severity="error"),
                         name="finding_error_idx"),
        ]


class AnomalyRow(models.Model):
    """One anomaly (D002–D007, D010) of an evaluation's current version, found at save time by the pure rules.

    `position` is the indicator's (−1: the evaluation as a whole). The anomaly page reads these rows by
    (year, code) instead of testing a million indicator rows per kind on each view.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="anomaly_rows")
    year = models.IntegerField("年度")
    department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("代码", max_length=8)
    position = models.IntegerField("指标序号", default=-1)
    detail = models.CharField("具体情况", max_length=300)

    class Meta:
        verbose_name = "异常"
        verbose_name_plural = "异常"
        indexes = [
            models.Index(fields=["year", "code", "evaluation", "position"], name="anomaly_year_code_idx"),
            models.Index(fields=["evaluation"], name="anomaly_evaluation_idx"),
        ]


class NarrativeBand(models.Model):
    """One LSH band of one narrative sentence's MinHash (D008/D009), written at save time.

    Two sentences whose MinHashes agree on any band are near-duplicates (datasketch's LSH at Jaccard 0.7).
    `shared` (another unit has this band this year) and `from_last_year` (the unit itself had it the year
    before) are kept up to date by every save, so the anomaly page reads only the flagged rows.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="narrative_bands")
    year = models.IntegerField("年度")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    sentence = models.IntegerField("句序号")
    band = models.SmallIntegerField("带")
    key = models.BigIntegerField("带哈希")
    text = models.CharField("句子（截取）", max_length=64, blank=True, default="")  # on band 0 only
    shared = models.BooleanField("与其他单位相同", default=False)
    from_last_year = models.BooleanField("与本单位上年相同", default=False)

    class Meta:
        verbose_name = "叙述指纹"
        verbose_name_plural = "叙述指纹"
        indexes = [
            models.Index(fields=["year", "key", "band", "evaluation"], name="narrative_key_idx"),
            models.Index(fields=["unit", "year", "key", "band"], name="narrative_unit_idx"),
            models.Index(fields=["evaluation", "sentence"], name="narrative_evaluation_idx"),
            models.Index(fields=["year", "evaluation", "sentence"], condition=models.Q(shared=True),
                         name="narrative_shared_idx"),
            models.Index(fields=["year", "evaluation", "sentence"], condition=models.Q(from_last_year=True),
                         name="narrative_copied_idx"),
            # a save's new partners: the rows of a key not yet shared
            models.Index(fields=["year", "key"], condition=models.Q(shared=False), name="narrative_unshared_idx"),
            # a department's desk (or the department filter): its flagged rows only, in evaluation order
            models.Index(fields=["year", "department", "evaluation", "sentence"], condition=models.Q(shared=True),
                         name="narrative_shared_dept_idx"),
            models.Index(fields=["year", "department", "evaluation", "sentence"],
                         condition=models.Q(from_last_year=True), name="narrative_copied_dept_idx"),
        ]


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """A piece of long work run by the task queue's worker, with progress and one result file.

    `department` is the scope it was started in (None: the whole bureau); only its owner, or a user
    whose desk scope covers it, sees the job and its file.
    """

    kind = models.CharField("类型", max_length=30)
    params = models.JSONField("参数", default=dict)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.IntegerField("进度（%）", default=0)
    message = models.CharField("进度说明", max_length=300, blank=True, default="")
    error = models.TextField("失败原因", blank=True, default="")
    result_name = models.CharField("结果文件名", max_length=200, blank=True, default="")
    result_path = models.CharField("结果文件", max_length=500, blank=True, default="")
    task_id = models.CharField("任务编号", max_length=64, blank=True, default="")
    attempts = models.IntegerField("执行次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # ---- deskb: jobs, progress n of m (jixiao.web.desk.jobs) ----
    year = models.IntegerField("年度", null=True, blank=True)
    steps_done = models.IntegerField("已完成", default=0)
    steps_total = models.IntegerField("共计", default=0)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进度时间", null=True, blank=True)
    # ---- end deskb ----

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]


# ---- deskb: batch audit in the browser (jixiao.web.desk.batch) ----------------------------------

class MatchState(models.TextChoices):
    MATCHED = "matched", "已匹配"
    UNSURE = "unsure", "待确认"
    NONE = "none", "未匹配"
    CONFIRMED = "confirmed", "已确认"


class BatchDocument(models.Model):
    """One uploaded report of a batch-audit job: its audit by the auditor's engine and its unit.

    The file itself sits under JOBS_DIR/<job>/inputs/ with a generated name (never the uploaded
    one); `name` is what the user called it, for display only.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="documents")
    position = models.IntegerField("序号")
    name = models.CharField("文件名", max_length=300)
    stored = models.CharField("存储文件", max_length=100)
    size = models.BigIntegerField("大小（字节）", default=0)
    audited = models.BooleanField("已审查", default=False)
    read_error = models.TextField("无法读取的原因", blank=True, default="")
    stated_unit = models.CharField("报告所述单位", max_length=300, blank=True, default="")
    stated_year = models.IntegerField("报告所述年度", null=True, blank=True)
    stated_kind = models.CharField("报告类别", max_length=20, blank=True, default="")
    stated_total = models.CharField("所述总分", max_length=20, blank=True, default="")
    stated_grade = models.CharField("所述等级", max_length=2, blank=True, default="")
    computed_total = models.CharField("计算总分", max_length=20, blank=True, default="")
    computed_grade = models.CharField("计算等级", max_length=2, blank=True, default="")
    errors = models.IntegerField("错误", default=0)
    warnings = models.IntegerField("警告", default=0)
    infos = models.IntegerField("提示", default=0)
    findings = models.JSONField("审查结果", default=list)
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    match = models.CharField("匹配", max_length=10, choices=MatchState.choices, default=MatchState.NONE)
    candidates = models.JSONField("候选单位", default=list)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = "批量审查文件"
        verbose_name_plural = "批量审查文件"
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="unique_batch_position")]
        indexes = [models.Index(fields=["unit", "stated_year"], name="batch_unit_year_idx")]

    @property
    def attached(self) -> bool:
        return self.unit_id is not None and self.match in (MatchState.MATCHED, MatchState.CONFIRMED)

# ---- end deskb ----

# ---- spot-checks (抽查复核): the sample, its frame and seed, the re-evaluator's scores (deska) ----

class SpotCheck(models.Model):
    """A reproducible sample for re-evaluation: the frame and the seed are recorded, so anyone re-draws it.

    `department` is the scope it was drawn in (None: the whole bureau). The frame is the list of
    eligible evaluations with their strata, as `jixiao.web.desk.spotcheck.Frame.to_json` writes it.
    """

    year = models.IntegerField("年度")
    department = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=200)
    size = models.IntegerField("样本量")
    seed = models.BigIntegerField("随机种子")
    frame = models.JSONField("抽样框")
    frame_digest = models.CharField("抽样框 SHA-256", max_length=64)
    frame_rule = models.CharField("抽样框规则", max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽查复核"
        verbose_name_plural = "抽查复核"
        ordering = ["-created_at", "-id"]


class SpotCheckItem(models.Model):
    """One sampled evaluation (at the version sampled) and who re-evaluated it."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")
    version_number = models.IntegerField("抽取时的版本")
    stratum = models.CharField("层", max_length=300)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    note = models.TextField("复核意见", blank=True, default="")

    class Meta:
        verbose_name = "抽查样本"
        verbose_name_plural = "抽查样本"
        ordering = ["spot_check", "id"]
        constraints = [models.UniqueConstraint(fields=["spot_check", "evaluation"], name="unique_spotcheck_evaluation")]


class SpotCheckScore(models.Model):
    """The re-evaluator's score beside the self-score, one per indicator (position -1: 预算执行)."""

    item = models.ForeignKey(SpotCheckItem, on_delete=models.CASCADE, related_name="scores")
    position = models.IntegerField("序号")
    name = models.CharField("指标", max_length=300)
    weight_hundredths = models.IntegerField("分值（百分之一分）")
    self_score_hundredths = models.IntegerField("自评得分（百分之一分）")
    review_score_hundredths = models.IntegerField("复核得分（百分之一分）")
    note = models.CharField("说明", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "复核得分"
        verbose_name_plural = "复核得分"
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="unique_spotcheck_score")]
