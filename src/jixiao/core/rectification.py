"""问题整改 (rectification): a problem found becomes an item followed until it is closed.

Problems come from the self-evaluation, the auditor, a spot-check or the bureau's review. The
bureau (or the reviewing department) issues a notice with a deadline; the unit answers with a
plan, then with feedback on what it did; the reviewer closes the item or returns it to the unit.
The workflow is a pure state table, like `jixiao.core.workflow`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from jixiao.core.model import NonEmptyStr, Strict


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


class RectificationItem(Strict):
    code: NonEmptyStr = Field(description="整改事项编号")
    year: int = Field(ge=2000, le=2100, description="问题所属年度")
    unit: NonEmptyStr = Field(description="整改单位")
    source: Source = Field(description="问题来源")
    problem: NonEmptyStr = Field(description="存在的问题")
    requirement: str | None = Field(None, description="整改要求")
    deadline: dt.date = Field(description="整改期限")
    state: ItemState = Field(ItemState.NOTICED, description="状态")
    plan: str | None = Field(None, description="整改方案")
    feedback: str | None = Field(None, description="整改结果反馈")
    review_note: str | None = Field(None, description="复核意见")
    indicator_code: str | None = Field(None, description="涉及的指标编码")

    @property
    def is_open(self) -> bool:
        return self.state is not ItemState.CLOSED


def is_overdue(deadline: dt.date, today: dt.date, done: bool) -> bool:
    return not done and today > deadline


def is_due_soon(deadline: dt.date, today: dt.date, done: bool, days: int) -> bool:
    return not done and today <= deadline <= today + dt.timedelta(days=days)


def open_items(items: list[RectificationItem], unit: str) -> list[RectificationItem]:
    """A unit's items still open, the most urgent first: what next year's targets must show."""
    return sorted((i for i in items if i.unit == unit and i.is_open), key=lambda i: (i.deadline, i.code))
