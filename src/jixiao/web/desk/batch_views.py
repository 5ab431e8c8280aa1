"""Batch audit pages: upload reports, follow the audit, confirm the unit of each report where unsure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.core.findings import SEVERITY_LABELS, Severity
from jixiao.core.numbers import int_or_none
from jixiao.web.desk import batch, jobs
from jixiao.web.desk.jobs_views import _department, _year, department_choices, desk_user, job_context, visible_job
from jixiao.web.desk.models import BatchDocument, MatchState
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.evaluations.services import current_evaluation_year
from jixiao.web.orgs.models import Organisation
from jixiao.web.planning.services import rectification_form_url, reviewer_scope


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponseBase:
    user = desk_user(request)
    context = {"departments": department_choices(user), "year": current_evaluation_year(),
               "suffixes": "、".join(batch.UPLOAD_SUFFIXES), "max_documents": batch.MAX_DOCUMENTS}
    if request.method == "GET":
        return render(request, "desk/batch_new.html", context)
    year = _year(request.POST.get("year"))
    department = _department(user, request.POST.get("department"))
    files = request.FILES.getlist("files")
    if not files:
        return render(request, "desk/batch_new.html", {**context, "error": "请选择要审查的报告文件。"}, status=400)
    try:
        jobs.check_scope(user, department)
        staged = batch.stage_uploads(files)
    except jobs.JobRefused as refused:
        raise PermissionDenied(str(refused)) from None
    except batch.UploadRefused as refused:
        return render(request, "desk/batch_new.html", {**context, "error": str(refused)}, status=400)
    try:
        job = jobs.start_job(user, "batch_audit", department, {"skipped": staged.skipped}, year=year,
                             prepare=lambda job: batch.attach_staged(job, staged))
    finally:
        staged.discard()  # moved into the job's folder if it started; removed otherwise
    messages.success(request, f"已上传 {len(staged.items)} 份报告，正在后台审查。"
                     + (f"已跳过 {len(staged.skipped)} 个文件。" if staged.skipped else ""))
    return redirect("desk:batch", pk=job.pk)


def _documents(job_pk: int) -> list[BatchDocument]:
    return list(BatchDocument.objects.filter(job_id=job_pk).select_related("unit").order_by("position"))


def _evaluations(documents: list[BatchDocument], year: int | None) -> dict[int, Evaluation]:
    """Each attached report's evaluation: its unit's, of the year it states (else the batch's), same kind."""
    units = {d.unit_id for d in documents if d.attached}
    found: dict[tuple[int, int, str], Evaluation] = {}
    for evaluation in Evaluation.objects.filter(unit_id__in=units, deleted_at__isnull=True).order_by("id"):
        found.setdefault((evaluation.unit_id, evaluation.year, evaluation.kind), evaluation)
    out: dict[int, Evaluation] = {}
    for d in documents:
        if d.attached and d.unit_id is not None:
            match = found.get((d.unit_id, d.stated_year or year or 0, d.stated_kind or "department"))
            if match is not None:
                out[d.pk] = match
    return out


def _severity_label(value: str) -> str:
    try:
        return SEVERITY_LABELS[Severity(value)]
    except ValueError:
        return value


def _rectify_url(request: HttpRequest, doc: BatchDocument, year: int | None, scopes: list[Organisation]) -> str:
    """The auditor's errors in a unit's report as a rectification notice to the unit, filled in (source 报告审查)."""
    errors = [str(f.get("message", "")) for f in doc.findings if f.get("severity") == Severity.ERROR.value]
    if not (doc.attached and doc.unit is not None and errors and (doc.stated_year or year)):
        return ""
    problem = f"{doc.name} 审查发现：" + "；".join(errors[:3]) + ("等" if len(errors) > 3 else "")
    return rectification_form_url(request.user, doc.unit, doc.stated_year or year or 0, "audit", problem, scopes)


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_job(request, pk)
    if job.kind != "batch_audit":
        raise Http404
    documents = _documents(job.pk)
    evaluations = _evaluations(documents, job.year)
    scopes = reviewer_scope(request.user)
    rows = [{
        "doc": d, "evaluation": evaluations.get(d.pk),
        "findings": [{**f, "severity_label": _severity_label(f.get("severity", ""))} for f in d.findings],
        "rectify_url": _rectify_url(request, d, job.year, scopes),
    } for d in documents]
    return render(request, "desk/batch_detail.html", {
        **job_context(job), "rows": rows, "units": batch.scope_units(job).order_by("name"),
        "skipped": job.params.get("skipped", []), "unsure": sum(1 for d in documents if d.match == MatchState.UNSURE),
    })


@login_required
@require_POST
def batch_confirm(request: HttpRequest, pk: int, doc: int) -> HttpResponseBase:
    job = visible_job(request, pk)
    user = desk_user(request)
    document = get_object_or_404(BatchDocument, job=job, pk=doc)
    value = request.POST.get("unit", "")
    unit = None
    if value:
        unit_pk = int_or_none(value, 1)
        unit = batch.scope_units(job).filter(pk=unit_pk).first() if unit_pk is not None else None
        if unit is None:
            raise Http404
    batch.confirm_unit(user, document, unit)
    messages.success(request, f"“{document.name}”已{'确认为 ' + unit.name if unit else '取消关联单位'}。")
    return redirect(reverse("desk:batch", args=[job.pk]) + f"#doc-{document.pk}")
