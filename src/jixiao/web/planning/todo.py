"""Each user's to-do list (待填报/待审核/被退回/即将到期/已逾期): target declarations and monitoring
reports, self-evaluations, rectification items, and tasks a unit has not started yet — a monitoring
round included while the unit's targets are not approved (its report cannot exist before), with a
note saying why and what to do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse

from jixiao.core.rectification import ItemState
from jixiao.core.todo import (
    BUCKET_LABELS,
    STAGE_KIND_LABELS,
    Bucket,
    StageKind,
    WorkItem,
    buckets,
    monitoring_blocked_note,
)
from jixiao.core.workflow import EDITABLE, STAGE_LABELS, Stage, State
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Organisation
from jixiao.web.permissions import (
    STAGE_CAPABILITY,
    Capability,
    Scoped,
    capabilities_for,
    units_to_prepare,
    visible_evaluations,
)
from jixiao.web.planning.models import RecordKind, StageRecord
from jixiao.web.planning.services import rectifications, rounds_covering, stage_records, task_deadlines


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    what: str
    url: str
    deadline: dt.date | None
    buckets: tuple[Bucket, ...]
    note: str = ""  # why it cannot be done yet and what to do (a round waiting for approved targets)

    @property
    def labels(self) -> list[str]:
        return [BUCKET_LABELS[b] for b in self.buckets]

    @property
    def tags(self) -> list[tuple[str, str]]:
        return [(b.value, BUCKET_LABELS[b]) for b in self.buckets]


def _workflow_item(user: User | AnonymousUser, record: Scoped, kind: StageKind, deadline: dt.date | None,
                   extra_review: bool = False) -> WorkItem:
    """A record with the evaluations' workflow (a declaration, a monitoring report, a self-evaluation)."""
    caps = capabilities_for(user, record)
    state = State(record.state)
    reviewing = state is State.PENDING and bool(record.stage) and STAGE_CAPABILITY[Stage(record.stage)] in caps
    return WorkItem(
        stage=kind,
        waits_to_fill=Capability.EDIT in caps and state in EDITABLE,
        waits_to_review=reviewing or extra_review,
        returned=Capability.EDIT in caps and state is State.RETURNED,
        done=state is State.APPROVED,
        deadline=deadline,
    )


def todo_for(user: User | AnonymousUser, today: dt.date, due_soon_days: int) -> list[Entry]:
    entries: list[Entry] = []
    records = list(stage_records(user).exclude(state=State.APPROVED.value, pending_adjustments=0))
    waiting_rounds = rounds_covering(list({r.unit for r in records if r.kind == RecordKind.TARGETS and r.state != State.APPROVED.value}))
    for record in records:
        adjusting = record.pending_adjustments > 0 and Capability.REVIEW_FINANCE in capabilities_for(user, record)
        found = buckets(_workflow_item(user, record, StageKind(record.kind), record.deadline, adjusting), today, due_soon_days)
        if found:
            what = RecordKind(record.kind).label + ("（目标调整待审批）" if record.pending_adjustments and record.state == State.APPROVED.value else "")
            rounds = [r for r in waiting_rounds.get(record.unit_id, []) if r.year == record.year and record.kind == RecordKind.TARGETS]
            note = "；".join(f"“{r.name}”（期限 {r.deadline.isoformat()}）待此目标审核通过后才能填报" for r in rounds)
            entries.append(Entry(f"{record.year} {record.title}", what, reverse("planning:record", args=[record.pk]), record.deadline,
                                 tuple(found), note))
    entries += _evaluations(user, today, due_soon_days)
    entries += _not_started(user, today, due_soon_days)
    entries += _rounds_before_targets(list(units_to_prepare(user)), today, due_soon_days)
    for item in rectifications(user).exclude(state=ItemState.CLOSED.value):
        caps = capabilities_for(user, item)
        unit_turn = ItemState(item.state) in (ItemState.NOTICED, ItemState.PLANNED)
        work = WorkItem(
            stage=StageKind.RECTIFICATION,
            waits_to_fill=Capability.EDIT in caps and unit_turn,
            waits_to_review=ItemState(item.state) is ItemState.FEEDBACK and bool(caps & {Capability.REVIEW_DEPARTMENT, Capability.REVIEW_FINANCE}),
            # returned by the reviewer (its note kept) and not yet reported on again
            returned=Capability.EDIT in caps and ItemState(item.state) is ItemState.PLANNED and bool(item.review_note),
            done=False,
            deadline=item.deadline,
        )
        found = buckets(work, today, due_soon_days)
        if found:
            entries.append(Entry(f"{item.code} {item.problem[:40]}", "问题整改", reverse("planning:rectification", args=[item.pk]), item.deadline, tuple(found)))
    return sorted(entries, key=lambda e: (Bucket.OVERDUE not in e.buckets, e.deadline or dt.date.max, e.title))


def _evaluations(user: User | AnonymousUser, today: dt.date, due_soon_days: int) -> list[Entry]:
    """Self-evaluations waiting for this user; their deadline is the self-evaluation task's."""
    open_ones = list(visible_evaluations(user).exclude(state=State.APPROVED.value).select_related("unit")[:500])
    deadlines = task_deadlines(StageKind.SELF_EVALUATION, list({e.unit for e in open_ones}))
    entries = []
    for evaluation in open_ones:
        task = deadlines.get((evaluation.unit_id, evaluation.year))
        deadline = task.deadline if task is not None else None
        found = buckets(_workflow_item(user, evaluation, StageKind.SELF_EVALUATION, deadline), today, due_soon_days)
        if found:
            entries.append(Entry(f"{evaluation.year} {evaluation.title}", STAGE_KIND_LABELS[StageKind.SELF_EVALUATION],
                                 reverse("evaluations:detail", args=[evaluation.pk]), deadline, tuple(found)))
    return entries


def _not_started(user: User | AnonymousUser, today: dt.date, due_soon_days: int) -> list[Entry]:
    """A task issued to a unit this user prepares for, with nothing filed yet: 待填报 (and late or not)."""
    units = list(units_to_prepare(user))
    entries = []
    for kind, url in ((StageKind.TARGETS, reverse("planning:targets_new")), (StageKind.SELF_EVALUATION, reverse("evaluations:new"))):
        tasks = task_deadlines(kind, units)
        if not tasks:
            continue
        model = StageRecord.objects.filter(kind=RecordKind.TARGETS) if kind is StageKind.TARGETS else Evaluation.objects.filter(deleted_at__isnull=True)
        filed = set(model.filter(unit__in=units).values_list("unit_id", "year"))
        for (unit_id, year), task in tasks.items():
            if (unit_id, year) in filed:
                continue
            work = WorkItem(stage=kind, waits_to_fill=True, waits_to_review=False, returned=False, done=False, deadline=task.deadline)
            unit = next(u for u in units if u.pk == unit_id)
            entries.append(Entry(f"{task.title}（{unit.name}，尚未填报）", STAGE_KIND_LABELS[kind], url, task.deadline,
                                 tuple(buckets(work, today, due_soon_days))))
    return entries


def _rounds_before_targets(units: list[Organisation], today: dt.date, due_soon_days: int) -> list[Entry]:
    """A monitoring round covering a unit whose targets of the year are not approved: the round made no
    report for them, yet the unit owes one by the round's deadline. One entry per declaration still in
    review or preparation (linking to it), and one for a unit that has not declared at all."""
    covering = rounds_covering(units)
    years = {r.year for rounds in covering.values() for r in rounds}
    if not years:
        return []
    declared = list(StageRecord.objects.filter(kind=RecordKind.TARGETS, unit__in=units, year__in=years, deleted_at__isnull=True)
                    .only("pk", "unit_id", "year", "title", "state", "stage"))
    entries = []
    label = STAGE_KIND_LABELS[StageKind.MONITORING]
    for unit in units:
        for round_ in covering[unit.pk]:
            work = WorkItem(stage=StageKind.MONITORING, waits_to_fill=True, waits_to_review=False, returned=False, done=False,
                            deadline=round_.deadline)
            found = tuple(buckets(work, today, due_soon_days))
            mine = [d for d in declared if d.unit_id == unit.pk and d.year == round_.year]
            for targets in mine:
                if targets.state == State.APPROVED.value:
                    continue
                stage = STAGE_LABELS[Stage(targets.stage)] if targets.stage else ""
                entries.append(Entry(f"{round_.name}：{targets.title}（目标尚未审核通过）", label,
                                     reverse("planning:record", args=[targets.pk]), round_.deadline, found,
                                     monitoring_blocked_note(round_.year, State(targets.state), stage)))
            if not mine:
                entries.append(Entry(f"{round_.name}（{unit.name}，尚未申报绩效目标）", label, reverse("planning:targets_new"),
                                     round_.deadline, found, monitoring_blocked_note(round_.year, None)))
    return entries


def counts(entries: list[Entry]) -> list[tuple[Bucket, str, int]]:
    return [(b, BUCKET_LABELS[b], sum(1 for e in entries if b in e.buckets)) for b in Bucket]
