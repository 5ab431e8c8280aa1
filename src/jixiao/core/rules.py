"""The rule set: every scoring parameter that varies between provinces or years, as data.

Rule sets are TOML files (see `jixiao/rules/*.toml`); this module only defines
and validates their shape. Loading files is done by `jixiao.io.rules_file`.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.core.findings import Severity
from jixiao.core.model import Grade, Level1, QualitativeBand


class RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReverseFormula(StrEnum):
    RATIO = "ratio"  # B ≤ A → w, else A/B × w (S13)
    LINEAR_2X = "linear_2x"  # B ≤ A → w, A<B<2A → (1 − (B−A)/A) × w, B ≥ 2A → 0 (pmkpi)


class ExecutionRules(RuleModel):
    weight: Decimal = Field(Decimal(10), ge=0, description="预算执行率分值")
    cap_at_weight: bool = Field(True, description="执行率超过100%时得分不超过分值")
    explain_below: Decimal = Field(Decimal(90), description="执行率低于此值(%)须说明原因")
    adjustment_explain_above: Decimal = Field(Decimal(30), description="调整率高于此值(%)须说明")


class IndicatorRules(RuleModel):
    reverse_formula: ReverseFormula = ReverseFormula.RATIO
    clamp_negative_actual: bool = Field(True, description="负的完成值按0计分")
    shortfall_requires_reason: bool = True
    overachieve_ratio: Decimal = Field(
        Decimal("1.2"), gt=1, description="完成值达到目标值此倍数视为大幅超额，须说明原因"
    )
    overachieve_requires_reason: bool = True
    overachieve_deduction: Decimal = Field(
        Decimal(0), ge=0, description="大幅超额（目标设定偏低）扣分，0为不扣"
    )


class QualitativeBandRule(RuleModel):
    band: QualitativeBand
    low: Decimal = Field(ge=0, le=1, description="得分下限（占分值比例，含）")
    high: Decimal = Field(ge=0, le=1, description="得分上限（占分值比例）")
    high_inclusive: bool = False


class GradeBand(RuleModel):
    grade: Grade
    min: Decimal = Field(ge=0, le=100, description="最低分（含）")


class ExecutionCap(RuleModel):
    """Execution-rate caps on the total score (一体化平台 manual §8): below `below` %, total ≤ `max_total`."""

    below: Decimal
    max_total: Decimal


class MonitoringRules(RuleModel):
    mid_year_time_progress: Decimal = Field(
        Decimal(50), description="年中监控时点的时间进度(%)，累计型指标进度低于此值视为滞后"
    )
    execution_yellow_gap: Decimal = Field(
        Decimal(10), ge=0, description="执行进度落后时间进度超过此百分点为黄灯"
    )
    execution_red_gap: Decimal = Field(Decimal(20), ge=0, description="执行进度落后时间进度超过此百分点为红灯")
    indicator_green_at: Decimal = Field(
        Decimal(95), ge=0, description="指标预计完成程度(%)不低于此值为绿灯"
    )
    indicator_yellow_at: Decimal = Field(
        Decimal(80), ge=0, description="指标预计完成程度(%)不低于此值为黄灯，低于为红灯"
    )
    due_soon_days: int = Field(7, ge=0, description="距截止日期不超过此天数为“即将到期”")

    @model_validator(mode="after")
    def _ordered(self) -> MonitoringRules:
        if self.execution_yellow_gap > self.execution_red_gap:
            raise ValueError("monitoring.execution_yellow_gap 不应大于 execution_red_gap")
        if self.indicator_yellow_at > self.indicator_green_at:
            raise ValueError("monitoring.indicator_yellow_at 不应大于 indicator_green_at")
        return self


class TargetRules(RuleModel):
    required_level1: list[Level1] = Field(
        default_factory=lambda: [Level1.OUTPUT, Level1.BENEFIT, Level1.SATISFACTION],
        description="绩效目标应包括的一级指标",
    )
    required_output_level2: list[str] = Field(
        default_factory=lambda: ["数量指标", "质量指标", "时效指标", "成本指标"],
        description="产出指标应包括的二级指标",
    )


class SubmissionRules(RuleModel):
    """Which findings stop 送审 (submission), and which need a confirming tick with a reason."""

    block: list[Severity] = Field(
        default_factory=lambda: [Severity.ERROR], description="有此级别的问题时不能送审"
    )
    confirm: list[Severity] = Field(
        default_factory=lambda: [Severity.WARNING], description="有此级别的问题时送审须勾选确认并说明理由"
    )

    @model_validator(mode="after")
    def _disjoint(self) -> SubmissionRules:
        if set(self.block) & set(self.confirm):
            raise ValueError("submission.block 与 submission.confirm 不能包含同一级别")
        return self


class RuleSet(RuleModel):
    name: str = Field(description="规则集标识")
    title: str = Field(description="规则集名称")
    source: str = Field("", description="依据")
    total: Decimal = Field(Decimal(100), description="满分")
    places: int = Field(2, ge=0, le=4, description="得分、比率保留小数位")
    rounding: str = Field("half_up", pattern="^(half_up|truncate)$")
    execution: ExecutionRules = Field(default_factory=ExecutionRules)
    indicators: IndicatorRules = Field(default_factory=IndicatorRules)
    level1_weights: dict[Level1, Decimal] = Field(
        default_factory=dict, description="一级指标建议分值（与实际不符时提示）"
    )
    required_level1: list[Level1] = Field(
        default_factory=list, description="应当设置的一级指标（如 满意度）"
    )
    known_level2: dict[Level1, list[str]] = Field(default_factory=dict)
    qualitative: list[QualitativeBandRule] = Field(default_factory=list)
    grades: list[GradeBand] = Field(min_length=1)
    execution_caps: list[ExecutionCap] = Field(default_factory=list)
    monitoring: MonitoringRules = Field(default_factory=MonitoringRules)
    targets: TargetRules = Field(default_factory=TargetRules)

    submission: SubmissionRules = Field(default_factory=SubmissionRules)

    @model_validator(mode="after")
    def _check_bands(self) -> RuleSet:
        mins = [band.min for band in self.grades]
        if mins != sorted(mins, reverse=True):
            raise ValueError("grades 应按最低分从高到低排列")
        if mins[-1] != 0:
            raise ValueError("grades 最后一档的最低分应为 0")
        for band in self.qualitative:
            if band.low > band.high:
                raise ValueError(f"定性档次 {band.band} 的下限大于上限")
        return self

    @property
    def indicator_weight_total(self) -> Decimal:
        return self.total - self.execution.weight

    def grade_for(self, total: Decimal) -> Grade:
        for band in self.grades:
            if total >= band.min:
                return band.grade
        return self.grades[-1].grade

    def band_rule(self, band: QualitativeBand) -> QualitativeBandRule | None:
        for rule in self.qualitative:
            if rule.band is band:
                return rule
        return None
