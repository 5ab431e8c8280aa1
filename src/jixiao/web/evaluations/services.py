"""All business logic of the web app; views only parse requests and render.

Saving runs the core `evaluate()` and appends a version; workflow actions follow the pure state
table in `jixiao.core.workflow`; concurrent edits are caught by optimistic locking on the version
number; deletion is soft and reversible by an admin. Every change writes an audit entry.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixiao.core.evaluate import Result, evaluate
from jixiao.core.findings import Severity
from jixiao.core.model import Evaluation as Model
from jixiao.core.rules import RuleSet
from jixiao.core.workflow import ACTION_LABELS, EDITABLE, Action, Position, Stage, State, is_editable, next_position
from jixiao.io.evaluation_file import validate_evaluation
from jixiao.io.rules_file import load_rules
from jixiao.web.evaluations import guards
from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion, YearSetting
from jixiao.web.orgs.models import Organisation, OrgKind
from jixiao.web.permissions import Act, allowed, is_admin, units_to_prepare

User = AuthUser | AnonymousUser


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
        "grade": result.scorecard.grade.value,
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


@transaction.atomic
def create_evaluation(user: User, unit: Organisation, model: Model, note: str = "新建") -> Evaluation:
    if not units_to_prepare(user).filter(pk=unit.pk).exists():
        raise PermissionDenied("您不是该单位的填报人。")
    rules_name = rules_name_for(model.year)
    result = score(model, rules_name)
    columns = summary_columns(result)
    evaluation = Evaluation.objects.create(
        unit=unit,
        department=unit.department,
        year=model.year,
        title=model.title_name,
        kind=model.kind.value,
        rules=rules_name,
        current_version=1,
        **columns,
    )
    EvaluationVersion.objects.create(
        evaluation=evaluation, number=1, data=to_data(model), state=evaluation.state, note=note,
        created_by=user if user.is_authenticated else None, **columns,
    )
    _audit(evaluation, user, "create", version=1, note=note)
    return evaluation


@transaction.atomic
def save_version(user: User, evaluation: Evaluation, model: Model, base_version: int, note: str = "") -> EvaluationVersion:
    """Append a new version; ConflictError when `base_version` is no longer the current one."""
    _require(user, Act.EDIT, evaluation)
    if model.year != evaluation.year:
        model = model.model_copy(update={"year": evaluation.year})
    result = score(model, evaluation.rules)
    columns = summary_columns(result)
    number = base_version + 1
    # Optimistic lock: only the editor whose base is still current moves the counter.
    changes: dict[str, Any] = dict(current_version=number, title=model.title_name, kind=model.kind.value, updated_at=timezone.now(),
                   **columns)
    # The state is checked in the same conditional UPDATE: a submit that commits between the
    # permission check above and this write leaves nothing to update (PostgreSQL re-reads the row
    # after the submit's lock is released), so a save never lands on a submitted evaluation.
    moved = Evaluation.objects.filter(
        pk=evaluation.pk, current_version=base_version, deleted_at__isnull=True, state__in=EDITABLE_STATES,
    ).update(**changes)
    if not moved:
        evaluation.refresh_from_db()
        if not is_editable(State(evaluation.state)):
            raise NotEditable(evaluation)
        raise ConflictError(evaluation, base_version)
    version = EvaluationVersion.objects.create(
        evaluation=evaluation, number=number, data=to_data(model), state=evaluation.state, note=note,
        created_by=user if user.is_authenticated else None, **columns,
    )
    _audit(evaluation, user, "save", version=number, note=note)
    for name, value in changes.items():  # what the update wrote, without reading the row back
        setattr(evaluation, name, value)
    return version


ACT_FOR = {Action.SUBMIT: Act.SUBMIT, Action.WITHDRAW: Act.WITHDRAW, Action.APPROVE: Act.REVIEW, Action.RETURN: Act.REVIEW}


@transaction.atomic
def transition(user: User, evaluation: Evaluation, action: Action, reason: str = "", field: str = "",
               version: int | None = None) -> Evaluation:
    """Submit / withdraw / approve / return; returning needs a reason, which becomes a comment.

    `version` is the version the user's page showed (default: the one `evaluation` was read at);
    guards.StaleVersion when the evaluation has moved on since."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _require(user, ACT_FOR[action], locked)
    guards.require_current(locked, action, evaluation.current_version if version is None else version)
    guards.require_separation(user, locked, action)
    if action is Action.RETURN and not reason.strip():
        raise ValueError("退回时必须填写退回理由。")
    current = Position(State(locked.state), Stage(locked.stage) if locked.stage else None)
    target = next_position(current, action)
    locked.state = target.state.value
    locked.stage = target.stage.value if target.stage else ""
    locked.save(update_fields=["state", "stage", "updated_at"])
    if reason.strip():
        Comment.objects.create(
            evaluation=locked, version_number=locked.current_version, field=field,
            text=f"【{ACTION_LABELS[action]}】{reason.strip()}", author=user if user.is_authenticated else None,
        )
    _audit(locked, user, action.value, version=locked.current_version, stage=current.stage.value if current.stage else "",
           reason=reason.strip())
    return locked


def add_comment(user: User, evaluation: Evaluation, text: str, field: str = "") -> Comment:
    _require(user, Act.COMMENT, evaluation)
    if not text.strip():
        raise ValueError("意见不能为空。")
    comment = Comment.objects.create(
        evaluation=evaluation, version_number=evaluation.current_version, field=field.strip()[:200],
        text=text.strip(), author=user if user.is_authenticated else None,
    )
    _audit(evaluation, user, "comment", field=field)
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
    Evaluation.objects.filter(pk=evaluation.pk).update(deleted_at=None, deleted_by=None)
    _audit(evaluation, user, "restore")


def version_model(version: EvaluationVersion) -> Model:
    return load_model(version.data, f"第 {version.number} 版")


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
