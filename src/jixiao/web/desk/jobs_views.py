"""The desk's background jobs (/desk/jobs/): start, follow, retry, download — only within the user's scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.numbers import int_or_none
from jixiao.web.desk import jobs
from jixiao.web.desk.models import Job, JobStatus
from jixiao.web.evaluations.services import current_evaluation_year
from jixiao.web.orgs.models import Organisation

STARTABLE = ("summary", "department_pdfs", "opendata")
# The badge colours of the evaluation states, reused for jobs.
STATUS_CLASSES = {JobStatus.QUEUED: "state-draft", JobStatus.RUNNING: "state-pending", JobStatus.DONE: "state-approved",
                  JobStatus.FAILED: "state-returned"}
SUMMARY_FORMATS = {"docx": "Word（.docx）", "xlsx": "Excel（.xlsx）", "pdf": "PDF"}
CONTENT_TYPES = {
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def desk_user(request: HttpRequest) -> User:
    """The signed-in user if the desk is theirs (finance or department reviewers, admins); else 403."""
    user = request.user
    if not isinstance(user, User) or not jobs.has_desk(user):
        raise PermissionDenied("只有财政或主管部门审核人可以使用后台任务。")
    return user


def visible_job(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(jobs.visible_jobs(desk_user(request)).select_related("owner", "department"), pk=pk)


def _year(value: str | None) -> int:
    year = int_or_none(value, 2000, 2100)
    return year if year is not None else current_evaluation_year()


def _department(user: User, value: str | None) -> Organisation | None:
    """The department chosen on a form, within the user's scope ("" = all, only for the bureau)."""
    if not value:
        return None
    pk = int_or_none(value, 1)
    department = jobs.desk_departments(user).filter(pk=pk).first() if pk is not None else None
    if department is None:
        raise Http404
    return department


def job_context(job: Job) -> dict[str, Any]:
    return {"job": job, "kind_label": jobs.KIND_LABELS.get(job.kind, job.kind), "can_retry": jobs.may_retry(job),
            "has_file": jobs.result_file(job) is not None, "active": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
            "stale": jobs.is_stale(job), "status_class": STATUS_CLASSES.get(JobStatus(job.status), "")}


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    user = desk_user(request)
    scope = jobs.scope_of(user)
    rows = [job_context(job) for job in jobs.visible_jobs(user).select_related("owner", "department")[:100]]
    return render(request, "desk/jobs_list.html", {
        "rows": rows, "departments": department_choices(user), "everything": scope.everything,
        "year": current_evaluation_year(), "formats": SUMMARY_FORMATS,
        "any_active": any(r["active"] for r in rows),
    })


@login_required
@require_GET
def job_rows(request: HttpRequest) -> HttpResponse:
    """The list's table body alone, polled by htmx while a job is queued or running."""
    user = desk_user(request)
    rows = [job_context(job) for job in jobs.visible_jobs(user).select_related("owner", "department")[:100]]
    return render(request, "desk/jobs_rows.html", {"rows": rows, "any_active": any(r["active"] for r in rows)})


@login_required
@require_POST
def job_start(request: HttpRequest, kind: str) -> HttpResponseBase:
    user = desk_user(request)
    if kind not in STARTABLE:
        raise Http404
    year = _year(request.POST.get("year"))
    department = _department(user, request.POST.get("department"))
    params: dict[str, Any] = {}
    if kind == "summary":
        fmt = request.POST.get("format", "docx")
        if fmt not in SUMMARY_FORMATS:
            raise Http404
        params["format"] = fmt
    if kind == "department_pdfs" and department is None:
        messages.error(request, "请选择一个主管部门。")
        return redirect("desk:jobs")
    try:
        job = jobs.start_job(user, kind, department, params, year=year)
    except jobs.JobRefused as refused:
        raise PermissionDenied(str(refused)) from None
    messages.success(request, f"已加入后台任务：{jobs.KIND_LABELS[kind]}（任务 {job.pk}）。")
    return redirect("desk:job", pk=job.pk)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_job(request, pk)
    if job.kind == "batch_audit":
        return redirect("desk:batch", pk=job.pk)
    return render(request, "desk/jobs_detail.html", job_context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's state and progress alone, polled by htmx while it is queued or running."""
    return render(request, "desk/jobs_progress.html", job_context(visible_job(request, pk)))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = visible_job(request, pk)
    try:
        jobs.retry_job(desk_user(request), job)
    except jobs.JobRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"任务 {job.pk} 已重新排队。")
    return redirect("desk:job", pk=job.pk)


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The job's result file, to whoever may see the job (a guessed id outside the scope is a 404)."""
    job = visible_job(request, pk)
    path = jobs.result_file(job)
    if path is None:
        raise Http404("结果文件不存在（任务未完成或已失败）")
    name = job.result_name or f"任务{job.pk}{path.suffix}"
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def department_choices(user: User) -> list[tuple[str, str]]:
    choices = [(str(d.pk), d.name) for d in jobs.desk_departments(user).order_by("name")]
    if jobs.scope_of(user).everything:
        choices.insert(0, ("", "全部主管部门"))
    return choices

