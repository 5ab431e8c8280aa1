"""Tasks and deadlines: what a person has to do, sorted into the to-do list's buckets.

The bureau issues each stage's task (申报、监控、自评、整改) to a scope with a deadline. For one
person, each record of a task falls into the buckets below; a record can be in two (a returned
target declaration that is also overdue is 被退回 and 已逾期).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from jixiao.core.rectification import is_due_soon, is_overdue
from jixiao.core.workflow import State


class StageKind(StrEnum):
    TARGETS = "targets"
    MONITORING = "monitoring"
    SELF_EVALUATION = "self_evaluation"
    RECTIFICATION = "rectification"


STAGE_KIND_LABELS = {
    StageKind.TARGETS: "绩效目标申报",
    StageKind.MONITORING: "绩效运行监控",
    StageKind.SELF_EVALUATION: "绩效自评",
    StageKind.RECTIFICATION: "问题整改",
}


class Bucket(StrEnum):
    TO_FILL = "to_fill"
    TO_REVIEW = "to_review"
    RETURNED = "returned"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


BUCKET_LABELS = {
    Bucket.TO_FILL: "待填报",
    Bucket.TO_REVIEW: "待审核",
    Bucket.RETURNED: "被退回",
    Bucket.DUE_SOON: "即将到期",
    Bucket.OVERDUE: "已逾期",
}


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One record as one person sees it: whether it waits for them to fill in or to review."""

    stage: StageKind
    waits_to_fill: bool  # the person prepares it and it is still open for them (draft / not started)
    waits_to_review: bool  # it is pending at a stage this person reviews
    returned: bool  # it was sent back to this person
    done: bool  # submitted-and-approved, closed: no more deadlines
    deadline: dt.date | None


def buckets(item: WorkItem, today: dt.date, due_soon_days: int) -> list[Bucket]:
    found: list[Bucket] = []
    if item.returned:
        found.append(Bucket.RETURNED)
    elif item.waits_to_fill:
        found.append(Bucket.TO_FILL)
    if item.waits_to_review:
        found.append(Bucket.TO_REVIEW)
    mine = item.returned or item.waits_to_fill or item.waits_to_review
    if mine and item.deadline is not None:
        if is_overdue(item.deadline, today, item.done):
            found.append(Bucket.OVERDUE)
        elif is_due_soon(item.deadline, today, item.done, due_soon_days):
            found.append(Bucket.DUE_SOON)
    return found


AFTER_APPROVAL = "目标审核通过后，本轮监控表自动生成，目标值自动带入"


def monitoring_blocked_note(year: int, targets_state: State | None, stage_label: str = "") -> str:
    """Why a unit in a monitoring round's scope cannot fill the round's report yet, and what to do:
    the report is made from approved targets, so the targets' state says whose move it is."""
    if targets_state is None:
        return f"尚未申报{year}年绩效目标，暂不能填报监控表。请先申报绩效目标并送审；{AFTER_APPROVAL}。"
    if targets_state is State.PENDING:
        where = f"正在{stage_label}" if stage_label else "正在审核"
        return f"{year}年绩效目标{where}，暂不能填报监控表。请联系审核人尽快审核；{AFTER_APPROVAL}。"
    if targets_state is State.RETURNED:
        return f"{year}年绩效目标已被退回，暂不能填报监控表。请按退回意见修改后重新送审；{AFTER_APPROVAL}。"
    if targets_state is State.APPROVED:
        return ""
    return f"{year}年绩效目标尚未送审，暂不能填报监控表。请完善后送审；{AFTER_APPROVAL}。"
