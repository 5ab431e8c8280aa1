"""绩效目标申报 (target declaration) and 目标调整 (target adjustment): the first link of the year.

A declaration is set at budget time for a department-wide budget or a project: an overall goal
and indicators (一级/二级/三级, comparator, value, unit, weight, the basis of the value). Every
indicator carries a stable `code`: the indicator's identity through monitoring, adjustments,
the self-evaluation and the next years, so that history never depends on matching names.

Once approved, a target changes only through an adjustment request with a reason that the
reviewer approves or refuses; `apply_adjustments` gives the targets in force, `target_history`
every value a target has had.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from jixiao.core.model import (
    MAX_INDICATORS,
    Comparator,
    Direction,
    IndicatorKind,
    Kind,
    Level1,
    Money,
    NonEmptyStr,
    Points,
    ProjectInfo,
    Strict,
    Unit,
    direction_of,
)

Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$"),
    Field(description="指标编码：指标的稳定标识（字母、数字、_ . -），跨年度、跨阶段不变"),
]


class Basis(StrEnum):
    """指标值设定依据."""

    HISTORICAL = "历史值"
    PLAN = "计划标准"
    INDUSTRY = "行业标准"
    OTHER = "其他"


class EntryStage(StrEnum):
    """Where a target was first recorded: declared at budget time, or entered only at self-evaluation."""

    DECLARATION = "declaration"
    SELF_EVALUATION = "self_evaluation"


ENTRY_STAGE_LABELS = {EntryStage.DECLARATION: "预算编制时申报", EntryStage.SELF_EVALUATION: "自评时补录"}


class TargetIndicator(Strict):
    code: Code
    level1: Level1 = Field(description="一级指标")
    level2: NonEmptyStr = Field(description="二级指标，如 数量指标")
    name: NonEmptyStr = Field(description="三级指标（指标名称）")
    kind: IndicatorKind = Field(IndicatorKind.QUANTITATIVE, description="定量 / 定性")
    comparator: Comparator | None = Field(None, description="比较符：>= > = <= <")
    target: Decimal | None = Field(None, description="指标值（定量）")
    target_text: str | None = Field(None, description="指标值（定性指标的评判标准）")
    unit: str | None = Field(None, description="计量单位")
    direction: Direction | None = Field(None, description="正向 / 反向；缺省时由比较符推定")
    weight: Points | None = Field(None, description="分值（权重，分）")
    basis: Basis | None = Field(None, description="指标值设定依据：历史值 / 计划标准 / 行业标准 / 其他")
    basis_note: str | None = Field(None, description="依据说明，如 上年完成值、文件名称")
    last_year_actual: Decimal | None = Field(None, description="上年实际完成值")
    below_last_year_reason: str | None = Field(None, description="目标低于上年实际完成值的理由")
    library_code: str | None = Field(None, description="取自指标库时的库内编码")

    @property
    def effective_direction(self) -> Direction:
        return direction_of(self.direction, self.comparator)


class DeclarationBudget(Strict):
    total: Money = Field(description="年度资金总额（万元）")
    fiscal: Money | None = Field(None, description="其中：财政拨款（万元）")
    other: Money | None = Field(None, description="其中：其他资金（万元）")


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


DECISION_LABELS = {Decision.PENDING: "待审批", Decision.APPROVED: "已批准", Decision.REFUSED: "未批准"}


class TargetAdjustment(Strict):
    """A request to change one locked target; only approved requests change it."""

    code: Code
    comparator: Comparator | None = Field(None, description="调整后的比较符（不变则不填）")
    target: Decimal | None = Field(None, description="调整后的指标值（不变则不填）")
    target_text: str | None = Field(None, description="调整后的定性标准（不变则不填）")
    unit: str | None = Field(None, description="调整后的计量单位（不变则不填）")
    weight: Points | None = Field(None, description="调整后的分值（不变则不填）")
    reason: NonEmptyStr = Field(description="调整理由")
    requested_on: dt.date | None = Field(None, description="申请日期")
    decision: Decision = Field(Decision.PENDING, description="pending 待审批 / approved 已批准 / refused 未批准")
    decided_on: dt.date | None = Field(None, description="审批日期")
    decision_note: str | None = Field(None, description="审批意见")

    @model_validator(mode="after")
    def _changes_something(self) -> TargetAdjustment:
        if all(v is None for v in (self.comparator, self.target, self.target_text, self.unit, self.weight)):
            raise ValueError("调整申请应至少改变比较符、指标值、定性标准、计量单位或分值之一")
        return self


class TargetDeclaration(Strict):
    """One year's performance targets of a unit (kind=department) or a project."""

    stage: Literal["targets"] = Field("targets", description="文件类型：targets 绩效目标申报")
    kind: Kind = Field(Kind.PROJECT, description="department 部门整体 / project 项目")
    year: int = Field(ge=2000, le=2100, description="预算年度")
    unit: Unit = Field(description="申报单位")
    project: ProjectInfo | None = Field(None, description="项目信息（kind=project 时必填）")
    budget: DeclarationBudget = Field(description="年度资金")
    overall_goal: NonEmptyStr = Field(description="年度总体目标")
    indicators: list[TargetIndicator] = Field(min_length=1, max_length=MAX_INDICATORS, description="绩效指标")
    entered_at: EntryStage = Field(EntryStage.DECLARATION, description="declaration 申报 / self_evaluation 自评时补录")
    adjustments: list[TargetAdjustment] = Field(default_factory=list, description="目标调整申请")

    @model_validator(mode="after")
    def _identity(self) -> TargetDeclaration:
        if self.kind is Kind.PROJECT and self.project is None:
            raise ValueError("项目绩效目标（kind=project）必须填写 project（项目信息）")
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.code in seen:
                raise ValueError(f"指标编码“{ind.code}”重复：每个指标的编码应唯一")
            seen.add(ind.code)
        return self

    @property
    def title_name(self) -> str:
        return self.project.name if self.kind is Kind.PROJECT and self.project is not None else self.unit.name

    def indicator(self, code: str) -> TargetIndicator | None:
        return next((ind for ind in self.indicators if ind.code == code), None)


ADJUSTABLE = ("comparator", "target", "target_text", "unit", "weight")


def adjusted(indicator: TargetIndicator, adjustment: TargetAdjustment) -> TargetIndicator:
    """The indicator with the fields the adjustment changes."""
    changes = {name: getattr(adjustment, name) for name in ADJUSTABLE if getattr(adjustment, name) is not None}
    return indicator.model_copy(update=changes)


def apply_adjustments(declaration: TargetDeclaration) -> TargetDeclaration:
    """The targets in force: the declaration with every approved adjustment applied, in order."""
    current = {ind.code: ind for ind in declaration.indicators}
    for adj in declaration.adjustments:
        if adj.decision is Decision.APPROVED and adj.code in current:
            current[adj.code] = adjusted(current[adj.code], adj)
    return declaration.model_copy(update={"indicators": list(current.values())})


def target_history(declaration: TargetDeclaration, code: str) -> list[tuple[TargetIndicator, TargetAdjustment | None]]:
    """Every value the target `code` has had: as declared, then after each approved adjustment."""
    indicator = declaration.indicator(code)
    if indicator is None:
        return []
    history: list[tuple[TargetIndicator, TargetAdjustment | None]] = [(indicator, None)]
    for adj in declaration.adjustments:
        if adj.code == code and adj.decision is Decision.APPROVED:
            indicator = adjusted(indicator, adj)
            history.append((indicator, adj))
    return history
