"""Thin views: parse the request, call `services`, render. Evaluations are always fetched through
`visible_evaluations`, so an id outside the user's scope is a 404."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.evaluate import Result
from jixiao.core.findings import SEVERITY_LABELS, Finding, nearest, sort_findings
from jixiao.core.model import Evaluation as Model
from jixiao.core.money import fmt as number
from jixiao.core.numbers import int_or_none
from jixiao.core.workflow import ACTION_LABELS, STATE_LABELS, Action, TransitionError
from jixiao.io.errors import InputError, Problem
from jixiao.io.inputs import READERS
from jixiao.web.evaluations import diff as diffs
from jixiao.web.evaluations import editing, importing, review, services, widgets
from jixiao.web.evaluations.guards import StaleVersion
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
from jixiao.web.evaluations.uploads import read_upload, register_optional_readers
from jixiao.web.permissions import Act, allowed, is_admin, units_to_prepare, visible_evaluations, waiting_for

PAGE_SIZE = 50
register_optional_readers()  # so the pages list .xlsx among the import formats when it is readable


def _get(request: HttpRequest, pk: int, deleted: bool = False) -> Evaluation:
    return get_object_or_404(visible_evaluations(request.user, deleted=deleted).select_related("unit"), pk=pk)


def _version(evaluation: Evaluation, number: int | None = None) -> EvaluationVersion:
    wanted = evaluation.current_version if number is None else number
    return get_object_or_404(EvaluationVersion.objects.filter(evaluation=evaluation), number=wanted)


def _findings(findings: list[Finding], names: dict[str, str] | None = None,
              anchors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Findings for a page: each names its field in Chinese and, where the page shows that field, links to it."""
    return [
        {
            "severity": f.severity.value,
            "severity_label": SEVERITY_LABELS[f.severity],
            "code": f.code,
            "message": f.message,
            "field": f.field or "",
            "label": diffs.label_for(f.field, names) if f.field else "",
            "anchor": (nearest(f.field, anchors) or "") if anchors and f.field else "",
        }
        for f in sort_findings(findings)
    ]


def _scored(model: Model, rules: str, anchors: dict[str, str] | None = None,
            result: Result | None = None) -> dict[str, Any]:
    result = result or services.score(model, rules)
    card = result.scorecard
    return {
        "total": number(card.total_score),
        "grade": card.grade_text,
        "ungradable": card.ungradable,
        "execution_score": number(card.execution_score),
        "execution_rate": None if card.budget.execution_rate is None else number(card.budget.execution_rate),
        "execution_note": card.budget.explanation if card.budget.execution_rate is None else "",
        "indicators": [
            {"name": ind.name, "weight": number(ind.weight), "completion_rate": number(r.completion_rate), "score": number(r.score)}
            for ind, r in zip(model.indicators, card.indicators, strict=True)
        ],
        "findings": _findings(result.findings, {f"indicators[{i}]": ind.name for i, ind in enumerate(model.indicators)}, anchors),
        "errors": sum(1 for f in result.findings if f.severity.value == "error"),
        "warnings": sum(1 for f in result.findings if f.severity.value == "warning"),
    }


# ---- lists ------------------------------------------------------------------------------------

@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "all")
    items: QuerySet[Evaluation] = waiting_for(request.user) if tab == "waiting" else visible_evaluations(request.user)
    state = request.GET.get("state", "")
    if state in STATE_LABELS:
        items = items.filter(state=state)
    year = request.GET.get("year", "")
    if (year_number := int_or_none(year, 2000, 2100)) is not None:
        items = items.filter(year=year_number)
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(Q(title__icontains=query) | Q(unit__name__icontains=query))
    items = items.select_related("unit").only(*LIST_COLUMNS).order_by("-updated_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jixiao/list.html", {
        "page": page, "rows": _list_rows(page), "tab": tab, "state": state, "year": year, "q": query,
        "states": [(s.value, label) for s, label in STATE_LABELS.items()],
        "waiting_count": waiting_for(request.user).count(),
        "can_create": units_to_prepare(request.user).exists(),
    })


# The columns a list row shows (plus the unit's name); the rest of the row is never read there.
LIST_COLUMNS = ("unit", "year", "title", "state", "stage", "total_hundredths", "grade", "error_count", "warning_count",
                "current_version", "updated_at", "unit__name")


# The stored grade is "" when the total cannot be graded (weights over full marks): say so, as the page does.
UNGRADED = '<span class="muted" title="分值合计不等于满分，总分不能评定等级">不能评定</span>'


def _list_rows(page: Page[Evaluation]) -> SafeString:
    """The list's table rows, built in Python: 50 rows of ten fields each through the template
    engine cost more than everything else the page does (a few microseconds per variable)."""
    detail = reverse("evaluations:detail", args=[0])[:-2]  # ".../e/" — the pk and "/" follow
    rows = [
        f'<tr><td>{e.year}</td><td><a href="{detail}{e.pk}/">{escape(e.title)}</a></td><td>{escape(e.unit.name)}</td>\n'
        f'<td><span class="badge state-{escape(e.state)}">{escape(e.state_label)}</span> {escape(e.stage_label)}</td>\n'
        f'<td class="num">{e.total_display}</td><td>{escape(e.grade) or UNGRADED}</td><td>{e.error_count} / {e.warning_count}</td>'
        f'<td class="num">{e.current_version}</td><td>{localtime(e.updated_at):%Y-%m-%d %H:%M}</td></tr>\n'
        for e in page
    ]
    return mark_safe("".join(rows) or '<tr><td colspan="9">没有自评。</td></tr>\n')  # built from escaped parts


@login_required
def evaluation_new(request: HttpRequest) -> HttpResponse:
    units = units_to_prepare(request.user)
    if not units.exists():
        raise PermissionDenied("您不是任何单位的填报人。")
    errors: list[str] = []
    status = 200
    existing: Evaluation | None = None
    if request.method == "POST":
        unit = units.filter(pk=int_or_none(request.POST.get("unit")) or 0).first()
        year_text = request.POST.get("year", "").strip()
        try:
            if unit is None:
                raise InputError("新建自评", [Problem("请选择单位", field="unit")])
            if "file" in request.FILES:
                model = read_upload(request.FILES["file"])
            else:
                year_number = int_or_none(year_text, 2000, 2100)
                if year_number is None:
                    raise InputError("新建自评", [Problem("年度应为 2000—2100 之间的整数", field="year")])
                model = services.blank_model(unit, year_number)
            evaluation = services.create_evaluation(request.user, unit, model, note="导入" if request.FILES else "新建")
            messages.success(request, "已创建自评。")
            return redirect("evaluations:edit", pk=evaluation.pk)
        except InputError as error:
            errors = [p.describe(error.source) for p in error.problems]
            status = 400
        except services.DuplicateError as duplicate:
            errors, status = [str(duplicate)], 409
            existing = duplicate.existing
    return render(request, "jixiao/new.html", {
        "existing": existing,
        "units": units, "errors": errors, "post": request.POST, "formats": "、".join(sorted(READERS)),
        "default_year": services.current_evaluation_year(),
    }, status=status)


# ---- one evaluation ---------------------------------------------------------------------------

@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _get(request, pk)
    version = _version(evaluation)
    model, over_bound = services.readable_model(version)
    user = request.user
    can = {act.value: allowed(user, act, evaluation) for act in Act}
    if over_bound:  # shown truncated, with no workflow action on what is not all shown
        messages.warning(request, over_bound)
        can.update({act.value: False for act in (Act.SUBMIT, Act.WITHDRAW, Act.REVIEW)})
    result = services.score(model, evaluation.rules)
    sections = review.build_sections(model, result.scorecard)
    scored = _scored(model, evaluation.rules, review.anchors(sections), result)
    comments = list(evaluation.comments.select_related("author").order_by("-created_at", "-id"))
    notes = [(f["field"], {"finding": f}) for f in scored["findings"]]
    notes += [(c.field, {"comment": c, "returned": c.text.startswith(services.RETURN_PREFIX)}) for c in comments]
    review.attach(sections, notes)
    links = review.anchors(sections)
    comment_rows = [{"comment": c, "anchor": nearest(c.field, links) if c.field else None} for c in comments]
    extra: dict[str, Any] = {}
    for hook in services.DETAIL_HOOKS:
        extra.update(hook(evaluation, request.user))
    return render(request, "jixiao/detail.html", {
        **extra,
        **_workflow_context(evaluation, can),
        "evaluation": evaluation,
        "version": version,
        "model": model,
        "sections": sections,
        "scored": scored,
        "comments": comment_rows,
        "field_choices": _field_choices(model),
        "can": can,
        "actions": ACTION_LABELS,
    })


def _workflow_context(evaluation: Evaluation, can: dict[str, bool]) -> dict[str, Any]:
    """What the submit / approve forms show: the open findings by the rule set's gate, where it goes."""
    if not (can[Act.SUBMIT.value] or can[Act.REVIEW.value]):
        return {}
    checked = services.gate_for(evaluation)
    return {
        "gate": {"blocking": _findings(checked.blocking), "to_confirm": _findings(checked.to_confirm),
                 "open": _findings(checked.open)},
        "submit_goes_to": services.submission_target(evaluation),
        "rules_title": services.rules_for(evaluation.rules).title,
    }


def _field_choices(model: Model) -> list[tuple[str, str]]:
    choices = [("", "（整体意见）")]
    choices += [(path, spec.label) for path, spec in editing.SPECS.items()]
    choices += [(f"indicators[{i}]", f"指标{i + 1}：{ind.name}") for i, ind in enumerate(model.indicators)]
    return choices


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _get(request, pk)
    if not allowed(request.user, Act.EDIT, evaluation):
        raise PermissionDenied("当前状态不可编辑（待审核或已审核的版本不能修改），或您没有编辑权限。")
    if request.method != "POST":
        version = _version(evaluation)
        form = editing.state_from_data(version.data)
        return _edit_page(request, evaluation, form, evaluation.current_version, version.data, {})
    base_number = _int(request.POST.get("base_version"))
    base = _version(evaluation, base_number) if base_number else _version(evaluation)
    data, form = editing.read_form(request.POST, base.data)
    try:
        model = form.load(data)
        services.save_version(request.user, evaluation, model, base.number, note=request.POST.get("note", "")[:300])
    except InputError as error:
        form.attach(error.problems)
        return _edit_page(request, evaluation, form, base.number, data, {}, status=400)
    except services.ConflictError as conflict:
        return _edit_page(request, evaluation, form, base.number, data, {"conflict": str(conflict)}, status=409)
    except services.DuplicateError as duplicate:
        return _edit_page(request, evaluation, form, base.number, data,
                          {"conflict": str(duplicate), "existing": duplicate.existing}, status=409)
    messages.success(request, f"已保存为第 {evaluation.current_version} 版。")
    return redirect("evaluations:edit", pk=evaluation.pk)


def _edit_page(request: HttpRequest, evaluation: Evaluation, form: editing.FormState, base_version: int,
               data: dict[str, Any], extra: dict[str, Any], status: int = 200) -> HttpResponse:
    scored = None
    if not form.error_count:
        try:
            scored = _scored(services.load_model(data, "表单"), evaluation.rules, _anchors(form))
        except InputError as error:
            form.attach(error.problems)
    stale = scored is None
    if stale:  # the panel keeps the last saved version's scores rather than going blank
        scored = _saved_scored(evaluation, base_version, form)
    for hook in services.EDIT_HOOKS:
        extra = {**hook(evaluation, form, data), **extra}
    reasons = services.open_return_reasons(evaluation)
    anchors = form.mark_returned([(c.field, c.text.removeprefix(services.RETURN_PREFIX)) for c in reasons])
    returns = [{"comment": c, "text": c.text.removeprefix(services.RETURN_PREFIX), "anchor": a,
                "label": diffs.label_for(c.field) if c.field else "整体"} for c, a in zip(reasons, anchors, strict=True)]
    return render(request, "jixiao/edit.html", {
        "returns": returns, "submit_goes_to": services.submission_target(evaluation) if returns else "",
        "evaluation": evaluation, "form": form, "base_version": base_version, "scored": scored, "stale": stale,
        "ind_columns": editing.INDICATORS.columns, "prj_columns": editing.PROJECTS.columns,
        "ind_rows": _table_rows(form, "ind"), "prj_rows": _table_rows(form, "prj"),
        "task_columns": editing.TASKS.columns, "task_rows": _table_rows(form, "task"),
        "formats": "、".join(sorted(READERS)), **extra,
    }, status=status)


def _anchors(form: editing.FormState) -> dict[str, str]:
    """Model field path → the link to its input on the edit page."""
    return {path: f"#f-{name}" for path, name in form.names.items()}


def _table_rows(form: editing.FormState, prefix: str) -> SafeString:
    return mark_safe("".join(widgets.table_row(row, prefix) for row in form.tables[prefix]))  # escaped parts


@login_required
@require_POST
def evaluation_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: score what is in the form now, without saving."""
    evaluation = _get(request, pk)
    if not allowed(request.user, Act.EDIT, evaluation):
        raise PermissionDenied
    base_number = _int(request.POST.get("base_version"))
    base = _version(evaluation, base_number) if base_number else _version(evaluation)
    data, form = editing.read_form(request.POST, base.data)
    context: dict[str, Any] = {"evaluation": evaluation}
    try:
        context["scored"] = _scored(form.load(data), evaluation.rules, _anchors(form))
    except InputError as error:
        form.attach(error.problems)
        context["problems"] = _problem_list(error.problems, form)
        context["scored"] = _saved_scored(evaluation, base.number, form)
        context["stale"] = True
        context["base_version"] = base.number
    return render(request, "jixiao/_results.html", context)


def _saved_scored(evaluation: Evaluation, number: int, form: editing.FormState) -> dict[str, Any] | None:
    """The scores of the saved version the form started from: what the panel shows while the form has errors."""
    try:
        return _scored(services.version_model(_version(evaluation, number)), evaluation.rules, _anchors(form))
    except (InputError, Http404):
        return None


def _problem_list(problems: list[Problem], form: editing.FormState) -> list[str]:
    return [f"{diffs.label_for(p.field) if p.field else '数据'}：{p.message}" for p in problems]


@login_required
@require_GET
def table_row(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    """htmx: a new empty row for the indicators, projects or tasks table."""
    evaluation = _get(request, pk)
    if not allowed(request.user, Act.EDIT, evaluation):
        raise PermissionDenied
    spec = {t.prefix: t for t in editing.TABLES}.get(table)
    if spec is None:
        raise Http404
    # A fresh key per added row (the page sends none: building one in the browser would need eval).
    given = "".join(ch for ch in request.GET.get("key", "") if ch.isascii() and ch.isalnum())[:10]
    key = "n" + (given or secrets.token_hex(5))
    return HttpResponse(widgets.table_row(editing.blank_row(spec, key), spec.prefix))


@login_required
@require_POST
def evaluation_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge an uploaded file into the current version and show the changes; nothing is saved yet."""
    evaluation = _get(request, pk)
    if not allowed(request.user, Act.EDIT, evaluation):
        raise PermissionDenied
    base = _version(evaluation, _int(request.POST.get("base_version")) or None)
    try:
        plan = importing.plan_import(evaluation, base.data, base.number, request.FILES.get("file"),
                                     may_override_unit=is_admin(request.user))
    except InputError as error:
        return render(request, "jixiao/import_error.html", {
            "evaluation": evaluation, "source": error.source,
            "problems": [p.describe(error.source) for p in error.problems],
        }, status=400)
    token = secrets.token_urlsafe(16)
    request.session[_import_key(pk)] = {"token": token, "filename": plan.filename, "base": plan.base_version,
                                        "data": plan.data, "other_unit": plan.other_unit, "kept": plan.kept}
    return render(request, "jixiao/import_preview.html", {"evaluation": evaluation, "plan": plan, "token": token})


def _import_key(pk: int) -> str:
    return f"jixiao-import-{pk}"


@login_required
@require_POST
def evaluation_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the import shown in the preview (or drop it on cancel)."""
    evaluation = _get(request, pk)
    if not allowed(request.user, Act.EDIT, evaluation):
        raise PermissionDenied
    pending = request.session.get(_import_key(pk))
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "没有待确认的导入（可能已确认、已取消或已过期），请重新选择文件导入。")
        return redirect("evaluations:edit", pk=pk)
    if "cancel" in request.POST:
        del request.session[_import_key(pk)]
        messages.success(request, f"已取消导入 {pending['filename']}，数据未作修改。")
        return redirect("evaluations:edit", pk=pk)
    if pending["other_unit"] and request.POST.get("confirm_unit") != "1":
        messages.error(request, f"文件属于“{pending['other_unit']}”：请勾选确认导入其他单位的数据。")
        return redirect("evaluations:edit", pk=pk)
    try:
        services.save_version(request.user, evaluation, services.load_model(pending["data"], pending["filename"]),
                              pending["base"], note=f"导入 {pending['filename']}"[:300])
    except (services.ConflictError, services.DuplicateError) as conflict:
        messages.error(request, str(conflict))
        return redirect("evaluations:edit", pk=pk)
    except InputError as refused:  # e.g. the file drops rows of the approved targets
        messages.error(request, "；".join(p.message for p in refused.problems))
        return redirect("evaluations:edit", pk=pk)
    del request.session[_import_key(pk)]
    kept = f"；文件未包含、已保留原值：{'、'.join(pending['kept'])}" if pending["kept"] else ""
    messages.success(request, f"已导入 {pending['filename']}，保存为第 {evaluation.current_version} 版{kept}。")
    return redirect("evaluations:edit", pk=pk)


@login_required
@require_POST
def evaluation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    evaluation = _get(request, pk)
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404 from None
    try:
        services.transition(request.user, evaluation, chosen, request.POST.get("reason", ""), request.POST.get("field", ""),
                            confirmed=request.POST.get("confirm") == "1", version=_seen_version(request))
    except StaleVersion as stale:
        return _stale(request, stale)
    except (TransitionError, ValueError) as error:
        messages.error(request, str(error))
        return redirect("evaluations:detail", pk=pk)
    messages.success(request, f"已{ACTION_LABELS[chosen]}。")
    return redirect("evaluations:detail", pk=pk)


def _seen_version(request: HttpRequest) -> int:
    """The version the page showed when its user acted; -1 (never current) when the form lacks it."""
    seen = _int(request.POST.get("version"))
    return -1 if seen is None else seen


def _stale(request: HttpRequest, stale: StaleVersion) -> HttpResponse:
    return render(request, "jixiao/message.html", {
        "title": "页面已过期", "message": str(stale), "back": reverse("evaluations:detail", args=[stale.evaluation.pk]),
    }, status=409)


@login_required
@require_POST
def evaluation_comment(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _get(request, pk)
    try:
        services.add_comment(request.user, evaluation, request.POST.get("text", ""), request.POST.get("field", ""))
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(reverse("evaluations:detail", args=[pk]) + "#comments")


@login_required
@require_POST
def evaluation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _get(request, pk)
    services.soft_delete(request.user, evaluation)
    messages.success(request, "已删除（管理员可以恢复）。")
    return redirect("evaluations:list")


@login_required
@require_GET
def evaluation_history(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _get(request, pk)
    versions = list(evaluation.versions.select_related("created_by").order_by("-number"))
    a, b = _int(request.GET.get("a")), _int(request.GET.get("b"))
    changes = None
    if a and b:
        changes = diffs.diff(_version(evaluation, a).data, _version(evaluation, b).data)
    return render(request, "jixiao/history.html", {
        "evaluation": evaluation, "versions": versions, "a": a, "b": b, "changes": changes,
        "audit": evaluation.audit_entries.select_related("actor").order_by("-at", "-id")[:200],
    })


DATA_FORMATS = {"yaml": "application/x-yaml; charset=utf-8", "json": "application/json; charset=utf-8"}
DOCUMENT_FORMATS = {
    "docx": ("自评报告", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("自评报告", "application/pdf"),
    "xlsx": ("自评表", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@login_required
@require_GET
def evaluation_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The data (YAML/JSON), the report (.docx/.pdf) or the 自评表 (.xlsx) of any version in scope."""
    evaluation = _get(request, pk)
    version = _version(evaluation, _int(request.GET.get("version")) or None)
    stem = f"{evaluation.year}-{evaluation.title}-v{version.number}"
    if fmt in DATA_FORMATS:
        body = importing.data_bytes(version.data, fmt)
    elif fmt in DOCUMENT_FORMATS:
        try:
            body = services.document_bytes(evaluation, version, fmt)
        except services.DocumentUnavailable as error:
            return render(request, "jixiao/message.html", {"title": "暂时无法生成", "message": str(error)}, status=503)
        stem = f"{evaluation.year}-{evaluation.title}-{DOCUMENT_FORMATS[fmt][0]}-v{version.number}"
    else:
        raise Http404
    content_type = DATA_FORMATS.get(fmt) or DOCUMENT_FORMATS[fmt][1]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stem)}.{fmt}"
    return response


# ---- admin: the trash --------------------------------------------------------------------------

@login_required
def trash(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied("只有管理员可以查看已删除的自评。")
    if request.method == "POST":
        evaluation = _get(request, _int(request.POST.get("pk")) or 0, deleted=True)
        try:
            services.restore(request.user, evaluation)
        except services.DuplicateError as duplicate:
            messages.error(request, f"不能恢复：{duplicate}")
            return redirect("evaluations:trash")
        messages.success(request, f"已恢复：{evaluation}")
        return redirect("evaluations:trash")
    return render(request, "jixiao/trash.html", {
        "items": visible_evaluations(request.user, deleted=True).select_related("unit", "deleted_by")[:500],
    })


def _int(value: str | None) -> int | None:
    """A version number or id from a URL or form: ASCII digits within bounds (never `²`), else None."""
    return int_or_none(value, 1)
