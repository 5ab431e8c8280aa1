"""Each user's to-do list (待填报/待审核/被退回/即将到期/已逾期) from the records in their scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from jixiao.core.rectification import ItemState
from jixiao.core.todo import BUCKET_LABELS, Bucket, StageKind, WorkItem, buckets
from jixiao.core.workflow import EDITABLE, Stage, State
from jixiao.web.permissions import STAGE_CAPABILITY, Capability, capabilities_for
from jixiao.web.planning.models import RecordKind, StageRecord
from jixiao.web.planning.services import rectifications, stage_records


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    what: str
    url: str
    deadline: dt.date | None
    buckets: tuple[Bucket, ...]

    @property
    def labels(self) -> list[str]:
        return [BUCKET_LABELS[b] for b in self.buckets]


def _record_item(user: User | AnonymousUser, record: StageRecord) -> WorkItem:
    caps = capabilities_for(user, record)
    state = State(record.state)
    reviewing = state is State.PENDING and bool(record.stage) and STAGE_CAPABILITY[Stage(record.stage)] in caps
    adjusting = record.pending_adjustments > 0 and Capability.REVIEW_FINANCE in caps
    return WorkItem(
        stage=StageKind(record.kind),
        waits_to_fill=Capability.EDIT in caps and state in EDITABLE,
        waits_to_review=reviewing or adjusting,
        returned=Capability.EDIT in caps and state is State.RETURNED,
        done=state is State.APPROVED,
        deadline=record.deadline,
    )


def todo_for(user: User | AnonymousUser, today: dt.date, due_soon_days: int) -> list[Entry]:
    entries: list[Entry] = []
    for record in stage_records(user).exclude(state=State.APPROVED.value, pending_adjustments=0):
        found = buckets(_record_item(user, record), today, due_soon_days)
        if found:
            what = RecordKind(record.kind).label + ("（目标调整待审批）" if record.pending_adjustments and record.state == State.APPROVED.value else "")
            entries.append(Entry(f"{record.year} {record.title}", what, f"/plan/r/{record.pk}/", record.deadline, tuple(found)))
    for item in rectifications(user).exclude(state=ItemState.CLOSED.value):
        caps = capabilities_for(user, item)
        unit_turn = ItemState(item.state) in (ItemState.NOTICED, ItemState.PLANNED)
        work = WorkItem(
            stage=StageKind.RECTIFICATION,
            waits_to_fill=Capability.EDIT in caps and unit_turn,
            waits_to_review=ItemState(item.state) is ItemState.FEEDBACK and bool(caps & {Capability.REVIEW_DEPARTMENT, Capability.REVIEW_FINANCE}),
            returned=False,
            done=False,
            deadline=item.deadline,
        )
        found = buckets(work, today, due_soon_days)
        if found:
            entries.append(Entry(f"{item.code} {item.problem[:40]}", "问题整改", f"/plan/rect/{item.pk}/", item.deadline, tuple(found)))
    return sorted(entries, key=lambda e: (Bucket.OVERDUE not in e.buckets, e.deadline or dt.date.max, e.title))
