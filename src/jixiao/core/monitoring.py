"""绩效运行监控 (mid-year monitoring, 双监控): execution and targets to a round's cut-off date.

The bureau issues a round (e.g. to 30 June); a unit reports its budget execution to date and each
indicator's value to date, with 偏差原因 and 纠偏措施 where it lags. Here the figures become lights:

- budget: 执行进度 (executed ÷ annual budget) against 时间进度 (share of the year elapsed); lagging
  by more than `execution_yellow_gap` points is yellow, by more than `execution_red_gap` red;
- indicator: the expected completion (预计完成程度, %) — the unit's expected full-year value when given,
  else the value to date projected to the year's end for running totals (counts, amounts), the value
  itself for levels (rates, per-unit costs) — green from `indicator_green_at`, yellow from
  `indicator_yellow_at`, red below.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field

from jixiao.core.model import (
    MAX_INDICATORS,
    Comparator,
    Direction,
    IndicatorKind,
    Kind,
    Level1,
    Money,
    NonEmptyStr,
    ProjectInfo,
    Strict,
    Unit,
    direction_of,
    measures_a_level,
)
from jixiao.core.money import HUNDRED, ZERO, percent, quantize
from jixiao.core.rules import MonitoringRules
from jixiao.core.targets import Code


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_LABELS = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}
LIGHT_ORDER = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


class MonitoringIndicator(Strict):
    code: Code
    level1: Level1 | None = Field(None, description="一级指标")
    level2: str | None = Field(None, description="二级指标")
    name: NonEmptyStr = Field(description="三级指标（指标名称）")
    kind: IndicatorKind = Field(IndicatorKind.QUANTITATIVE, description="定量 / 定性")
    comparator: Comparator | None = Field(None, description="比较符（与批准的目标一致）")
    target: Decimal | None = Field(None, description="年度指标值（批准的目标）")
    target_text: str | None = Field(None, description="年度指标值（定性）")
    unit: str | None = Field(None, description="计量单位")
    direction: Direction | None = Field(None, description="正向 / 反向；缺省时由比较符推定")
    value_to_date: Decimal | None = Field(None, description="截至监控日的完成值")
    value_text: str | None = Field(None, description="截至监控日的完成情况（定性）")
    expected: Decimal | None = Field(None, description="预计全年完成值；不填时按进度推算")
    on_track: bool | None = Field(None, description="定性指标：预计能否完成目标")
    deviation_reason: str | None = Field(None, description="偏差原因")
    corrective_action: str | None = Field(None, description="纠偏措施")

    @property
    def effective_direction(self) -> Direction:
        return direction_of(self.direction, self.comparator)


class MonitoringBudget(Strict):
    annual: Money = Field(description="全年预算数（万元）")
    executed_to_date: Money = Field(description="截至监控日执行数（万元）")
    expected: Money | None = Field(None, description="预计全年执行数（万元）")


class MonitoringReport(Strict):
    """A unit's (or a project's) report for one monitoring round."""

    stage: Literal["monitoring"] = Field("monitoring", description="文件类型：monitoring 绩效运行监控")
    kind: Kind = Field(Kind.PROJECT, description="department 部门整体 / project 项目")
    year: int = Field(ge=2000, le=2100, description="预算年度")
    unit: Unit = Field(description="单位")
    project: ProjectInfo | None = Field(None, description="项目信息")
    round_name: str | None = Field(None, description="监控轮次，如 2024年年中监控")
    cut_off: dt.date = Field(description="监控截止日期，如 2024-06-30")
    budget: MonitoringBudget = Field(description="预算执行")
    indicators: list[MonitoringIndicator] = Field(default_factory=list, max_length=MAX_INDICATORS, description="绩效指标完成情况")
    deviation_reason: str | None = Field(None, description="预算执行偏差原因")
    corrective_action: str | None = Field(None, description="预算执行纠偏措施")
    goal_progress: str | None = Field(None, description="总体目标完成情况")

    @property
    def title_name(self) -> str:
        return self.project.name if self.kind is Kind.PROJECT and self.project is not None else self.unit.name


def time_progress(cut_off: dt.date, year: int) -> Decimal:
    """The share of the budget year elapsed at the cut-off, in percent (2 places).

    Months elapsed, the current one by its days: a month's last day counts whole months
    (30 June → 50%, as the bureaus' notices state it), and the value grows day by day.
    Before the year 0, after it 100.
    """
    if cut_off.year < year:
        return ZERO
    if cut_off.year > year:
        return HUNDRED
    days_in_month = calendar.monthrange(cut_off.year, cut_off.month)[1]
    months = Decimal(cut_off.month - 1) + Decimal(cut_off.day) / Decimal(days_in_month)
    return quantize(months * HUNDRED / 12)


def light_for_gap(gap: Decimal, rules: MonitoringRules) -> Light:
    """Light for execution lagging time progress by `gap` points (negative: ahead)."""
    if gap > rules.execution_red_gap:
        return Light.RED
    if gap > rules.execution_yellow_gap:
        return Light.YELLOW
    return Light.GREEN


def light_for_completion(completion: Decimal, rules: MonitoringRules) -> Light:
    if completion >= rules.indicator_green_at:
        return Light.GREEN
    if completion >= rules.indicator_yellow_at:
        return Light.YELLOW
    return Light.RED


def is_level(ind: MonitoringIndicator) -> bool:
    """A level (rate, ratio, per-unit cost, `=` or reverse target) rather than a running total."""
    return (
        measures_a_level(ind.unit, ind.name)
        or ind.comparator is Comparator.EQ
        or ind.effective_direction is Direction.REVERSE
    )


def expected_value(ind: MonitoringIndicator, progress: Decimal) -> Decimal | None:
    """The full-year value to expect: the unit's estimate, else the value to date projected."""
    if ind.expected is not None:
        return ind.expected
    if ind.value_to_date is None:
        return None
    if is_level(ind) or progress <= 0:
        return ind.value_to_date
    return quantize(ind.value_to_date * HUNDRED / progress)


def expected_completion(ind: MonitoringIndicator, progress: Decimal) -> Decimal | None:
    """预计完成程度 (%): expected value against the target, reverse indicators inverted; None if unknown."""
    if ind.kind is IndicatorKind.QUALITATIVE:
        if ind.on_track is None:
            return None
        return HUNDRED if ind.on_track else ZERO
    value = expected_value(ind, progress)
    if value is None or ind.target is None:
        return None
    if ind.effective_direction is Direction.REVERSE:
        if value <= ind.target:
            return HUNDRED
        return quantize(ind.target * HUNDRED / value) if value > 0 else HUNDRED
    if ind.target <= 0:
        return HUNDRED if value >= ind.target else ZERO
    return quantize(max(value, ZERO) * HUNDRED / ind.target)


@dataclass(frozen=True, slots=True)
class IndicatorLight:
    code: str
    name: str
    expected: Decimal | None
    completion: Decimal | None
    light: Light | None  # None: not enough figures to judge


@dataclass(frozen=True, slots=True)
class MonitoringResult:
    time_progress: Decimal
    execution_progress: Decimal | None
    gap: Decimal | None  # time progress − execution progress, percentage points
    budget_light: Light | None
    indicators: tuple[IndicatorLight, ...]

    @property
    def worst(self) -> Light | None:
        lights = [x for x in (self.budget_light, *(i.light for i in self.indicators)) if x is not None]
        return max(lights, key=LIGHT_ORDER.__getitem__) if lights else None

    def count(self, light: Light) -> int:
        return sum(1 for x in (self.budget_light, *(i.light for i in self.indicators)) if x is light)


def assess(report: MonitoringReport, rules: MonitoringRules) -> MonitoringResult:
    """Every light of a monitoring report under the rule set's thresholds."""
    progress = time_progress(report.cut_off, report.year)
    execution = percent(report.budget.executed_to_date, report.budget.annual)
    gap = None if execution is None else progress - execution
    lights = []
    for ind in report.indicators:
        completion = expected_completion(ind, progress)
        lights.append(
            IndicatorLight(
                code=ind.code,
                name=ind.name,
                expected=expected_value(ind, progress) if ind.kind is IndicatorKind.QUANTITATIVE else None,
                completion=completion,
                light=None if completion is None else light_for_completion(completion, rules),
            )
        )
    return MonitoringResult(
        time_progress=progress,
        execution_progress=execution,
        gap=gap,
        budget_light=None if gap is None else light_for_gap(gap, rules),
        indicators=tuple(lights),
    )
