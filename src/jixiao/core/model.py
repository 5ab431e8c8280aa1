"""The evaluation model: one unit's (or one project's) self-evaluation for one year.

Pure data, validated by pydantic, no I/O. Inputs are what a finance officer
knows (budget figures, targets, actual values, weights, narrative); derived
figures (rates, scores, total, grade) are computed by `jixiao.core.scoring`.
Where a document or a user *states* a derived figure, it is kept in a
`stated` block so the checks can compare it with the computed one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from jixiao.core.numbers import NumberError, check_decimal, check_int, parse_decimal

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Money = Annotated[Decimal, Field(ge=0, description="金额（万元）")]
SignedMoney = Annotated[Decimal, Field(description="金额（万元），可为负（调减）")]
Percent = Annotated[Decimal, Field(description="百分比数值，如 102.86 表示 102.86%")]
Points = Annotated[Decimal, Field(ge=0, le=1000, description="分值（分）")]
# A table of more rows than this is not a self-evaluation any page, form or report is made for.
MAX_INDICATORS = 500
MAX_PROJECTS = 500


def _holds_number(annotation: object) -> bool:
    if annotation is Decimal or (annotation is int):
        return True
    return any(_holds_number(arg) for arg in get_args(annotation) if arg is not type(None))


@cache
def _number_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` that hold one number (Decimal or int, maybe optional), not lists or text."""
    return frozenset(name for name, field in model.model_fields.items()
                     if get_origin(field.annotation) is not list and _holds_number(field.annotation))


def _looks_numeric(value: str) -> bool:
    """Whether Decimal could read the text: a digit, sign or point first (a sentence with a figure in it is not)."""
    body = value.strip()
    return bool(body) and (body[0].isdigit() or body[0] in "+-.") and any(ch.isdigit() for ch in body)


class Strict(BaseModel):
    """Base for every model: unknown fields are errors (typos must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _ascii_digits(cls, value: object, info: ValidationInfo) -> object:
        """A number written as text is read from ASCII digits only: "٣" or "１２" is not 3 or 12; and a
        number field's text is read by the one parser (Decimal alone would take "1_000" or "1e999999999")."""
        if isinstance(value, str) and not value.isascii() and len(value) <= 64 and _looks_numeric(value):
            try:
                Decimal(value.strip())
            except ArithmeticError:
                pass
            else:
                raise NumberError(f"数字应使用半角阿拉伯数字（填写的是“{value.strip()}”）")
        if isinstance(value, str) and value.strip() and info.field_name in _number_fields(cls):
            return parse_decimal(value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value: object) -> object:
        """Every number of every model within the bounds of `jixiao.core.numbers` (no 1e999999999)."""
        if isinstance(value, Decimal):
            return check_decimal(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return check_int(value)
        return value


class Kind(StrEnum):
    DEPARTMENT = "department"
    PROJECT = "project"


KIND_LABELS = {Kind.DEPARTMENT: "部门（单位）整体支出绩效自评", Kind.PROJECT: "项目支出绩效自评"}


class FundSource(StrEnum):
    HIGHER_LEVEL = "higher_level"
    OWN_LEVEL = "own_level"
    FISCAL = "fiscal"
    CARRIED_OVER = "carried_over"
    OTHER = "other"


FUND_SOURCE_LABELS = {
    FundSource.HIGHER_LEVEL: "上级资金",
    FundSource.OWN_LEVEL: "本级资金",
    FundSource.FISCAL: "当年财政拨款",
    FundSource.CARRIED_OVER: "上年结转资金",
    FundSource.OTHER: "其他资金",
}


class Comparator(StrEnum):
    GE = ">="
    GT = ">"
    EQ = "="
    LE = "<="
    LT = "<"


COMPARATOR_LABELS = {
    Comparator.GE: "大于等于",
    Comparator.GT: "大于",
    Comparator.EQ: "等于",
    Comparator.LE: "小于等于",
    Comparator.LT: "小于",
}


PERCENT_UNITS = frozenset({"%", "％", "‰", "百分比"})


def direction_of(direction: Direction | None, comparator: Comparator | None) -> Direction:
    """The stated direction, else the one the comparator implies (≤ and < are reverse indicators)."""
    if direction is not None:
        return direction
    return Direction.REVERSE if comparator in (Comparator.LE, Comparator.LT) else Direction.POSITIVE


def measures_a_level(unit: str | None, name: str) -> bool:
    """A level (a rate, a ratio, a per-unit cost) rather than a running total that grows through the year."""
    unit = (unit or "").strip()
    return unit in PERCENT_UNITS or "/" in unit or name.endswith(("率", "度"))


class IndicatorKind(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"


class Direction(StrEnum):
    POSITIVE = "positive"
    REVERSE = "reverse"


class Level1(StrEnum):
    """一级指标. 产出/效益/满意度 (项目, 10号); 投入/过程/产出/效果 (53号); 决策/管理/绩效 (Sichuan)."""

    OUTPUT = "产出"
    BENEFIT = "效益"
    SATISFACTION = "满意度"
    INPUT = "投入"
    PROCESS = "过程"
    EFFECT = "效果"
    DECISION = "决策"
    MANAGEMENT = "管理"
    PERFORMANCE = "绩效"


class QualitativeBand(StrEnum):
    ACHIEVED = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    NOT_ACHIEVED = "未达成年度指标且效果较差"


class Grade(StrEnum):
    EXCELLENT = "优"
    GOOD = "良"
    FAIR = "中"
    POOR = "差"


class Location(Strict):
    """Where a figure was stated in a document (filled in by the auditor)."""

    line: int = Field(ge=1, description="行号（从 1 开始）")
    quote: str = Field(description="原文")


class Staffing(Strict):
    authorized_administrative: int | None = Field(None, ge=0, description="行政编制数")
    authorized_institutional: int | None = Field(None, ge=0, description="事业编制数")
    authorized_total: int | None = Field(None, ge=0, description="编制总数（所述）")
    actual: int | None = Field(None, ge=0, description="实有在编人数")


class Unit(Strict):
    name: NonEmptyStr = Field(description="部门（单位）名称")
    code: str | None = Field(None, description="单位编码")
    supervising_department: str | None = Field(None, description="主管部门")
    funding_type: str | None = Field(None, description="单位性质，如 财政全额拨款行政单位")
    subordinate_units: list[str] = Field(default_factory=list, description="下属单位")
    functions: str | None = Field(None, description="部门主要职能")
    organisation: str | None = Field(None, description="机构设置说明")
    staffing: Staffing = Field(default_factory=Staffing, description="人员编制")


class ProjectInfo(Strict):
    """项目支出绩效自评的项目信息."""

    name: NonEmptyStr = Field(description="项目名称")
    code: str | None = Field(None, description="项目编码")
    supervising_department: str | None = Field(None, description="主管部门")
    implementing_unit: str | None = Field(None, description="实施单位")


class BudgetLine(Strict):
    """One row of budget figures; any column may be unknown."""

    initial: Money | None = Field(None, description="年初预算数（万元）")
    adjusted: Money | None = Field(None, description="全年预算数（万元）")
    executed: Money | None = Field(None, description="全年执行数（万元）")


class BudgetStated(Strict):
    adjustment_rate: Percent | None = Field(None, description="所述预算调整率（%）")
    execution_rate: Percent | None = Field(None, description="所述预算执行率（%）")


class Budget(Strict):
    initial: Money = Field(description="年初预算数（万元）")
    adjustment: SignedMoney | None = Field(
        None, description="预算调整数（万元），所述；应等于全年预算数减年初预算数"
    )
    adjusted: Money = Field(description="全年预算数 / 调整后预算数（万元）")
    executed: Money = Field(description="全年执行数 / 决算数（万元）")
    sources: dict[FundSource, BudgetLine] = Field(
        default_factory=dict, description="按资金来源分列，各来源之和应等于合计"
    )
    fiscal: BudgetLine | None = Field(None, description="其中：财政资金部分")
    adjustment_explanation: str | None = Field(None, description="预算调整原因说明")
    execution_explanation: str | None = Field(None, description="预算执行率偏低原因说明")
    stated: BudgetStated = Field(default_factory=BudgetStated)


class BasicStated(Strict):
    execution_rate: Percent | None = Field(None, description="所述基本支出预算执行率（%）")


class BasicExpenditure(Strict):
    budget: Money = Field(description="基本支出全年预算（万元）")
    personnel: Money | None = Field(None, description="人员经费（万元）")
    public: Money | None = Field(None, description="公用经费（万元）")
    executed: Money | None = Field(None, description="基本支出实际支出（万元）")
    use: str | None = Field(None, description="主要用途")
    management: str | None = Field(None, description="基本支出管理和使用情况")
    stated: BasicStated = Field(default_factory=BasicStated)


class Project(Strict):
    """A project, or a group of projects stated together (count > 1)."""

    name: NonEmptyStr = Field(description="项目名称（或项目组名称）")
    source: FundSource | None = Field(None, description="资金来源")
    count: int = Field(1, ge=1, description="项目个数（按组填报时大于 1）")
    initial: Money | None = Field(None, description="年初预算数（万元）")
    budget: Money = Field(description="全年预算数（万元）")
    executed: Money | None = Field(None, description="执行数（万元）")
    description: str | None = Field(None, description="主要用途和实施效果")


class ProjectTotal(Strict):
    """The project totals as stated (e.g. 共有4个项目, 项目总金额2688.16万元)."""

    count: int | None = Field(None, ge=0, description="项目个数")
    budget: Money | None = Field(None, description="项目总金额（万元）")
    executed: Money | None = Field(None, description="执行金额（万元）")


class Expenditure(Strict):
    total: Money | None = Field(None, description="所述全年预算支出金额（万元）")
    basic: BasicExpenditure | None = Field(None, description="基本支出")
    projects: list[Project] = Field(default_factory=list, max_length=MAX_PROJECTS, description="项目支出")
    project_total: ProjectTotal | None = Field(None, description="所述项目支出合计")
    project_use: str | None = Field(None, description="项目支出主要用途")


class IndicatorStated(Strict):
    completion_rate: Percent | None = Field(None, description="所述完成率（%）")
    score: Decimal | None = Field(None, description="所述得分")


class Indicator(Strict):
    code: str | None = Field(None, description="指标编码：与绩效目标、监控共用的稳定标识")
    level1: Level1 | None = Field(None, description="一级指标")
    level2: str | None = Field(None, description="二级指标")
    name: NonEmptyStr = Field(description="三级指标（指标名称）")
    kind: IndicatorKind = Field(IndicatorKind.QUANTITATIVE, description="定量 / 定性")
    comparator: Comparator | None = Field(None, description="比较符：>= > = <= <")
    target: Decimal | None = Field(None, description="年度指标值（定量）")
    target_text: str | None = Field(None, description="年度指标值（定性描述）")
    unit: str | None = Field(None, description="计量单位")
    direction: Direction | None = Field(
        None, description="正向 / 反向；缺省时由比较符推定（<= < 为反向）"
    )
    mid_year: Decimal | None = Field(None, description="年中监控实际完成值")
    mid_year_note: str | None = Field(None, description="年中监控与最终完成值偏差原因")
    actual: Decimal | None = Field(None, description="实际完成值（定量）")
    actual_text: str | None = Field(None, description="实际完成情况（定性描述）")
    band: QualitativeBand | None = Field(None, description="定性指标完成档次")
    weight: Points = Field(description="分值（权重，分）")
    manual_score: Decimal | None = Field(
        None, ge=0, description="评价人确定的得分（定性指标必填；定量指标为人工调整，需说明理由）"
    )
    manual_reason: str | None = Field(None, description="人工调整得分的理由")
    deduction: Decimal | None = Field(None, ge=0, description="扣分（分）")
    deduction_reason: str | None = Field(None, description="扣分理由")
    evidence: str | None = Field(None, description="佐证资料")
    effect: str | None = Field(None, description="效益说明")
    deviation_reason: str | None = Field(None, description="偏差原因")
    improvement: str | None = Field(None, description="改进措施")
    stated: IndicatorStated = Field(default_factory=IndicatorStated)

    @property
    def effective_direction(self) -> Direction:
        return direction_of(self.direction, self.comparator)


class Task(Strict):
    name: NonEmptyStr = Field(description="任务名称")
    content: str | None = Field(None, description="主要内容")


class Narrative(Strict):
    key_work: str | None = Field(None, description="年度重点工作")
    tasks: list[Task] = Field(default_factory=list, description="年度主要任务")
    overall_goal: str | None = Field(None, description="年度总体目标（预期目标）")
    goal_achievement: str | None = Field(None, description="年度总体目标实际完成情况")
    budget_arrangement: str | None = Field(None, description="预算安排原则与说明")
    adjustment_effect: str | None = Field(None, description="预算调整的效果和影响")
    execution_management: str | None = Field(None, description="预算执行管理情况")
    management_system: str | None = Field(None, description="管理制度健全性")
    fund_compliance: str | None = Field(None, description="资金使用合规性和安全性")
    performance_intro: str | None = Field(None, description="绩效分析导语")
    conclusion_intro: str | None = Field(None, description="评价结论导语")
    problems: list[str] = Field(default_factory=list, description="存在的主要问题")
    causes: list[str] = Field(default_factory=list, description="原因分析")
    measures: list[str] = Field(default_factory=list, description="改进措施")
    suggestions: list[str] = Field(default_factory=list, description="建议")


class EvaluationStated(Strict):
    execution_score: Decimal | None = Field(None, description="所述预算执行得分")
    total_score: Decimal | None = Field(None, description="所述综合得分（总分）")
    grade: Grade | None = Field(None, description="所述评价等级")


class Evaluation(Strict):
    """One year's self-evaluation of a unit/department (kind=department) or a project."""

    kind: Kind = Field(Kind.DEPARTMENT, description="department：部门整体；project：项目支出")
    year: int = Field(ge=2000, le=2100, description="评价年度")
    unit: Unit = Field(description="部门（单位）")
    project: ProjectInfo | None = Field(None, description="项目信息（kind=project 时必填）")
    attachment_no: str | None = Field(None, description="附件编号，如 附件4")
    filled_date: dt.date | None = Field(None, description="填报时间")
    budget: Budget = Field(description="预算规模")
    expenditure: Expenditure = Field(default_factory=Expenditure, description="支出情况")
    indicators: list[Indicator] = Field(min_length=1, max_length=MAX_INDICATORS, description="绩效指标")
    narrative: Narrative = Field(default_factory=Narrative, description="文字部分")
    stated: EvaluationStated = Field(default_factory=EvaluationStated)
    locations: dict[str, Location] = Field(
        default_factory=dict, description="字段在原文中的位置（审查报告时填写）"
    )

    @model_validator(mode="after")
    def _project_needs_info(self) -> Evaluation:
        if self.kind is Kind.PROJECT and self.project is None:
            raise ValueError("项目支出绩效自评（kind=project）必须填写 project（项目信息）")
        return self

    @property
    def title_name(self) -> str:
        """The name a report is about: the project's for project evaluations, else the unit's."""
        if self.kind is Kind.PROJECT and self.project is not None:
            return self.project.name
        return self.unit.name
