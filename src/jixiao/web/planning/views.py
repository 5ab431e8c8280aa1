"""Thin views of the year's stages; records are fetched only through the user's scope (404 outside)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jixiao.cli.setup_cmds import TemplateKind, init_template
from jixiao.core.findings import SEVERITY_LABELS
from jixiao.core.model import COMPARATOR_LABELS, Comparator, IndicatorKind, Level1
from jixiao.core.monitoring import LIGHT_LABELS, MonitoringReport
from jixiao.core.numbers import NumberError, int_or_none, parse_decimal, parse_int
from jixiao.core.rectification import (
    ITEM_ACTION_LABELS,
    SOURCE_LABELS,
    ItemAction,
    ItemState,
    RectificationError,
    RectificationList,
    allowed_actions,
)
from jixiao.core.stage_evaluate import StageResult
from jixiao.core.targets import (
    DECISION_LABELS,
    Basis,
    TargetAdjustment,
    TargetDeclaration,
    TargetIndicator,
    adjusted,
    apply_adjustments,
    target_history,
)
from jixiao.core.todo import STAGE_KIND_LABELS, Bucket, StageKind
from jixiao.core.workflow import ACTION_LABELS, Action, TransitionError
from jixiao.io.errors import InputError
from jixiao.io.stage_file import StageDocument, parse_document
from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.uploads import read_stage_upload
from jixiao.web.orgs.models import Organisation
from jixiao.web.permissions import Act, Capability, allowed, capabilities_for, units_to_prepare
from jixiao.web.planning import library, services
from jixiao.web.planning.models import MonitoringRound, Notification, RecordKind, Rectification, StageRecord
from jixiao.web.planning.todo import counts, todo_for


def _record(request: HttpRequest, pk: int) -> StageRecord:
    return get_object_or_404(services.stage_records(request.user).select_related("targets", "round"), pk=pk)


def _item(request: HttpRequest, pk: int) -> Rectification:
    return get_object_or_404(services.rectifications(request.user), pk=pk)


def _chosen(queryset: QuerySet[Organisation], value: str | None) -> Organisation:
    """The organisation a form's select chose, by an id of ASCII digits: the database would read "٣" as 3."""
    return get_object_or_404(queryset, pk=int_or_none(value) or 0)


def _bad(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "jixiao/message.html", {"title": "无法完成", "message": message}, status=status)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    records = services.stage_records(request.user).order_by("-year", "kind", "title")[:200]
    return render(request, "planning/home.html", {
        "todo": todo_for(request.user, timezone.localdate(), _due_soon_days()),
        "records": records,
        "rounds": MonitoringRound.objects.filter(scope__in=services.reviewer_scope(request.user))[:20],
        "items": services.rectifications(request.user).order_by("deadline")[:100],
        "can_prepare": units_to_prepare(request.user).exists(),
        "can_issue": bool(services.reviewer_scope(request.user)),
        "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count() if isinstance(request.user, User) else 0,
    })


def _due_soon_days() -> int:
    return evaluation_services.rules_for("national").monitoring.due_soon_days


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    """The to-do screen: everything waiting for this user, by bucket (待填报/待审核/被退回/即将到期/已逾期)."""
    entries = todo_for(request.user, timezone.localdate(), _due_soon_days())
    wanted = request.GET.get("b", "")
    bucket = Bucket(wanted) if wanted in {b.value for b in Bucket} else None
    shown = [e for e in entries if bucket is None or bucket in e.buckets]
    assert isinstance(request.user, User)  # login_required
    return render(request, "planning/todo.html", {
        "entries": shown, "counts": counts(entries), "bucket": bucket, "total": len(entries),
        "notes": Notification.objects.filter(user=request.user, read_at__isnull=True)[:20],
        "can_issue": bool(services.reviewer_scope(request.user)),
    })


def _issued(request: HttpRequest, round_: MonitoringRound) -> str:
    """What the issuer is told: the reports made now, and those waiting for their targets' approval."""
    _, waiting = services.round_waiting(request.user, round_)
    later = f"；另有 {waiting} 个单位（项目）的绩效目标尚未审核通过，审核通过后自动生成监控表" if waiting else ""
    return f"已下发“{round_.name}”，已生成 {round_.records.count()} 份监控表{later}，期限 {round_.deadline.isoformat()}。"


@login_required
def task_new(request: HttpRequest) -> HttpResponseBase:
    """One door for every stage's task: a declaration or self-evaluation task, a monitoring round (with its
    cut-off date) or a rectification notice to every unit in the scope (with the problem found)."""
    scopes = services.reviewer_scope(request.user)
    if not scopes:
        raise PermissionDenied("只有财政或主管部门审核人可以下发任务。")
    kinds = [(k.value, STAGE_KIND_LABELS[k]) for k in services.TASK_KINDS]
    if request.method == "POST":
        scope = _chosen(Organisation.objects.filter(pk__in=[s.pk for s in scopes]), request.POST.get("scope"))
        try:
            kind = StageKind(request.POST.get("kind", ""))
            year = parse_int(request.POST.get("year"), 2000, 2100)
            deadline = dt.date.fromisoformat(request.POST.get("deadline", ""))
        except ValueError:
            return _bad(request, "请选择环节；年度应为数字，期限格式如 2025-03-31。")
        title = request.POST.get("title", "").strip()
        try:
            if kind is StageKind.MONITORING:
                try:
                    cut_off = dt.date.fromisoformat(request.POST.get("cut_off", ""))
                except ValueError:
                    return _bad(request, "运行监控任务请填写监控截止日期，格式如 2025-06-30。")
                round_ = services.issue_round(request.user, scope, year, title or f"{year}年绩效运行监控", cut_off, deadline)
                messages.success(request, _issued(request, round_))
                return redirect("planning:round", round_.pk)
            if kind is StageKind.RECTIFICATION:
                task = services.issue_rectification_task(
                    request.user, scope, year, title, request.POST.get("source", ""), request.POST.get("problem", ""),
                    request.POST.get("requirement", ""), deadline)
            else:
                task = services.issue_task(request.user, scope, kind, year, title, deadline)
        except ValueError as error:
            return _bad(request, str(error))
        messages.success(request, f"已下发“{task.title}”，范围：{scope.name}，期限 {deadline.isoformat()}。")
        return redirect("planning:todo")
    year = timezone.localdate().year
    return render(request, "planning/task_new.html", {"scopes": scopes, "kinds": kinds, "year": year + 1,
                                                      "deadline": f"{year}-12-31", "cut_off": f"{year + 1}-06-30",
                                                      "sources": SOURCE_LABELS.items()})


@login_required
def targets_new(request: HttpRequest) -> HttpResponseBase:
    units = units_to_prepare(request.user)
    if request.method == "POST":
        unit = _chosen(units, request.POST.get("unit"))
        try:
            year = parse_int(request.POST.get("year"), 2000, 2100)
            upload = request.FILES.get("file")
            document = read_stage_upload(upload) if upload else parse_document(init_template(TemplateKind.TARGETS), "模板")
        except ValueError:
            return _bad(request, "年度应为数字。")
        except InputError as error:
            return _bad(request, str(error))
        if not isinstance(document, StageDocument) or not isinstance(document.model, TargetDeclaration):
            return _bad(request, "上传的文件不是绩效目标申报文件（stage: targets 的 YAML/JSON，或绩效目标申报表 .xlsx/.docx）。")
        model = document.model.model_copy(update={"year": year})
        record = services.create_targets(request.user, unit, model, note="上传" if upload else "由模板新建")
        messages.success(request, "已新建绩效目标申报，请逐项填写后送审。")
        return redirect("planning:edit", record.pk)
    return render(request, "planning/targets_new.html", {
        "units": units, "year": timezone.localdate().year + 1,
        "open_items": [item for unit in units for item in services.open_rectifications(unit)],
    })


def _lights(result: StageResult) -> dict[str, Any] | None:
    lights = result.lights
    if lights is None:
        return None
    return {
        "time_progress": lights.time_progress, "execution_progress": lights.execution_progress, "gap": lights.gap,
        "budget": lights.budget_light.value if lights.budget_light else "",
        "budget_label": LIGHT_LABELS[lights.budget_light] if lights.budget_light else "—",
        "indicators": {i.code: {"light": i.light.value if i.light else "", "label": LIGHT_LABELS[i.light] if i.light else "—",
                                "completion": i.completion, "expected": i.expected} for i in lights.indicators},
    }


@login_required
@require_GET
def record(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _record(request, pk)
    model = services.model_of(rec)
    result = services.assess(rec, model)
    caps = capabilities_for(request.user, rec)
    context: dict[str, Any] = {
        "record": rec, "model": model, "lights": _lights(result),
        "findings": [{"code": f.code, "severity": f.severity.value, "label": SEVERITY_LABELS[f.severity], "message": f.message} for f in result.findings],
        "can": {
            "edit": allowed(request.user, Act.EDIT, rec), "submit": allowed(request.user, Act.SUBMIT, rec),
            "withdraw": allowed(request.user, Act.WITHDRAW, rec), "review": allowed(request.user, Act.REVIEW, rec),
            "adjust": rec.locked and Capability.EDIT in caps,
            "decide": rec.locked and Capability.REVIEW_FINANCE in caps,
            "evaluate": rec.locked and Capability.EDIT in caps,
            "next_year": rec.locked and Capability.EDIT in caps,
        },
        "versions": rec.versions.select_related("created_by").order_by("-number")[:30],
        "open_items": services.open_rectifications(rec.unit),
    }
    if isinstance(model, TargetDeclaration):
        in_force = apply_adjustments(model)
        past = services.history(rec.unit, [i.code for i in in_force.indicators])
        context["indicators"] = [
            {"ind": ind, "shown": services.shown(ind.comparator, ind.target, ind.target_text, ind.unit),
             "steps": [services.shown(h.comparator, h.target, h.target_text, h.unit) for h, _ in target_history(model, ind.code)],
             "past": [u for u in past[ind.code] if u.year < rec.year]}
            for ind in in_force.indicators
        ]
        context["adjustments"] = [
            {"n": n, "adj": a, "label": DECISION_LABELS[a.decision],
             "shown": services.shown(adjusted_target(model, a).comparator, a.target, a.target_text, adjusted_target(model, a).unit)}
            for n, a in enumerate(model.adjustments)
        ]
        link = rec.monitoring.filter(kind=RecordKind.MONITORING).select_related("round")
        context["monitoring"] = link
    else:
        context["indicators"] = [
            {"ind": ind, "shown": services.shown(ind.comparator, ind.target, ind.target_text, ind.unit),
             "to_date": services.shown(None, ind.value_to_date, ind.value_text, ind.unit),
             "light": (context["lights"] or {}).get("indicators", {}).get(ind.code, {})}
            for ind in model.indicators
        ]
    return render(request, "planning/record.html", context)


def adjusted_target(model: TargetDeclaration, adjustment: TargetAdjustment) -> TargetIndicator:
    """The indicator as the adjustment would leave it (for showing its comparator and unit)."""
    indicator = model.indicator(adjustment.code)
    return adjusted(indicator, adjustment) if indicator is not None else TargetIndicator(
        code=adjustment.code, level1=Level1.OUTPUT, level2="—", name=adjustment.code)


CHOICES = {
    "level1": [level.value for level in Level1],
    "comparator": [(c.value, COMPARATOR_LABELS[c]) for c in Comparator],
    "basis": [b.value for b in Basis],
}


def _decimal(value: str) -> str | None:
    value = value.strip().replace(",", "")
    if not value:
        return None
    try:
        return str(parse_decimal(value))
    except NumberError:
        return value  # pydantic names the field and says it must be a number


# Selects that always post a value (一级指标 has no blank choice, 类型 defaults to 定量): a row with
# nothing else filled in is the form's blank row, not an indicator.
PRESET = frozenset({"level1", "kind"})


def _rows(post: Any, prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    count = int_or_none(post.get(f"{prefix}-count"), 0, 10_000) or 0
    rows = []
    for n in range(min(count, 500)):
        row = {f: post.get(f"{prefix}-{n}-{f}", "").strip() for f in fields}
        if any(v for f, v in row.items() if f not in PRESET) and post.get(f"{prefix}-{n}-delete") != "on":
            rows.append(row)
    return rows


TARGET_FIELDS = ("code", "level1", "level2", "name", "kind", "comparator", "target", "target_text", "unit", "weight", "basis",
                 "last_year_actual", "below_last_year_reason", "library_code")
MONITORING_FIELDS = ("code", "value_to_date", "value_text", "expected", "on_track", "deviation_reason", "corrective_action")
NUMBERS = {"target", "weight", "last_year_actual", "value_to_date", "expected"}


def _clean(row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in NUMBERS:
            out[key] = _decimal(value)
        elif key == "on_track":
            out[key] = {"yes": True, "no": False}.get(value)
        else:
            out[key] = value or None
    return out


def _posted_model(rec: StageRecord, post: Any) -> TargetDeclaration | MonitoringReport:
    current = services.model_of(rec)
    data = current.model_dump(mode="json")
    if isinstance(current, TargetDeclaration):
        data["overall_goal"] = post.get("overall_goal", "")
        if data.get("project") is not None:
            data["project"] = {**data["project"], "name": post.get("project_name", data["project"]["name"]),
                               "supervising_department": post.get("supervising_department") or None,
                               "implementing_unit": post.get("implementing_unit") or None}
        data["budget"] = {"total": _decimal(post.get("budget_total", "")), "fiscal": _decimal(post.get("budget_fiscal", "")),
                          "other": _decimal(post.get("budget_other", ""))}
        rows = [_clean(r) for r in _rows(post, "ind", TARGET_FIELDS)]
        used = {row["code"] for row in rows if row["code"]}
        serial = 0
        for row in rows:
            while not row["code"]:  # a new row gets the next free code of this record: its identity from now on
                serial += 1
                candidate = f"{rec.year}-{rec.pk:04d}-{serial:03d}"
                if candidate not in used:
                    row["code"] = candidate
                    used.add(candidate)
            row["kind"] = row["kind"] or IndicatorKind.QUANTITATIVE.value
        data["indicators"] = rows
    else:
        data["budget"]["executed_to_date"] = _decimal(post.get("executed_to_date", ""))
        data["budget"]["expected"] = _decimal(post.get("budget_expected", ""))
        data["deviation_reason"] = post.get("deviation_reason", "") or None
        data["corrective_action"] = post.get("corrective_action", "") or None
        values = {r["code"]: _clean(r) for r in _rows(post, "ind", MONITORING_FIELDS)}
        # Only the unit's figures come from the form; targets stay those approved.
        data["indicators"] = [{**ind, **{k: v for k, v in values.get(ind["code"], {}).items() if k != "code"}} for ind in data["indicators"]]
    return services.model_of(rec, data)


def _preparers_only(request: HttpRequest, rec: StageRecord, what: str) -> None:
    """A reviewer refused as a reviewer: the state is not why (a draft is no more theirs to change)."""
    if Capability.EDIT not in capabilities_for(request.user, rec):
        raise PermissionDenied(f"只有本单位的填报人可以{what}；审核人查看和审核，不代为修改。")


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    rec = _record(request, pk)
    _preparers_only(request, rec, "编辑")
    if not allowed(request.user, Act.EDIT, rec):
        raise PermissionDenied("当前状态不能编辑" + ("：绩效目标已审核锁定，如需改变请申请调整。" if rec.locked else "。"))
    errors: list[str] = []
    if request.method == "POST":
        try:
            model = _posted_model(rec, request.POST)
            services.save_stage(request.user, rec, model, int_or_none(request.POST.get("base_version")) or 0)
            messages.success(request, "已保存新版本。")
            return redirect("planning:record", rec.pk)
        except InputError as error:
            errors = [p.describe("") .lstrip("，") for p in error.problems]
        except evaluation_services.ConflictError as error:
            errors = [str(error)]
        except ValueError:
            errors = ["数量应为数字。"]
    model = services.model_of(rec)
    lights = _lights(services.assess(rec, model))
    is_targets = rec.kind == RecordKind.TARGETS
    rows: list[dict[str, Any]] = []
    if isinstance(model, TargetDeclaration):
        pasts = services.past_values(rec.unit, rec.year, model.indicators)
        rows = [{"ind": ind, "past": past} for ind, past in zip(model.indicators, pasts, strict=True)]
    return render(request, "planning/edit.html", {
        "record": rec, "model": model, "errors": errors, "choices": CHOICES, "lights": lights, "rows": rows,
        "is_targets": is_targets, "similar": library.similar_projects(request.user, rec) if is_targets else [],
    }, status=400 if errors else 200)


def _uploaded_stage_file(request: HttpRequest, what: str) -> tuple[str, StageDocument, bool] | HttpResponse:
    """The stage file a form uploaded — its name, what it holds, whether it is a form (.xlsx/.docx, whose
    problems name cells) — or the page refusing it (`what`: the form the page takes, e.g. 问题整改清单)."""
    from pathlib import Path

    upload = request.FILES.get("file")
    if upload is None:
        return _bad(request, f"请选择要上传的{what}文件（.xlsx、.docx、.yaml 或 .json）。")
    name = Path(upload.name or "上传文件").name
    try:
        document = read_stage_upload(upload)
    except InputError as error:
        return _bad(request, str(error))
    if not isinstance(document, StageDocument):
        return _bad(request, f"{name}：这是绩效自评数据，不是{what}；自评数据请在「自评」中导入。")
    return name, document, Path(name).suffix.lower() in (".xlsx", ".docx")


@login_required
@require_POST
def record_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A 监控表 (.xlsx/.docx as jixiao writes it, or YAML/JSON) uploaded into this monitoring report."""
    rec = _record(request, pk)
    if rec.kind != RecordKind.MONITORING:
        raise Http404
    _preparers_only(request, rec, "上传")
    if not allowed(request.user, Act.EDIT, rec):
        raise PermissionDenied("当前状态不能上传：监控表已送审或审核通过；如需修改请先撤回或等待退回。")
    uploaded = _uploaded_stage_file(request, "绩效运行监控表")
    if isinstance(uploaded, HttpResponse):
        return uploaded
    name, document, table = uploaded
    try:
        saved, left_out = services.upload_monitoring(request.user, rec, document, name, table,
                                                     int_or_none(request.POST.get("base_version")) or 0)
    except InputError as error:
        return _bad(request, str(error))
    except evaluation_services.ConflictError as error:
        return _bad(request, str(error), status=409)
    kept = f"；文件中没有的 {len(left_out)} 个指标（{'、'.join(left_out[:5])}）保留原值" if left_out else ""
    messages.success(request, f"已由 {name} 保存为第 {saved.current_version} 版，目标值保持批准值{kept}。")
    return redirect("planning:record", rec.pk)


@login_required
@require_POST
def record_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    rec = _record(request, pk)
    try:
        services.transition(request.user, rec, Action(action), request.POST.get("reason", ""))
    except (ValueError, TransitionError) as error:
        messages.error(request, str(error) if not isinstance(error, KeyError) else "未知操作")
        return redirect("planning:record", rec.pk)
    messages.success(request, f"已{ACTION_LABELS[Action(action)]}。")
    return redirect("planning:record", rec.pk)


@login_required
@require_POST
def adjust(request: HttpRequest, pk: int) -> HttpResponseBase:
    rec = _record(request, pk)
    changes = {"code": request.POST.get("code", ""), "comparator": request.POST.get("comparator") or None,
               "target": _decimal(request.POST.get("target", "")), "target_text": request.POST.get("target_text") or None}
    try:
        services.request_adjustment(request.user, rec, changes, request.POST.get("reason", ""))
    except InputError as error:
        return _bad(request, str(error))
    except ValueError as error:
        return _bad(request, str(error).splitlines()[0] if "validation" not in str(error) else "调整申请须写明调整后的指标值和理由。")
    messages.success(request, "已提交调整申请，待财政审核人审批。")
    return redirect("planning:record", rec.pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, n: int, decision: str) -> HttpResponseBase:
    rec = _record(request, pk)
    if decision not in ("approve", "refuse"):
        raise Http404
    try:
        services.decide_adjustment(request.user, rec, n, decision == "approve", request.POST.get("note", ""))
    except ValueError as error:
        return _bad(request, str(error))
    messages.success(request, "已审批调整申请。")
    return redirect("planning:record", rec.pk)


@login_required
@require_POST
def start_evaluation(request: HttpRequest, pk: int) -> HttpResponseBase:
    rec = _record(request, pk)
    if not (rec.locked and Capability.EDIT in capabilities_for(request.user, rec)):
        raise PermissionDenied("只有本单位填报人可以从批准的目标开始自评。")
    evaluation = services.start_evaluation(request.user, rec)
    messages.success(request, "已由批准的绩效目标生成自评：目标值不可在自评中修改，请填写实际完成值。")
    return redirect("evaluations:edit", evaluation.pk)


@login_required
@require_POST
def next_year(request: HttpRequest, pk: int) -> HttpResponseBase:
    rec = _record(request, pk)
    if not units_to_prepare(request.user).filter(pk=rec.unit_id).exists():
        raise PermissionDenied("只有本单位填报人可以申报下一年度目标。")
    try:
        created = services.next_year_targets(request.user, rec)
    except ValueError as error:
        return _bad(request, str(error))
    messages.success(request, f"已以{rec.year}年目标为基础新建{created.year}年绩效目标：指标编码不变，上年实际完成值已带入。")
    return redirect("planning:edit", created.pk)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    rec = _record(request, pk)
    return _stage_file(services.model_of(rec), f"{rec.year}-{rec.title}-{rec.get_kind_display()}", fmt, rec.year)


def _stage_file(model: TargetDeclaration | MonitoringReport | RectificationList, name: str, fmt: str, year: int) -> HttpResponse:
    """A stage's file as `jixiao` writes and reads it: YAML/JSON data, or its official form as .xlsx/.docx."""
    if fmt in ("yaml", "json"):
        data = services.to_data(model)
        body = json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        content_type = "application/json" if fmt == "json" else "application/yaml"
        response = HttpResponse(body.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    elif fmt in ("xlsx", "docx"):
        import io

        from jixiao.report.stage_tables import stage_layout, write_stage_docx, write_stage_xlsx

        layout = stage_layout(model, evaluation_services.rules_for(evaluation_services.rules_name_for(year)))
        buffer = io.BytesIO()
        if fmt == "xlsx":
            write_stage_xlsx(layout, model.title_name, buffer)
        else:
            write_stage_docx(layout, buffer)
        response = HttpResponse(buffer.getvalue(), content_type="application/octet-stream")
    else:
        raise Http404
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response


@login_required
def round_new(request: HttpRequest) -> HttpResponseBase:
    scopes = services.reviewer_scope(request.user)
    if not scopes:
        raise PermissionDenied("只有财政或主管部门审核人可以下发监控任务。")
    if request.method == "POST":
        scope = _chosen(Organisation.objects.filter(pk__in=[s.pk for s in scopes]), request.POST.get("scope"))
        try:
            year = parse_int(request.POST.get("year"), 2000, 2100)
            cut_off = dt.date.fromisoformat(request.POST.get("cut_off", ""))
            deadline = dt.date.fromisoformat(request.POST.get("deadline", ""))
            name = request.POST.get("name", "").strip() or f"{year}年绩效运行监控"
            round_ = services.issue_round(request.user, scope, year, name, cut_off, deadline)
        except ValueError as error:
            return _bad(request, str(error) if "监控" in str(error) else "年度应为数字，日期格式如 2025-06-30。")
        messages.success(request, _issued(request, round_))
        return redirect("planning:round", round_.pk)
    year = timezone.localdate().year
    return render(request, "planning/round_new.html", {"scopes": scopes, "year": year, "cut_off": f"{year}-06-30",
                                                       "deadline": f"{year}-07-15"})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(MonitoringRound, pk=pk)
    records = services.stage_records(request.user).filter(round=round_).order_by("unit__name", "title")
    if not records.exists() and round_.scope not in services.reviewer_scope(request.user):
        raise Http404
    rows = []
    for rec in records:
        lights = _lights(services.assess(rec))
        rows.append({"record": rec, "lights": lights,
                     "red": sum(1 for i in (lights or {}).get("indicators", {}).values() if i["light"] == "red"),
                     "yellow": sum(1 for i in (lights or {}).get("indicators", {}).values() if i["light"] == "yellow")})
    waiting, waiting_count = services.round_waiting(request.user, round_)
    return render(request, "planning/round.html", {"round": round_, "rows": rows, "waiting": waiting, "waiting_count": waiting_count})


@login_required
def rectification_new(request: HttpRequest) -> HttpResponseBase:
    scopes = services.reviewer_scope(request.user)
    if not scopes:
        raise PermissionDenied("只有财政或主管部门审核人可以下发整改通知。")
    units = Organisation.objects.none()
    for scope in scopes:
        units |= services.units_in(scope)
    if request.method == "POST":
        unit = _chosen(units, request.POST.get("unit"))
        # A source outside the list would be saved and then break every download of the 整改清单
        source = request.POST.get("source", "bureau_review")
        if source not in {s.value for s in SOURCE_LABELS}:
            return _bad(request, f"问题来源应为{'、'.join(SOURCE_LABELS.values())}之一。")
        try:
            year = parse_int(request.POST.get("year"), 2000, 2100)
            deadline = dt.date.fromisoformat(request.POST.get("deadline", ""))
        except ValueError:
            return _bad(request, "年度应为数字，期限格式如 2025-09-30。")
        today = timezone.localdate()
        if deadline < today:  # as the 整改清单 import refuses it
            return _bad(request, f"整改期限 {deadline.isoformat()} 已过，新下发的整改通知期限应不早于今天（{today.isoformat()}）。")
        try:
            item = services.create_rectification(
                request.user, unit, year, source, request.POST.get("problem", ""), deadline,
                request.POST.get("requirement", ""), request.POST.get("indicator_code", ""),
            )
        except ValueError as error:  # no problem stated
            return _bad(request, str(error))
        messages.success(request, "已下发整改通知。")
        return redirect("planning:rectification", item.pk)
    return render(request, "planning/rectification_new.html", {
        "units": units.order_by("name"), "sources": SOURCE_LABELS.items(),
        "year": int_or_none(request.GET.get("year")) or timezone.localdate().year,
        "problem": request.GET.get("problem", ""), "unit_id": request.GET.get("unit", ""), "source": request.GET.get("source", ""),
    })


@login_required
@require_POST
def rectification_import(request: HttpRequest) -> HttpResponseBase:
    """A 整改清单 (.xlsx/.docx as jixiao writes it, or YAML/JSON) issued as one notice per new row."""
    if not services.reviewer_scope(request.user):
        raise PermissionDenied("只有财政或主管部门审核人可以下发整改通知。")
    uploaded = _uploaded_stage_file(request, "问题整改清单")
    if isinstance(uploaded, HttpResponse):
        return uploaded
    name, document, table = uploaded
    try:
        created, skipped = services.import_rectifications(request.user, document, name, table, timezone.localdate())
    except InputError as error:
        return _bad(request, str(error))
    again = f"；{len(skipped)} 项已在系统中（{'、'.join(skipped[:5])}），未重复下发" if skipped else ""
    messages.success(request, f"已由 {name} 下发 {len(created)} 项整改通知{again}。")
    return redirect("planning:home")


@login_required
def rectification(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _item(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in {a.value for a in ItemAction}:
            return _bad(request, "未知的办理操作（应为报送整改方案、反馈整改结果、复核销号或退回重改）。")
        try:
            services.rectification_action(request.user, item, ItemAction(action), request.POST.get("text", ""))
        except (ValueError, RectificationError) as error:  # no text, or a step the state does not allow
            return _bad(request, str(error))
        messages.success(request, "已提交。")
        return redirect("planning:rectification", item.pk)
    caps = capabilities_for(request.user, item)
    reviewer = bool(caps & {Capability.REVIEW_DEPARTMENT, Capability.REVIEW_FINANCE})
    actions = [
        (a.value, ITEM_ACTION_LABELS[a]) for a in allowed_actions(ItemState(item.state))
        if (a in (ItemAction.PLAN, ItemAction.FEEDBACK) and Capability.EDIT in caps)
        or (a in (ItemAction.CLOSE, ItemAction.RETURN) and reviewer)
    ]
    today = timezone.localdate()
    return render(request, "planning/rectification.html", {
        "item": item, "steps": item.steps.select_related("actor"), "actions": actions, "source": SOURCE_LABELS.get(item.source, item.source),  # type: ignore[call-overload]
        "overdue": item.state != "closed" and item.deadline < today,
    })


@login_required
@require_GET
def rectification_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The rectification items the user may see (one year, if chosen) as a 整改清单: .xlsx/.docx/YAML/JSON,
    the same file `jixiao check` and `jixiao table` take."""
    if fmt not in ("xlsx", "docx", "yaml", "json"):
        raise Http404
    items = services.rectifications(request.user)
    year = int_or_none(request.GET.get("year"))
    if year is not None:
        items = items.filter(year=year)
    listed = services.rectification_list(list(items), timezone.localdate())
    if listed is None:
        return _bad(request, "没有可导出的整改事项（请先下发整改通知，或选择有整改事项的年度）。")
    return _stage_file(listed, listed.title or "整改清单", fmt, listed.year)


@login_required
def notifications(request: HttpRequest) -> HttpResponseBase:
    assert isinstance(request.user, User)  # login_required
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("planning:notifications")
    return render(request, "planning/notifications.html", {"notes": mine[:200]})


@login_required
def library_page(request: HttpRequest) -> HttpResponseBase:
    """The library: export everything as .xlsx; reviewers import their department's own entries."""
    import io

    from jixiao.report.library_xlsx import read_library_xlsx, write_library_xlsx

    scopes = services.reviewer_scope(request.user)
    if request.GET.get("format") == "xlsx":
        buffer = io.BytesIO()
        write_library_xlsx(library.entries(), buffer)
        response = HttpResponse(buffer.getvalue(), content_type="application/octet-stream")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%8C%87%E6%A0%87%E5%BA%93.xlsx"
        return response
    if request.method == "POST":
        owner = _chosen(Organisation.objects.filter(pk__in=[s.pk for s in scopes]), request.POST.get("owner"))
        upload = request.FILES.get("file")
        if upload is None:
            return _bad(request, "请选择要导入的指标库 .xlsx 文件。")
        try:
            entries = read_library_xlsx(upload, upload.name or "上传文件")
        except InputError as error:
            return _bad(request, str(error))
        count = library.import_entries(owner, entries)
        messages.success(request, f"已导入 {count} 条指标到 {owner.name} 的指标库。")
        return redirect("planning:library")
    query = request.GET.get("q", "")[:50]
    shown = library.search(query, limit=100) if query else library.entries()
    return render(request, "planning/library.html", {"entries": shown, "query": query, "scopes": scopes,
                                                     "own": library.own_entries(request.user)})


LIBRARY_FIELDS = ("code", "name", "level1", "level2", "category", "sector", "comparator", "unit", "basis", "definition", "source")


@login_required
def library_entry(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    """Add or change an entry of a department's own library (reviewers of that department or the bureau)."""
    from pydantic import ValidationError

    from jixiao.core.library import LibraryEntry
    from jixiao.io.pydantic_errors import problems_from

    scopes = services.reviewer_scope(request.user)
    if not scopes:
        raise PermissionDenied("只有财政或主管部门审核人可以维护本部门指标库。")
    row = get_object_or_404(library.own_entries(request.user), pk=pk) if pk is not None else None
    errors: list[str] = []
    values: dict[str, Any] = dict(row.data) if row is not None else {"category": "部门指标"}
    if request.method == "POST":
        if request.POST.get("delete") == "on" and row is not None:
            row.delete()
            messages.success(request, f"已从{row.owner.name}的指标库删除“{row.name}”。")
            return redirect("planning:library")
        owner = _chosen(Organisation.objects.filter(pk__in=[s.pk for s in scopes]), request.POST.get("owner"))
        values = {f: request.POST.get(f, "").strip() or None for f in LIBRARY_FIELDS}
        values["typical"] = [t.strip() for t in request.POST.get("typical", "").replace("，", "、").replace(",", "、").split("、") if t.strip()]
        try:
            entry = LibraryEntry.model_validate(values)
            saved = library.save_entry(owner, entry, row.pk if row is not None else None)
        except ValidationError as exc:
            errors = [p.describe("").lstrip("，") for p in problems_from(exc, {})]
        except ValueError as error:
            errors = [str(error)]
        else:
            messages.success(request, f"已保存“{saved.name}”到{owner.name}的指标库。")
            return redirect("planning:library")
    return render(request, "planning/library_entry.html", {
        "row": row, "values": values, "typical": "、".join(values.get("typical") or []), "scopes": scopes, "errors": errors,
        "choices": CHOICES, "owner_id": row.owner_id if row is not None else int_or_none(request.POST.get("owner")),
    }, status=400 if errors else 200)


@login_required
@require_GET
def library_search(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")[:50]
    return JsonResponse({"results": [library.as_json(entry) for entry in library.search(query, limit=15)]})
