"""All business logic of the web app; views only parse requests and render.

Saving runs the core `evaluate()` and appends a version; workflow actions follow the pure state
table in `jixiao.core.workflow`; concurrent edits are caught by optimistic locking on the version
number; deletion is soft and reversible by an admin. Every change writes an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from jixiao.core.evaluate import Result, evaluate
from jixiao.core.findings import Severity
from jixiao.core.model import KIND_LABELS, MAX_INDICATORS, MAX_PROJECTS, Kind
from jixiao.core.model import Evaluation as Model
from jixiao.core.rules import RuleSet
from jixiao.core.submission import Gate, describe, gate
from jixiao.core.workflow import (
    ACTION_LABELS,
    EDITABLE,
    STAGE_LABELS,
    Action,
    Position,
    Stage,
    State,
    TransitionError,
    is_editable,
    next_position,
)
from jixiao.io.evaluation_file import validate_evaluation
from jixiao.io.rules_file import load_rules
from jixiao.web.desk import rows as desk_rows
from jixiao.web.evaluations import guards
from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion, YearSetting
from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role
from jixiao.web.permissions import Act, allowed, is_admin, units_to_prepare

User = AuthUser | AnonymousUser

# Called on every save with the evaluation and the model about to be stored; returns what to store.
# The planning app keeps a self-evaluation's targets equal to the approved ones this way.
SAVE_HOOKS: list[Callable[[Evaluation, Model], Model]] = []
# Called when the edit page is drawn with the evaluation, its form state and the data shown; may lock
# cells of the form and returns extra context (the planning app: targets' origin, history, open items).
EDIT_HOOKS: list[Callable[[Evaluation, Any, dict[str, Any]], dict[str, Any]]] = []
# Called when the reader's page is drawn for a user; returns extra context (the planning app: the targets'
# panel, and for a reviewer the door to a rectification notice about this self-evaluation).
DETAIL_HOOKS: list[Callable[[Evaluation, Any], dict[str, Any]]] = []
# Called, inside the transaction, when an evaluation reaches its final approval (the planning app
# records each indicator's actual value for next year's targets).
APPROVED_HOOKS: list[Callable[[Evaluation], None]] = []


class ConflictError(Exception):
    """Someone else saved a newer version since this user started editing."""

    def __init__(self, evaluation: Evaluation, base_version: int) -> None:
        self.evaluation = evaluation
        self.base_version = base_version
        super().__init__(
            f"保存冲突：您编辑的是第 {base_version} 版，但其他人已保存了第 {evaluation.current_version} 版。"
            "您的修改尚未保存；请打开最新版本，对照后重新修改。"
        )


class NotEditable(ConflictError):
    """The evaluation was submitted (or approved) while this user was editing."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.base_version = evaluation.current_version
        Exception.__init__(
            self, f"未能保存：自评已{evaluation.state_label}，不能再修改。您的修改尚未保存；如需修改，请先撤回或等待退回。"
        )


EDITABLE_STATES = [state.value for state in EDITABLE]


@lru_cache(maxsize=32)
def _rules(name: str) -> RuleSet:
    return load_rules(name)


def rules_name_for(year: int) -> str:
    setting = YearSetting.objects.filter(year=year).first()
    return setting.rules if setting else "national"


def current_evaluation_year(today: date | None = None) -> int:
    """The year being evaluated now: self-evaluations look back on the previous budget year."""
    return (today or date.today()).year - 1


def rules_for(name: str) -> RuleSet:
    return _rules(name)


def score(model: Model, rules_name: str = "national") -> Result:
    return evaluate(model, rules_for(rules_name))


def to_data(model: Model) -> dict[str, Any]:
    """The JSON stored for a version: the validated model, without document line positions."""
    return model.model_dump(mode="json", exclude={"locations"}, exclude_none=True, exclude_defaults=False)


def load_model(data: dict[str, Any], source: str = "数据库") -> Model:
    return validate_evaluation(data, source)


def hundredths(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def summary_columns(result: Result) -> dict[str, Any]:
    return {
        "total_hundredths": hundredths(result.scorecard.total_score),
        "grade": result.scorecard.grade.value if result.scorecard.gradable else "",  # "" = cannot be graded
        "error_count": sum(1 for f in result.findings if f.severity is Severity.ERROR),
        "warning_count": sum(1 for f in result.findings if f.severity is Severity.WARNING),
    }


def blank_model(unit: Organisation, year: int) -> Model:
    """A minimal valid evaluation to start filling in (the checks list what is still missing)."""
    department = unit.parent.name if unit.parent and unit.parent.kind == OrgKind.DEPARTMENT else None
    return Model.model_validate(
        {
            "kind": "department",
            "year": year,
            "unit": {"name": unit.name, "code": unit.code or None, "supervising_department": department},
            "budget": {"initial": "0", "adjusted": "0", "executed": "0"},
            "indicators": [{"level1": "产出", "level2": "数量指标", "name": "（请填写指标名称）", "weight": "90"}],
        }
    )


def _audit(evaluation: Evaluation | None, actor: User, action: str, **detail: Any) -> None:
    AuditEntry.objects.create(
        evaluation=evaluation, actor=actor if actor.is_authenticated else None, action=action, detail=detail
    )


def _require(user: User, act: Act, evaluation: Evaluation) -> None:
    if not allowed(user, act, evaluation):
        raise PermissionDenied("您没有权限进行此操作，或当前状态不允许。")


class DuplicateError(ValueError):
    """A live evaluation of the same unit, year, kind and project exists (message in Chinese)."""

    def __init__(self, existing: Evaluation) -> None:
        self.existing = existing
        super().__init__(
            f"该单位已有 {existing.year} 年的“{existing.title}”{KIND_LABELS[Kind(existing.kind)]}（第 {existing.current_version} 版，"
            f"{existing.state_label}），不能重复新建；请打开已有的自评继续填写或导入。")


def project_key(model: Model) -> str:
    """The project part of an evaluation's identity: the project's name, "" for a department."""
    return model.project.name[:300] if model.kind is Kind.PROJECT and model.project is not None else ""


def existing_duplicate(unit: Organisation, model: Model, exclude: int | None = None) -> Evaluation | None:
    same = Evaluation.objects.filter(unit=unit, year=model.year, kind=model.kind.value, project=project_key(model),
                                     deleted_at__isnull=True)
    return same.exclude(pk=exclude).first() if exclude else same.first()


def _unique(unit: Organisation, model: Model, exclude: int | None = None) -> None:
    existing = existing_duplicate(unit, model, exclude)
    if existing is not None:
        raise DuplicateError(existing)


@transaction.atomic
def create_evaluation(user: User, unit: Organisation, model: Model, note: str = "新建") -> Evaluation:
    if not units_to_prepare(user).filter(pk=unit.pk).exists():
        raise PermissionDenied("您不是该单位的填报人。")
    _unique(unit, model)
    rules_name = rules_name_for(model.year)
    result = score(model, rules_name)
    columns = summary_columns(result)
    try:
        with transaction.atomic():  # the database constraint decides when two people create at once
            evaluation = Evaluation.objects.create(
                unit=unit,
                department=unit.department,
                year=model.year,
                title=model.title_name,
                kind=model.kind.value,
                project=project_key(model),
                rules=rules_name,
                current_version=1,
                **columns,
            )
    except IntegrityError:
        _unique(unit, model)
        raise
    EvaluationVersion.objects.create(
        evaluation=evaluation, number=1, data=to_data(model), state=evaluation.state, note=note,
        created_by=user if user.is_authenticated else None, **columns,
    )
    desk_rows.record(evaluation, 1, result)
    _audit(evaluation, user, "create", version=1, note=note)
    return evaluation


@transaction.atomic
def save_version(user: User, evaluation: Evaluation, model: Model, base_version: int, note: str = "") -> EvaluationVersion:
    """Append a new version; ConflictError when `base_version` is no longer the current one."""
    _require(user, Act.EDIT, evaluation)
    if model.year != evaluation.year:
        model = model.model_copy(update={"year": evaluation.year})
    for hook in SAVE_HOOKS:
        model = hook(evaluation, model)
    _unique(evaluation.unit, model, exclude=evaluation.pk)
    result = score(model, evaluation.rules)
    columns = summary_columns(result)
    number = base_version + 1
    # Optimistic lock: only the editor whose base is still current moves the counter.
    changes: dict[str, Any] = dict(current_version=number, title=model.title_name, kind=model.kind.value,
                                   project=project_key(model), updated_at=timezone.now(),
                   **columns)
    # The state is checked in the same conditional UPDATE: a submit that commits between the
    # permission check above and this write leaves nothing to update (PostgreSQL re-reads the row
    # after the submit's lock is released), so a save never lands on a submitted evaluation.
    try:
        moved = Evaluation.objects.filter(
            pk=evaluation.pk, current_version=base_version, deleted_at__isnull=True, state__in=EDITABLE_STATES,
        ).update(**changes)
    except IntegrityError:  # someone created the same evaluation meanwhile
        _unique(evaluation.unit, model, exclude=evaluation.pk)
        raise
    if not moved:
        evaluation.refresh_from_db()
        if not is_editable(State(evaluation.state)):
            raise NotEditable(evaluation)
        raise ConflictError(evaluation, base_version)
    version = EvaluationVersion.objects.create(
        evaluation=evaluation, number=number, data=to_data(model), state=evaluation.state, note=note,
        created_by=user if user.is_authenticated else None, **columns,
    )
    for name, value in changes.items():  # what the update wrote, without reading the row back
        setattr(evaluation, name, value)
    desk_rows.record(evaluation, number, result)
    _audit(evaluation, user, "save", version=number, note=note)
    return version


class NeedsConfirmation(ValueError):
    """Submission or approval with open findings that the user has not confirmed (message in Chinese)."""


def gate_for(evaluation: Evaluation) -> Gate:
    """The submission gate for the evaluation's current version under its rule set."""
    version = EvaluationVersion.objects.get(evaluation=evaluation, number=evaluation.current_version)
    return gate(score(version_model(version), evaluation.rules).findings, rules_for(evaluation.rules))


def _check_gate(evaluation: Evaluation, action: Action, reason: str, confirmed: bool) -> dict[str, Any]:
    """Refuse a submission the rule set blocks, or one (or an approval) not confirmed; what to log."""
    if action not in (Action.SUBMIT, Action.APPROVE):
        return {}
    checked = gate_for(evaluation)
    if action is Action.SUBMIT:
        if checked.blocking:
            raise NeedsConfirmation(
                f"有 {len(checked.blocking)} 个问题必须先修改才能送审：{describe(checked.blocking)}。")
        if checked.to_confirm and not (confirmed and reason.strip()):
            raise NeedsConfirmation(
                f"有 {len(checked.to_confirm)} 个警告：{describe(checked.to_confirm)}。"
                "如确认无误，请勾选“确认以上警告”并填写理由后再送审。")
        return {"confirmed_findings": [f.code for f in checked.to_confirm]} if checked.to_confirm else {}
    if checked.open and not confirmed:
        raise NeedsConfirmation(
            f"本自评有 {len(checked.open)} 个未解决的问题：{describe(checked.open)}。请查看并勾选确认后再审核通过。")
    return {"confirmed_findings": [f.code for f in checked.open]} if checked.open else {}


RETURN_PREFIX = f"【{ACTION_LABELS[Action.RETURN]}】"


def open_return_reasons(evaluation: Evaluation) -> list[Comment]:
    """The reasons given with returns since the last submission: what the preparer still has to address."""
    if evaluation.state != State.RETURNED.value:  # resubmitted (or never returned): nothing open
        return []
    last_submit = evaluation.audit_entries.filter(action=Action.SUBMIT.value).order_by("-at", "-id").first()
    if last_submit is None:
        return []
    return list(evaluation.comments.filter(text__startswith=RETURN_PREFIX, created_at__gte=last_submit.at)
                .select_related("author").order_by("created_at", "id"))


STAGE_ROLES = {Stage.UNIT: Role.UNIT_HEAD, Stage.DEPARTMENT: Role.DEPARTMENT_REVIEWER, Stage.FINANCE: Role.FINANCE_REVIEWER}


def submission_target(evaluation: Evaluation) -> str:
    """Where a (re)submission goes now, in words: the stage and who reviews there ("单位审核（张三）")."""
    current = Position(State(evaluation.state), Stage(evaluation.stage) if evaluation.stage else None)
    try:
        stage = next_position(current, Action.SUBMIT).stage
    except TransitionError:
        return ""
    if stage is None:
        return ""
    scope = {Stage.UNIT: [evaluation.unit_id], Stage.DEPARTMENT: [evaluation.department_id],
             Stage.FINANCE: list(Organisation.objects.filter(kind=OrgKind.FINANCE).values_list("pk", flat=True))}[stage]
    reviewers = [m.user.get_full_name() or m.user.get_username() for m in
                 Membership.objects.filter(organisation_id__in=scope, role=STAGE_ROLES[stage]).select_related("user")]
    who = f"（{'、'.join(sorted(reviewers))}）" if reviewers else "（尚未设置审核人，请联系管理员）"
    return STAGE_LABELS[stage] + who


ACT_FOR = {Action.SUBMIT: Act.SUBMIT, Action.WITHDRAW: Act.WITHDRAW, Action.APPROVE: Act.REVIEW, Action.RETURN: Act.REVIEW}


@transaction.atomic
def transition(user: User, evaluation: Evaluation, action: Action, reason: str = "", field: str = "",
               confirmed: bool = False, version: int | None = None) -> Evaluation:
    """Submit / withdraw / approve / return; returning needs a reason, which becomes a comment.

    Submitting follows the rule set's gate (blocking findings refuse it; findings to confirm need
    `confirmed` and a reason); approving with open findings needs `confirmed`. What was confirmed
    goes into the audit entry. `version` is the version the user's page showed (default: the one
    `evaluation` was read at); guards.StaleVersion when the evaluation has moved on since."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _require(user, ACT_FOR[action], locked)
    guards.require_current(locked, action, evaluation.current_version if version is None else version)
    guards.require_separation(user, locked, action)
    if action is Action.RETURN and not reason.strip():
        raise ValueError("退回时必须填写退回理由。")
    confirmation = _check_gate(locked, action, reason, confirmed)
    current = Position(State(locked.state), Stage(locked.stage) if locked.stage else None)
    target = next_position(current, action)
    locked.state = target.state.value
    locked.stage = target.stage.value if target.stage else ""
    locked.save(update_fields=["state", "stage", "updated_at"])
    # A return reason, and the preparer's reason for submitting despite warnings, are for the reader.
    if reason.strip() and (action is Action.RETURN or confirmation):
        Comment.objects.create(
            evaluation=locked, version_number=locked.current_version, field=field,
            text=f"【{ACTION_LABELS[action]}】{reason.strip()}", author=user if user.is_authenticated else None,
        )
    _audit(locked, user, action.value, version=locked.current_version, stage=current.stage.value if current.stage else "",
           reason=reason.strip(), field=field, **confirmation)
    if target.state is State.APPROVED:
        for hook in APPROVED_HOOKS:
            hook(locked)
    return locked


def add_comment(user: User, evaluation: Evaluation, text: str, field: str = "") -> Comment:
    _require(user, Act.COMMENT, evaluation)
    if not text.strip():
        raise ValueError("意见不能为空。")
    comment = Comment.objects.create(
        evaluation=evaluation, version_number=evaluation.current_version, field=field.strip()[:200],
        text=text.strip(), author=user if user.is_authenticated else None,
    )
    _audit(evaluation, user, "comment", field=field, text=comment.text[:1000])
    return comment


@transaction.atomic
def soft_delete(user: User, evaluation: Evaluation) -> None:
    _require(user, Act.DELETE, evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(deleted_at=timezone.now(), deleted_by=user)
    _audit(evaluation, user, "delete")


@transaction.atomic
def restore(user: User, evaluation: Evaluation) -> None:
    if not is_admin(user):
        raise PermissionDenied("只有管理员可以恢复已删除的自评。")
    _unique(evaluation.unit, version_model(EvaluationVersion.objects.get(evaluation=evaluation, number=evaluation.current_version)),
            exclude=evaluation.pk)
    Evaluation.objects.filter(pk=evaluation.pk).update(deleted_at=None, deleted_by=None)
    _audit(evaluation, user, "restore")


def version_model(version: EvaluationVersion) -> Model:
    return load_model(version.data, f"第 {version.number} 版")


def readable_model(version: EvaluationVersion) -> tuple[Model, str]:
    """The version's model and, for a version past the table bounds (saved before they were set, or
    restored from an older backup), its first MAX_INDICATORS indicators and MAX_PROJECTS projects with
    a warning that says so; InputError when even that cannot be read."""
    data = version.data
    over = [(key, label, bound, len(data.get(key) or [])) for key, label, bound in
            (("indicators", "绩效指标", MAX_INDICATORS), ("projects", "项目", MAX_PROJECTS))
            if len(data.get(key) or []) > bound]
    if not over:
        return version_model(version), ""
    shown = dict(data, **{key: data[key][:bound] for key, _, bound, _ in over})
    model = load_model(shown, f"第 {version.number} 版")
    counts = "、".join(f"{label} {count} 项（上限 {bound} 项）" for _, label, bound, count in over)
    return model, (f"第 {version.number} 版有{counts}，可能保存于设定上限之前或由备份恢复：页面只显示前面的部分，"
                   "不能送审或审核。请在编辑页删去多余的行，或下载 YAML 拆分为几份后重新导入。")


class DocumentUnavailable(Exception):
    """The report writer is not installed, or cannot convert (e.g. LibreOffice missing for PDF)."""


def document_bytes(evaluation: Evaluation, version: EvaluationVersion, fmt: str) -> bytes:
    """The report (.docx/.pdf) or the 自评表 (.xlsx) of a version, from the report writer (issue 3).

    Uses the year's report template (set by an admin) when there is one. Errors in the data do not
    stop the download: the report writer prints them in a warning box, as `--allow-errors` does.
    """
    try:
        from jixiao.report.write import report_bytes
    except ImportError:
        raise DocumentUnavailable("报告生成组件未安装（pip install 'jixiao[report]'）。") from None
    setting = YearSetting.objects.filter(year=evaluation.year).first()
    result = score(version_model(version), evaluation.rules)
    try:
        return report_bytes(result, fmt, template=(setting.template or None) if setting else None)
    except (RuntimeError, OSError) as error:  # e.g. LibreOffice missing or failing for PDF
        raise DocumentUnavailable(f"无法生成 .{fmt} 文件：{error}") from None
