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
