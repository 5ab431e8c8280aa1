"""Business logic of the year's other stages; views only parse requests and render.

Targets and monitoring reports follow the evaluations' workflow (core `workflow` state table) and
the one permission function; each change appends a version. An approved declaration is locked:
it changes only through an adjustment request (kept inside the declaration, so its history
travels with it) that a finance reviewer approves or refuses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from pydantic import ValidationError

from jixiao.core.chain import evaluation_indicators, monitoring_from_targets
from jixiao.core.findings import Severity
from jixiao.core.model import Budget, Comparator, Indicator, Narrative
from jixiao.core.model import Evaluation as EvaluationModel
from jixiao.core.monitoring import MonitoringReport
from jixiao.core.rectification import (
    ItemAction,
    ItemState,
    RectificationItem,
    RectificationList,
    Source,
    next_item_state,
)
from jixiao.core.stage_evaluate import StageResult, evaluate_stage
from jixiao.core.targets import (
    Decision,
    EntryStage,
    TargetAdjustment,
    TargetDeclaration,
    TargetIndicator,
    apply_adjustments,
)
from jixiao.core.todo import STAGE_KIND_LABELS, StageKind
from jixiao.core.workflow import Action, Position, Stage, State, next_position
from jixiao.io.errors import InputError
from jixiao.io.pydantic_errors import problems_from
from jixiao.io.stage_file import StageDocument
from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role
from jixiao.web.permissions import Act, Capability, allowed, capabilities_for, grants_of, units_to_prepare, visible
from jixiao.web.planning.models import (
    NOTICE,
    EvaluationLink,
    IndicatorUse,
    MonitoringRound,
    Notification,
    RecordKind,
    Rectification,
    RectificationStep,
    StageRecord,
    StageVersion,
    Task,
    UseStage,
)

User = AuthUser | AnonymousUser
StageModel = TargetDeclaration | MonitoringReport


def _require(user: User, act: Act, record: StageRecord | Rectification) -> None:
    if not allowed(user, act, record):
        raise PermissionDenied("您没有权限进行此操作，或当前状态不允许。")


def _actor(user: User) -> AuthUser | None:
    return user if isinstance(user, AuthUser) else None


def model_of(record: StageRecord, data: dict[str, Any] | None = None) -> StageModel:
    source = f"{record.title}（第 {record.current_version} 版）"
    model_type = TargetDeclaration if record.kind == RecordKind.TARGETS else MonitoringReport
    try:
        return model_type.model_validate(record.data if data is None else data)
    except ValidationError as exc:
        raise InputError(source, problems_from(exc, {})) from None


def to_data(model: StageModel | RectificationList) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def assess(record: StageRecord, model: StageModel | None = None) -> StageResult:
    model = model or model_of(record)
    targets = model_of(record.targets) if record.targets is not None else None
    assert targets is None or isinstance(targets, TargetDeclaration)
    return evaluate_stage(model, evaluation_services.rules_for(evaluation_services.rules_name_for(record.year)), targets)


def _columns(record: StageRecord, model: StageModel) -> dict[str, Any]:
    return stage_columns(assess(record, model), model)


def stage_columns(result: StageResult, model: StageModel) -> dict[str, Any]:
    """The record's columns derived from its data: stored data, title, worst light, pending adjustments, counts."""
    worst = result.lights.worst if result.lights is not None else None
    pending = sum(1 for a in model.adjustments if a.decision is Decision.PENDING) if isinstance(model, TargetDeclaration) else 0
    return {
        "data": to_data(model),
        "title": model.title_name,
        "worst_light": worst.value if worst else "",
        "pending_adjustments": pending,
        "error_count": sum(1 for f in result.findings if f.severity is Severity.ERROR),
        "warning_count": sum(1 for f in result.findings if f.severity is Severity.WARNING),
    }


def _version(record: StageRecord, user: User, note: str) -> None:
    StageVersion.objects.create(
        record=record, number=record.current_version, data=record.data, state=record.state, note=note, created_by=_actor(user)
    )


@transaction.atomic
def create_targets(user: User, unit: Organisation, model: TargetDeclaration, note: str = "新建") -> StageRecord:
    if not units_to_prepare(user).filter(pk=unit.pk).exists():
        raise PermissionDenied("您不是该单位的填报人。")
    model = model.model_copy(update={"unit": model.unit.model_copy(update={"name": unit.name})})
    task = task_deadlines(StageKind.TARGETS, [unit]).get((unit.pk, model.year))
    record = StageRecord(kind=RecordKind.TARGETS, unit=unit, department=unit.department, year=model.year,
                         deadline=task.deadline if task is not None else None)
    for name, value in _columns(record, model).items():
        setattr(record, name, value)
    record.save()
    _version(record, user, note)
    return record


@transaction.atomic
def save_stage(user: User, record: StageRecord, model: StageModel, base_version: int, note: str = "保存") -> StageRecord:
    """A new version of an editable record; a locked declaration refuses (use an adjustment)."""
    locked = StageRecord.objects.select_for_update().get(pk=record.pk)
    _require(user, Act.EDIT, locked)
    if locked.current_version != base_version:
        raise evaluation_services.ConflictError(locked, base_version)  # type: ignore[arg-type]
    if isinstance(model, TargetDeclaration):
        before = model_of(locked)
        assert isinstance(before, TargetDeclaration)
        model = model.model_copy(update={"adjustments": before.adjustments, "year": locked.year})
    else:
        model = model.model_copy(update={"year": locked.year})
    for name, value in _columns(locked, model).items():
        setattr(locked, name, value)
    locked.current_version += 1
    locked.save()
    _version(locked, user, note)
    return locked


def upload_monitoring(user: User, record: StageRecord, document: Any, source: str, table: bool, base_version: int) -> tuple[StageRecord, list[str]]:
    """An uploaded 监控表 into this monitoring report: its figures as a new version, the targets kept
    (see `uploads.merged_report`); returns the record and the indicators the file left out."""
    from jixiao.web.planning.uploads import merged_report

    if record.kind != RecordKind.MONITORING:
        raise ValueError("只有运行监控记录可以上传监控表。")
    _require(user, Act.EDIT, record)
    current = model_of(record)
    assert isinstance(current, MonitoringReport)
    merged, left_out = merged_report(current, document, source, table)
    saved = save_stage(user, record, merged, base_version, note=f"上传 {source}")
    return saved, left_out


ACT_FOR = {Action.SUBMIT: Act.SUBMIT, Action.WITHDRAW: Act.WITHDRAW, Action.APPROVE: Act.REVIEW, Action.RETURN: Act.REVIEW}


@transaction.atomic
def transition(user: User, record: StageRecord, action: Action, reason: str = "") -> StageRecord:
    locked = StageRecord.objects.select_for_update().get(pk=record.pk)
    _require(user, ACT_FOR[action], locked)
    if action is Action.RETURN and not reason.strip():
        raise ValueError("退回时必须填写退回理由。")
    if action is Action.SUBMIT and locked.error_count:
        raise ValueError(f"还有 {locked.error_count} 个错误，请改正后再送审。")
    target = next_position(Position(State(locked.state), Stage(locked.stage) if locked.stage else None), action)
    locked.state, locked.stage = target.state.value, target.stage.value if target.stage else ""
    locked.save(update_fields=["state", "stage", "updated_at"])
    url = reverse("planning:record", args=[locked.pk])
    kind = locked.get_kind_display()
    if action is Action.RETURN:
        notify(preparers_of(locked.unit), f"{locked.year}年{kind}“{locked.title}”被退回：{reason.strip()}", url)
    elif target.state is State.PENDING and target.stage is not None:
        notify(reviewers_of(locked.unit, target.stage), f"{locked.year}年{kind}“{locked.title}”待您审核", url)
    elif target.state is State.APPROVED:
        notify(preparers_of(locked.unit), f"{locked.year}年{kind}“{locked.title}”已审核通过", url)
        if locked.kind == RecordKind.TARGETS:
            record_uses(locked, UseStage.TARGET)
            join_issued_rounds(user, locked)
        else:
            record_uses(locked, UseStage.MONITORING)
    return locked


def record_uses(record: StageRecord, use: UseStage, only: set[str] | None = None) -> None:
    """Remember the indicators' values at this step, keyed by code, for next years' targets."""
    from jixiao.web.planning.library import code_by_name

    model = model_of(record)
    if isinstance(model, TargetDeclaration):
        by_name = code_by_name()  # typed with a library entry's name: that entry's use too
        rows = [
            (i.code, i.name, i.library_code or by_name.get(i.name.strip(), ""), shown(i.comparator, i.target, i.target_text, i.unit))
            for i in apply_adjustments(model).indicators
        ]
    else:
        rows = [
            (i.code, i.name, "", shown(None, i.value_to_date, i.value_text, i.unit))
            for i in model.indicators
        ]
    IndicatorUse.objects.bulk_create(
        IndicatorUse(code=code, unit=record.unit, year=record.year, use=use, name=name, library_code=lib, shown=text, record=record)
        for code, name, lib, text in rows
        if only is None or code in only
    )


def shown(comparator: object, value: Decimal | None, text: str | None, unit: str | None) -> str:
    from jixiao.core.money import fmt
    from jixiao.report.text import COMPARATOR_SYMBOLS

    if value is not None:
        symbol = COMPARATOR_SYMBOLS.get(comparator, "") if comparator is not None else ""  # type: ignore[call-overload]
        return f"{symbol}{fmt(value)}{unit or ''}"
    return text or "—"


def history(unit: Organisation, codes: list[str]) -> dict[str, list[IndicatorUse]]:
    """Every recorded value of these indicators of the unit, all years, in one query."""
    found: dict[str, list[IndicatorUse]] = {code: [] for code in codes}
    for use in IndicatorUse.objects.filter(unit=unit, code__in=codes).order_by("year", "at", "id"):
        found[use.code].append(use)
    return found


def past_values(unit: Organisation, year: int, indicators: list[TargetIndicator]) -> list[list[str]]:
    """For each indicator being declared, its targets and actuals of earlier years at this unit: the
    recorded uses (same code or same library entry) and the unit's earlier self-evaluations (same
    name), newest year first, as "2024 目标 ≥100个". Two queries whatever the number of rows."""
    from jixiao.web.desk.models import IndicatorRow

    codes = {i.code for i in indicators}
    library_codes = {i.library_code for i in indicators if i.library_code}
    names = {i.name for i in indicators}
    uses = list(IndicatorUse.objects.filter(unit=unit, year__lt=year, year__gte=year - PAST_YEARS)
                .filter(Q(code__in=codes) | Q(library_code__in=library_codes)).order_by("-year", "at", "id"))
    rows = list(IndicatorRow.objects.filter(evaluation__unit=unit, evaluation__deleted_at__isnull=True, name__in=names,
                                            year__lt=year, year__gte=year - PAST_YEARS).order_by("-year", "position"))
    found: list[list[str]] = []
    for ind in indicators:
        mine = [u for u in uses if u.code == ind.code or (ind.library_code and u.library_code == ind.library_code)]
        lines = [(u.year, f"{u.year} {UseStage(u.use).label} {u.shown}") for u in mine]
        known = {(u.year, u.use) for u in mine}
        for row in rows:
            if row.name != ind.name:
                continue
            comparator = Comparator(row.comparator) if row.comparator in {c.value for c in Comparator} else None
            if (row.year, UseStage.TARGET) not in known and row.target is not None:
                lines.append((row.year, f"{row.year} {UseStage.TARGET.label} {shown(comparator, row.target, None, row.unit)}"))
            if (row.year, UseStage.ACTUAL) not in known and row.actual is not None:
                lines.append((row.year, f"{row.year} {UseStage.ACTUAL.label} {shown(None, row.actual, None, row.unit)}"))
            known |= {(row.year, UseStage.TARGET), (row.year, UseStage.ACTUAL)}
        found.append([text for _, text in sorted(dict.fromkeys(lines), key=lambda line: -line[0])])
    return found


PAST_YEARS = 3  # how far back the declaration form looks


# ---- adjustments -----------------------------------------------------------------------------


@transaction.atomic
def request_adjustment(user: User, record: StageRecord, changes: dict[str, Any], reason: str) -> StageRecord:
    locked = StageRecord.objects.select_for_update().get(pk=record.pk)
    caps = capabilities_for(user, locked)
    if not locked.locked or Capability.EDIT not in caps:
        raise PermissionDenied("只有已审核通过的绩效目标可以申请调整，且须由本单位填报人申请。")
    model = model_of(locked)
    assert isinstance(model, TargetDeclaration)
    if model.indicator(str(changes.get("code", ""))) is None:
        raise ValueError("请选择要调整的指标。")
    adjustment = TargetAdjustment.model_validate({**changes, "reason": reason, "requested_on": timezone.localdate()})
    updated = model.model_copy(update={"adjustments": [*model.adjustments, adjustment]})
    _store(locked, updated, user, f"申请调整指标 {adjustment.code}")
    notify(reviewers_of(locked.unit, Stage.FINANCE), f"“{locked.title}”申请调整绩效目标 {adjustment.code}", reverse("planning:record", args=[locked.pk]))
    return locked


@transaction.atomic
def decide_adjustment(user: User, record: StageRecord, index: int, approve: bool, note: str = "") -> StageRecord:
    locked = StageRecord.objects.select_for_update().get(pk=record.pk)
    if Capability.REVIEW_FINANCE not in capabilities_for(user, locked):
        raise PermissionDenied("目标调整由财政审核人审批。")
    model = model_of(locked)
    assert isinstance(model, TargetDeclaration)
    if not 0 <= index < len(model.adjustments) or model.adjustments[index].decision is not Decision.PENDING:
        raise ValueError("该调整申请不存在或已审批。")
    adjustments = list(model.adjustments)
    decision = Decision.APPROVED if approve else Decision.REFUSED
    adjustments[index] = adjustments[index].model_copy(
        update={"decision": decision, "decided_on": timezone.localdate(), "decision_note": note or None}
    )
    updated = model.model_copy(update={"adjustments": adjustments})
    _store(locked, updated, user, f"{'批准' if approve else '不批准'}调整 {adjustments[index].code}")
    if approve:
        record_uses(locked, UseStage.ADJUSTED, only={adjustments[index].code})
        _follow_adjustment(locked)
    notify(preparers_of(locked.unit), f"“{locked.title}”的目标调整（{adjustments[index].code}）{'已批准' if approve else '未批准'}",
           reverse("planning:record", args=[locked.pk]))
    return locked


def _store(record: StageRecord, model: StageModel, user: User, note: str) -> None:
    for name, value in _columns(record, model).items():
        setattr(record, name, value)
    record.current_version += 1
    record.save()
    _version(record, user, note)


def _follow_adjustment(targets: StageRecord) -> None:
    """Open monitoring reports of these targets take the adjusted target (nothing retyped)."""
    declaration = model_of(targets)
    assert isinstance(declaration, TargetDeclaration)
    in_force = {i.code: i for i in apply_adjustments(declaration).indicators}
    for report_record in StageRecord.objects.filter(targets=targets, kind=RecordKind.MONITORING):
        report = model_of(report_record)
        assert isinstance(report, MonitoringReport)
        indicators = [
            ind.model_copy(update={k: getattr(in_force[ind.code], k) for k in ("comparator", "target", "target_text", "unit")})
            if ind.code in in_force else ind
            for ind in report.indicators
        ]
        _store(report_record, report.model_copy(update={"indicators": indicators}), AnonymousUser(), "随目标调整更新")


# ---- monitoring rounds ------------------------------------------------------------------------


def reviewer_scope(user: User) -> list[Organisation]:
    """Organisations the user may issue rounds, tasks and rectification notices to (department or bureau reviewers)."""
    ids = [
        g.organisation_id for g in grants_of(user)
        if g.kind in (OrgKind.FINANCE, OrgKind.DEPARTMENT)
        and (Capability.REVIEW_FINANCE in g.capabilities or Capability.REVIEW_DEPARTMENT in g.capabilities)
    ]
    return list(Organisation.objects.filter(pk__in=ids))


def units_in(scope: Organisation) -> QuerySet[Organisation]:
    units = Organisation.objects.filter(kind=OrgKind.UNIT)
    if scope.kind == OrgKind.FINANCE:
        return units
    if scope.kind == OrgKind.DEPARTMENT:
        return units.filter(department=scope)
    return units.filter(pk=scope.pk)


def _may_issue(user: User, scope: Organisation, mine: list[Organisation] | None = None) -> bool:
    mine = reviewer_scope(user) if mine is None else mine
    return any(s.kind == OrgKind.FINANCE or s.pk == scope.pk or (scope.department_id == s.pk) for s in mine)


@transaction.atomic
def issue_round(user: User, scope: Organisation, year: int, name: str, cut_off: dt.date, deadline: dt.date) -> MonitoringRound:
    """The bureau's notice: every approved declaration of the year in scope gets a monitoring report to fill."""
    if not _may_issue(user, scope):
        raise PermissionDenied("只有财政或主管部门审核人可以在其范围内下发监控任务。")
    if cut_off.year != year:
        raise ValueError("监控截止日期应在监控年度内。")
    round_ = MonitoringRound.objects.create(year=year, name=name, cut_off=cut_off, deadline=deadline, scope=scope, created_by=_actor(user))
    Task.objects.create(kind=StageKind.MONITORING, year=year, title=name, scope=scope, deadline=deadline, created_by=_actor(user))
    approved = StageRecord.objects.filter(
        kind=RecordKind.TARGETS, year=year, state=State.APPROVED.value, unit__in=units_in(scope)
    ).select_related("unit")
    for targets in approved:
        _monitoring_record(user, round_, targets)
    return round_


def _monitoring_record(user: User, round_: MonitoringRound, targets: StageRecord) -> StageRecord:
    """The monitoring report a round asks of one approved declaration, its preparers told."""
    declaration = model_of(targets)
    assert isinstance(declaration, TargetDeclaration)
    report = monitoring_from_targets(declaration, round_.cut_off, Decimal(0), round_name=round_.name)
    record = StageRecord(kind=RecordKind.MONITORING, unit=targets.unit, department=targets.department, year=round_.year,
                         targets=targets, round=round_, deadline=round_.deadline)
    for field, value in _columns(record, report).items():
        setattr(record, field, value)
    record.save()
    _version(record, user, f"下发：{round_.name}")
    notify(preparers_of(targets.unit), f"请于{round_.deadline.isoformat()}前填报“{round_.name}”：{targets.title}",
           reverse("planning:record", args=[record.pk]))
    return record


def rounds_covering(units: list[Organisation]) -> dict[int, list[MonitoringRound]]:
    """Unit id → the monitoring rounds issued to it, its department or by the bureau (earliest deadline
    first), in one query."""
    if not units:
        return {}
    scopes = {u.pk for u in units} | {u.department_id for u in units if u.department_id}
    rounds = list(MonitoringRound.objects.filter(Q(scope_id__in=scopes) | Q(scope__kind=OrgKind.FINANCE))
                  .select_related("scope").order_by("deadline", "id"))
    return {u.pk: [r for r in rounds if r.scope.kind == OrgKind.FINANCE or r.scope_id in (u.pk, u.department_id)] for u in units}


WAITING_SHOWN = 500  # a round's page lists at most this many units still without a report


def round_waiting(user: User, round_: MonitoringRound) -> tuple[list[dict[str, Any]], int]:
    """The units in a round's scope (and the user's) that have no report yet because their targets of the
    year are not approved: each declaration still in preparation or review, or the unit with none;
    the first WAITING_SHOWN rows and how many there are."""
    mine = Organisation.objects.none()
    for scope in reviewer_scope(user):
        mine |= units_in(scope)
    units = units_in(round_.scope).filter(pk__in=mine.values("pk")).order_by("name")
    declared = StageRecord.objects.filter(kind=RecordKind.TARGETS, year=round_.year, unit__in=units, deleted_at__isnull=True)
    pending = list(declared.exclude(state=State.APPROVED.value).select_related("unit").order_by("unit__name", "title"))
    rows: list[dict[str, Any]] = [{"unit": t.unit, "targets": t, "state": t.state_label + (f"（{t.stage_label}）" if t.stage else "")}
                                  for t in pending]
    rows += [{"unit": u, "targets": None, "state": "尚未申报"} for u in units.exclude(pk__in=declared.values("unit_id"))]
    rows.sort(key=lambda r: r["unit"].name)
    return rows[:WAITING_SHOWN], len(rows)


def join_issued_rounds(user: User, targets: StageRecord) -> list[StageRecord]:
    """Targets approved after a round of their year was issued to their unit still owe that round's report."""
    unit = targets.unit
    covering = Q(scope__kind=OrgKind.FINANCE) | Q(scope=unit) | (Q(scope_id=unit.department_id) if unit.department_id else Q(pk__in=[]))
    rounds = MonitoringRound.objects.filter(covering, year=targets.year).exclude(records__targets=targets)
    return [_monitoring_record(user, round_, targets) for round_ in rounds.order_by("cut_off", "id")]


# ---- tasks: each stage's notice to a scope, with a deadline -------------------------------------

TASK_KINDS = (StageKind.TARGETS, StageKind.MONITORING, StageKind.SELF_EVALUATION, StageKind.RECTIFICATION)


@transaction.atomic
def issue_task(user: User, scope: Organisation, kind: StageKind, year: int, title: str, deadline: dt.date) -> Task:
    """The bureau's (or a department's) notice: every unit in scope prepares this stage by `deadline`.
    A monitoring round (`issue_round`) and a rectification notice (`issue_rectification_task`) say more."""
    if not _may_issue(user, scope):
        raise PermissionDenied("只有财政或主管部门审核人可以在其范围内下发任务。")
    if kind in (StageKind.MONITORING, StageKind.RECTIFICATION):
        raise ValueError("运行监控任务需填写监控截止日期，整改任务需填写存在的问题。")
    task = Task.objects.create(kind=kind, year=year, title=title.strip() or f"{year}年{STAGE_KIND_LABELS[kind]}",
                               scope=scope, deadline=deadline, created_by=_actor(user))
    url = reverse("planning:todo")
    preparers = [u for unit in units_in(scope) for u in preparers_of(unit)]
    notify(preparers, f"新任务：{task.title}，请于{deadline.isoformat()}前完成", url)
    return task


@transaction.atomic
def issue_rectification_task(user: User, scope: Organisation, year: int, title: str, source: str, problem: str,
                             requirement: str, deadline: dt.date) -> Task:
    """A problem found across a scope (a spot-check, the bureau's review): every unit in it gets a
    rectification item with the deadline, on its preparers' to-do lists."""
    if not _may_issue(user, scope):
        raise PermissionDenied("只有财政或主管部门审核人可以在其范围内下发整改任务。")
    if not problem.strip():
        raise ValueError("请填写存在的问题。")
    if source not in {s.value for s in Source}:
        raise ValueError("请选择问题来源。")
    task = Task.objects.create(kind=StageKind.RECTIFICATION, year=year, title=title.strip() or f"{year}年问题整改",
                               scope=scope, deadline=deadline, created_by=_actor(user))
    for unit in units_in(scope).order_by("name"):
        create_rectification(user, unit, year, source, problem, deadline, requirement)
    return task


def task_deadlines(kind: StageKind, units: list[Organisation]) -> dict[tuple[int, int], Task]:
    """(unit id, year) → the earliest task of this stage covering the unit (issued to it, its department
    or by the bureau), in one query."""
    if not units:
        return {}
    scopes = {u.pk for u in units} | {u.department_id for u in units if u.department_id}
    tasks = list(Task.objects.filter(Q(kind=kind) & (Q(scope_id__in=scopes) | Q(scope__kind=OrgKind.FINANCE)))
                 .select_related("scope").order_by("deadline", "id"))
    found: dict[tuple[int, int], Task] = {}
    for unit in units:
        for task in tasks:
            covers = task.scope.kind == OrgKind.FINANCE or task.scope_id in (unit.pk, unit.department_id)
            if covers:
                found.setdefault((unit.pk, task.year), task)
    return found


# ---- self-evaluation from the targets ---------------------------------------------------------


@transaction.atomic
def start_evaluation(user: User, targets: StageRecord) -> Evaluation:
    """A self-evaluation whose indicators come from the approved targets and the latest approved monitoring."""
    targets = StageRecord.objects.get(pk=targets.pk)  # the declaration as stored now, with every decided adjustment
    if not targets.locked:
        raise ValueError("绩效目标审核通过后才能开始自评。")
    existing = EvaluationLink.objects.filter(targets=targets).select_related("evaluation").first()
    if existing is not None:
        return existing.evaluation
    declaration = model_of(targets)
    assert isinstance(declaration, TargetDeclaration)
    monitoring_record = (
        StageRecord.objects.filter(targets=targets, kind=RecordKind.MONITORING, state=State.APPROVED.value)
        .order_by("-round__cut_off", "-id").first()
    )
    report = model_of(monitoring_record) if monitoring_record is not None else None
    assert report is None or isinstance(report, MonitoringReport)
    total = declaration.budget.total
    model = EvaluationModel(
        kind=declaration.kind,
        year=declaration.year,
        unit=declaration.unit,
        project=declaration.project,
        budget=Budget(initial=total, adjusted=total, executed=Decimal(0)),
        indicators=evaluation_indicators(declaration, report),
        narrative=Narrative(overall_goal=declaration.overall_goal),
    )
    evaluation = evaluation_services.create_evaluation(user, targets.unit, model, note="由批准的绩效目标生成")
    EvaluationLink.objects.create(evaluation=evaluation, targets=targets, monitoring=monitoring_record)
    return evaluation


def locked_indicators(link: EvaluationLink, indicators: list[Indicator]) -> list[Indicator]:
    declaration = model_of(link.targets)
    assert isinstance(declaration, TargetDeclaration)
    report = model_of(link.monitoring) if link.monitoring is not None else None
    assert report is None or isinstance(report, MonitoringReport)
    return evaluation_indicators(declaration, report, previous=indicators)


# ---- rectification ---------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def create_rectification(user: User, unit: Organisation, year: int, source: str, problem: str, deadline: dt.date,
                         requirement: str = "", indicator_code: str = "") -> Rectification:
    if not _may_issue(user, unit):
        raise PermissionDenied("只有财政或主管部门审核人可以下发整改通知。")
    if not problem.strip():
        raise ValueError("请填写存在的问题。")
    item = Rectification.objects.create(
        unit=unit, department=unit.department, year=year, source=source, problem=problem.strip(), deadline=deadline,
        requirement=requirement.strip(), indicator_code=indicator_code.strip(), created_by=_actor(user),
    )
    RectificationStep.objects.create(item=item, action=NOTICE, text=problem.strip(), state=item.state, actor=_actor(user))
    notify(preparers_of(unit), f"整改通知：{problem.strip()[:60]}（期限 {deadline.isoformat()}）", reverse("planning:rectification", args=[item.pk]))
    return item


def rectification_form_url(user: User, unit: Organisation, year: int, source: str, problem: str = "",
                           scopes: list[Organisation] | None = None) -> str:
    """The notice form filled in for `unit` (a finding's door to a rectification item); "" if the user may not
    issue to it. `scopes`: the user's `reviewer_scope`, when a page asks for many units."""
    from urllib.parse import urlencode

    if not _may_issue(user, unit, scopes):
        return ""
    query = {"unit": unit.pk, "year": year, "source": source, **({"problem": _fitted(problem.strip())} if problem.strip() else {})}
    return f"{reverse('planning:rectification_new')}?{urlencode(query)}"


# gunicorn refuses a request line over 4094 bytes (414, an English page) and a Chinese character takes 9 bytes
# in a URL: the problem carried to the form is cut to fit, the reviewer completes it there
DOOR_PROBLEM_BYTES = 3000


def _fitted(text: str) -> str:
    """`text` as long as its URL encoding stays within DOOR_PROBLEM_BYTES, "…" marking a cut."""
    from urllib.parse import quote_plus

    size = 0
    for at, char in enumerate(text):
        size += len(quote_plus(char))
        if size > DOOR_PROBLEM_BYTES:
            return text[:at] + "…"
    return text


@transaction.atomic
def import_rectifications(user: User, document: StageDocument, source: str, table: bool, today: dt.date) -> tuple[list[Rectification], list[str]]:
    """A 整改清单 file issued as notices, all or none (see `rectification_import`): the items created and
    the codes of rows already issued (skipped)."""
    from jixiao.web.planning.rectification_import import notices_from

    scopes = reviewer_scope(user)
    if not scopes:
        raise PermissionDenied("只有财政或主管部门审核人可以下发整改通知。")
    units: dict[int, Organisation] = {}
    for scope in scopes:
        units.update((u.pk, u) for u in units_in(scope))
    seen = rectifications(user)
    issued = set(seen.values_list("year", "pk"))
    problems_issued = {(item.unit_id, item.year, item.problem.strip()): item.code for item in seen}
    notices, skipped = notices_from(document, source, table, list(units.values()), issued, today, problems_issued)
    created = [
        create_rectification(user, n.unit, n.item.year, n.item.source.value if n.item.source else "", n.item.problem or "",
                             n.item.deadline, n.item.requirement or "", n.item.indicator_code or "")
        for n in notices
    ]
    return created, skipped


@transaction.atomic
def rectification_action(user: User, item: Rectification, action: ItemAction, text: str) -> Rectification:
    locked = Rectification.objects.select_for_update().get(pk=item.pk)
    caps = capabilities_for(user, locked)
    if action in (ItemAction.PLAN, ItemAction.FEEDBACK):
        if Capability.EDIT not in caps:
            raise PermissionDenied("整改方案和整改结果由整改单位的填报人报送。")
    elif not _may_issue(user, locked.unit):
        raise PermissionDenied("整改事项由财政或主管部门审核人复核。")
    if not text.strip():
        raise ValueError("请填写内容。")
    locked.state = next_item_state(ItemState(locked.state), action).value
    field = {ItemAction.PLAN: "plan", ItemAction.FEEDBACK: "feedback"}.get(action, "review_note")
    setattr(locked, field, text.strip())
    locked.save()
    RectificationStep.objects.create(item=locked, action=action.value, text=text.strip(), state=locked.state, actor=_actor(user))
    url = reverse("planning:rectification", args=[locked.pk])
    if action in (ItemAction.CLOSE, ItemAction.RETURN):
        notify(preparers_of(locked.unit), f"整改事项 {locked.code} {locked.state_label}", url)
    elif locked.created_by is not None:
        notify([locked.created_by], f"整改事项 {locked.code}：{locked.state_label}", url)
    return locked


def open_rectifications(unit: Organisation) -> QuerySet[Rectification]:
    return Rectification.objects.filter(unit=unit).exclude(state=ItemState.CLOSED.value).order_by("deadline", "id")


# ---- people and notifications ----------------------------------------------------------------

STAGE_ROLE = {Stage.UNIT: Role.UNIT_HEAD, Stage.DEPARTMENT: Role.DEPARTMENT_REVIEWER, Stage.FINANCE: Role.FINANCE_REVIEWER}


def preparers_of(unit: Organisation) -> list[AuthUser]:
    return [m.user for m in Membership.objects.filter(organisation=unit, role=Role.PREPARER).select_related("user")]


def reviewers_of(unit: Organisation, stage: Stage) -> list[AuthUser]:
    scope = Q(organisation=unit) | Q(organisation__kind=OrgKind.FINANCE)
    if unit.department_id:
        scope |= Q(organisation_id=unit.department_id)
    return [m.user for m in Membership.objects.filter(scope, role=STAGE_ROLE[stage]).select_related("user")]


def notify(users: list[AuthUser], text: str, url: str = "") -> None:
    """An in-app notification each; an e-mail too where mail is configured (JIXIAO_MAIL)."""
    Notification.objects.bulk_create(Notification(user=u, text=text[:300], url=url) for u in users)
    if getattr(settings, "JIXIAO_MAIL", False):
        for u in users:
            if u.email:
                send_mail(f"[jixiao] {text[:60]}", f"{text}\n\n{url}", None, [u.email], fail_silently=True)


def stage_records(user: User) -> QuerySet[StageRecord]:
    return visible(user, StageRecord.objects.filter(deleted_at__isnull=True)).select_related("unit")


def rectifications(user: User) -> QuerySet[Rectification]:
    return visible(user, Rectification.objects.filter(deleted_at__isnull=True)).select_related("unit")


def rectification_list(items: list[Rectification], as_of: dt.date) -> RectificationList | None:
    """Rectification items as the core's 整改清单 (the file of `jixiao check --kind rectification`); None if none."""
    if not items:
        return None
    units = {i.unit.name for i in items}
    years = sorted({i.year for i in items})
    listed = [RectificationItem(
        code=i.code, year=i.year, unit=i.unit.name, source=i.source or None, problem=i.problem or None,
        requirement=i.requirement or None, noticed_on=timezone.localtime(i.created_at).date(), deadline=i.deadline,
        state=ItemState(i.state), plan=i.plan or None, feedback=i.feedback or None, review_note=i.review_note or None,
        closed_on=timezone.localtime(i.updated_at).date() if i.state == ItemState.CLOSED.value else None,
        indicator_code=i.indicator_code or None,
    ) for i in items]
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}—{years[-1]}"
    return RectificationList(
        year=years[-1], title=f"{span}年度绩效问题整改清单", unit=units.pop() if len(units) == 1 else None,
        as_of=as_of, items=listed,
    )


# ---- migration of evaluations made before the chain existed ------------------------------------


def targets_from_evaluations() -> int:
    """Every evaluation without a target declaration gets one, marked as entered at self-evaluation
    (the data migration 0002 does the same on upgrade; see `backfill`). Returns how many were created."""
    from jixiao.web.planning.backfill import Tables, backfill

    return backfill(Tables(Evaluation, StageRecord, StageVersion, IndicatorUse))


def _evaluated_actuals(targets: StageRecord) -> dict[str, Decimal]:
    """The final values of the self-evaluation started from these targets (its current version), by code."""
    link = EvaluationLink.objects.filter(targets=targets, evaluation__deleted_at__isnull=True).select_related("evaluation").first()
    if link is None:
        return {}
    version = link.evaluation.versions.filter(number=link.evaluation.current_version).first()
    found: dict[str, Decimal] = {}
    for ind in (version.data.get("indicators") or []) if version is not None else []:
        if isinstance(ind, dict) and ind.get("code") and ind.get("actual") not in (None, ""):
            found[str(ind["code"])] = Decimal(str(ind["actual"]))
    return found


def next_year_targets(user: User, previous: StageRecord) -> StageRecord:
    """Next year's declaration from this one: the same indicators under the same codes (their identity),
    last year's actual value filled in where it is known, ready to edit."""
    import re

    if previous.kind != RecordKind.TARGETS or previous.state != State.APPROVED.value:
        raise ValueError("只能以审核通过的绩效目标为基础申报下一年度。")
    declaration = model_of(previous)
    assert isinstance(declaration, TargetDeclaration)
    in_force = apply_adjustments(declaration)
    actuals = _evaluated_actuals(previous)
    for use in IndicatorUse.objects.filter(unit=previous.unit, year=previous.year, use=UseStage.ACTUAL):
        number = re.match(r"^-?\d+(?:\.\d+)?", use.shown)
        if number:
            actuals.setdefault(use.code, Decimal(number.group(0)))
    indicators = [
        ind.model_copy(update={"last_year_actual": actuals.get(ind.code, ind.last_year_actual), "below_last_year_reason": None})
        for ind in in_force.indicators
    ]
    model = in_force.model_copy(update={"year": previous.year + 1, "indicators": indicators, "adjustments": [],
                                        "entered_at": EntryStage.DECLARATION})
    return create_targets(user, previous.unit, TargetDeclaration.model_validate(model.model_dump()), note=f"以{previous.year}年目标为基础")
