"""问题整改 (rectification): a problem found becomes an item followed until it is closed.

Problems come from the self-evaluation, the auditor, a spot-check or the bureau's review. The
bureau (or the reviewing department) issues a notice with a deadline; the unit answers with a
plan, then with feedback on what it did; the reviewer closes the item or returns it to the unit.
The workflow is a pure state table, like `jixiao.core.workflow`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from jixiao.core.model import MAX_INDICATORS, NonEmptyStr, Strict


class Source(StrEnum):
    SELF_EVALUATION = "self_evaluation"
    AUDIT = "audit"
    SPOT_CHECK = "spot_check"
    BUREAU_REVIEW = "bureau_review"
    MONITORING = "monitoring"


SOURCE_LABELS = {
    Source.SELF_EVALUATION: "绩效自评",
    Source.AUDIT: "报告审查",
    Source.SPOT_CHECK: "抽查复核",
    Source.BUREAU_REVIEW: "财政评审",
    Source.MONITORING: "绩效监控",
}


class ItemState(StrEnum):
    NOTICED = "noticed"
    PLANNED = "planned"
    FEEDBACK = "feedback"
    CLOSED = "closed"


ITEM_STATE_LABELS = {
    ItemState.NOTICED: "已下发整改通知",
    ItemState.PLANNED: "已报整改方案",
    ItemState.FEEDBACK: "已反馈，待复核",
    ItemState.CLOSED: "已销号",
}


class ItemAction(StrEnum):
    PLAN = "plan"
    FEEDBACK = "feedback"
    CLOSE = "close"
    RETURN = "return"


ITEM_ACTION_LABELS = {
    ItemAction.PLAN: "报送整改方案",
    ItemAction.FEEDBACK: "反馈整改结果",
    ItemAction.CLOSE: "复核销号",
    ItemAction.RETURN: "退回重改",
}

# Who acts: the unit plans and reports back, the reviewer closes or returns.
UNIT_ACTIONS = frozenset({ItemAction.PLAN, ItemAction.FEEDBACK})
REVIEWER_ACTIONS = frozenset({ItemAction.CLOSE, ItemAction.RETURN})

TRANSITIONS: dict[tuple[ItemState, ItemAction], ItemState] = {
    (ItemState.NOTICED, ItemAction.PLAN): ItemState.PLANNED,
    (ItemState.PLANNED, ItemAction.PLAN): ItemState.PLANNED,  # a revised plan
    (ItemState.PLANNED, ItemAction.FEEDBACK): ItemState.FEEDBACK,
    (ItemState.FEEDBACK, ItemAction.CLOSE): ItemState.CLOSED,
    (ItemState.FEEDBACK, ItemAction.RETURN): ItemState.PLANNED,
}


class RectificationError(Exception):
    """An action the rectification workflow does not allow (message in Chinese)."""


def next_item_state(state: ItemState, action: ItemAction) -> ItemState:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise RectificationError(
            f"整改事项当前为“{ITEM_STATE_LABELS[state]}”，不能{ITEM_ACTION_LABELS[action]}"
        ) from None


def allowed_actions(state: ItemState) -> list[ItemAction]:
    return [action for (from_state, action) in TRANSITIONS if from_state == state]


def _by_label(labels: dict[Any, str], value: Any) -> Any:
    """A Chinese label ("绩效自评", "已销号") read as its value, so a file or a form may use either."""
    if isinstance(value, str):
        found = next((key for key, label in labels.items() if label == value.strip()), None)
        return found.value if found is not None else value
    return value


class RectificationItem(Strict):
    code: NonEmptyStr = Field(description="整改事项编号")
    year: int = Field(ge=2000, le=2100, description="问题所属年度")
    unit: NonEmptyStr = Field(description="整改单位")
    # Source and problem may be missing in a file: the checks (R006, R007) say so with the line,
    # rather than the whole list being refused.
    source: Source | None = Field(None, description="问题来源：self_evaluation 绩效自评 / audit 报告审查 / spot_check 抽查复核 / bureau_review 财政评审 / monitoring 绩效监控")
    problem: str | None = Field(None, description="存在的问题")
    requirement: str | None = Field(None, description="整改要求")
    noticed_on: dt.date | None = Field(None, description="整改通知下发日期")
    deadline: dt.date = Field(description="整改期限")
    state: ItemState = Field(ItemState.NOTICED, description="状态：noticed 已下发 / planned 已报方案 / feedback 已反馈待复核 / closed 已销号")
    plan: str | None = Field(None, description="整改方案")
    feedback: str | None = Field(None, description="整改结果反馈")
    review_note: str | None = Field(None, description="复核意见")
    closed_on: dt.date | None = Field(None, description="销号日期")
    indicator_code: str | None = Field(None, description="涉及的指标编码")

    @field_validator("source", mode="before")
    @classmethod
    def _source_label(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else _by_label(SOURCE_LABELS, value)

    @field_validator("state", mode="before")
    @classmethod
    def _state_label(cls, value: Any) -> Any:
        return _by_label(ITEM_STATE_LABELS, value)

    @property
    def is_open(self) -> bool:
        return self.state is not ItemState.CLOSED


class RectificationList(Strict):
    """A rectification list (整改清单) as exchanged in a file: the items of one notice or one year.

    `year`, `unit` and `noticed_on` given once for the list hold for every item that does not say
    otherwise; `as_of` is the date overdue items are judged at (the day the list is checked when absent).
    """

    stage: Literal["rectification"] = Field("rectification", description="文件类型：rectification 问题整改")
    year: int = Field(ge=2000, le=2100, description="问题所属年度")
    title: str | None = Field(None, description="清单名称，如 2024年度绩效自评问题整改清单")
    issuer: str | None = Field(None, description="下发单位（财政局或主管部门）")
    unit: str | None = Field(None, description="整改单位（各事项相同时在此填写一次）")
    noticed_on: dt.date | None = Field(None, description="整改通知下发日期（各事项相同时在此填写一次）")
    as_of: dt.date | None = Field(None, description="统计截至日期：据此判断逾期（缺省为检查当天）")
    items: list[RectificationItem] = Field(min_length=1, max_length=MAX_INDICATORS, description="整改事项")

    @model_validator(mode="before")
    @classmethod
    def _shared_fields(cls, data: Any) -> Any:
        """Items inherit the list's year, unit and notice date (what a one-notice list states once)."""
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            return data
        shared = {key: data[key] for key in ("year", "unit", "noticed_on") if data.get(key) is not None}
        items = [{**shared, **item} if isinstance(item, dict) else item for item in data["items"]]
        return {**data, "items": items}

    @property
    def title_name(self) -> str:
        return self.title or self.issuer or self.unit or f"{self.year}年度问题整改清单"


def is_overdue(deadline: dt.date, today: dt.date, done: bool) -> bool:
    return not done and today > deadline


def is_due_soon(deadline: dt.date, today: dt.date, done: bool, days: int) -> bool:
    return not done and today <= deadline <= today + dt.timedelta(days=days)


def open_items(items: list[RectificationItem], unit: str) -> list[RectificationItem]:
    """A unit's items still open, the most urgent first: what next year's targets must show."""
    return sorted((i for i in items if i.unit == unit and i.is_open), key=lambda i: (i.deadline, i.code))


def overdue_items(items: list[RectificationItem], as_of: dt.date) -> list[RectificationItem]:
    """The items still open past their deadline at `as_of`, the longest overdue first."""
    late = (i for i in items if is_overdue(i.deadline, as_of, done=not i.is_open))
    return sorted(late, key=lambda i: (i.deadline, i.code))
