"""Background jobs of the desk: start, follow (n of m), fail in Chinese, retry, and their one result file.

A `Job` row is what the user sees; the task queue (django-tasks, database backend) only carries its
id. Starting a job writes both rows in one transaction, so a worker never picks up a job that was not
saved, and a job is never saved without its task. The worker runs `jixiao.web.desk.tasks.run_job`,
which calls the runner registered for the job's kind with a `Progress` to report through.

Result files live under `JOBS_DIR/<job id>/`, written to a temporary name and renamed into place
(`write_result`), so a reader never sees half a file and a failed job leaves none. Who may see a
job — and so download its file — is decided here once (`visible_jobs`): a finance reviewer (or an
admin) every job, a department reviewer the jobs started for its own department.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jixiao.web.desk.analytics_db import DeskScope, desk_scope
from jixiao.web.desk.models import Job, JobStatus
from jixiao.web.orgs.models import Organisation

KIND_LABELS: dict[str, str] = {
    "batch_audit": "批量审查自评报告",
    "department_pdfs": "部门自评报告 PDF 打包",
    "summary": "财政汇总报告",
    "opendata": "开放数据包",
}

# A job still "running" with no progress for this long has lost its worker (killed, machine restarted):
# it may then be retried like a failed one.
STALE_AFTER = dt.timedelta(minutes=30)


class JobFailed(Exception):
    """A job that cannot be done for a reason the user can act on; the message is Chinese."""


class JobRefused(Exception):
    """The user may not start or retry this job; the message is Chinese and shown as is."""


NO_DESK = DeskScope(False, frozenset())


def scope_of(user: User | AnonymousUser) -> DeskScope:
    """The desk's scope (`analytics_db.desk_scope`): the bureau everything, a department its own; else nothing."""
    return desk_scope(user) or NO_DESK


def has_desk(user: User | AnonymousUser) -> bool:
    return desk_scope(user) is not None


def desk_departments(user: User | AnonymousUser) -> QuerySet[Organisation]:
    return scope_of(user).department_choices()


def visible_jobs(user: User | AnonymousUser) -> QuerySet[Job]:
    """Every job the user may see (and whose file the user may download), as one filtered query.

    Bureau-wide jobs (no department) only for those who see everything; a department's for its reviewers.
    """
    scope = scope_of(user)
    if scope.everything:
        return Job.objects.all()
    return Job.objects.filter(Q(department_id__in=scope.departments))


def check_scope(user: User | AnonymousUser, department: Organisation | None) -> None:
    """Refuse a job outside the user's desk scope (a department reviewer: only its own department)."""
    scope = scope_of(user)
    if not has_desk(user):
        raise JobRefused("只有财政或主管部门审核人可以使用后台任务。")
    if department is None and not scope.everything:
        raise JobRefused("只有财政审核人可以对全部部门启动任务，请选择本部门。")
    if department is not None and not scope.covers(department.pk):
        raise JobRefused("不能对其他部门启动任务。")


def start_job(user: User, kind: str, department: Organisation | None, params: dict[str, Any],
              year: int | None = None, prepare: Callable[[Job], None] | None = None) -> Job:
    """Save the job and its task in one transaction; `prepare` (e.g. storing uploads) runs inside it."""
    from jixiao.web.desk.tasks import run_job

    if kind not in KIND_LABELS:
        raise ValueError(f"unknown job kind {kind!r}")
    check_scope(user, department)
    with transaction.atomic():
        job = Job.objects.create(kind=kind, params=params, owner=user, department=department, year=year,
                                 message="排队中，等待后台处理")
        if prepare is not None:
            prepare(job)
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


def is_stale(job: Job, now: dt.datetime | None = None) -> bool:
    if job.status != JobStatus.RUNNING:
        return False
    last = job.heartbeat_at or job.started_at or job.created_at
    return (now or timezone.now()) - last > STALE_AFTER


def may_retry(job: Job) -> bool:
    return job.status == JobStatus.FAILED or is_stale(job)


def retry_job(user: User, job: Job) -> Job:
    """Queue a failed (or abandoned) job again; it starts over from a clean result folder."""
    from jixiao.web.desk.tasks import run_job

    if not visible_jobs(user).filter(pk=job.pk).exists():
        raise JobRefused("无权重试该任务。")
    check_scope(user, job.department)
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not may_retry(locked):
            raise JobRefused("只有失败（或中断）的任务可以重试。")
        remove_result(locked)
        result = run_job.enqueue(locked.pk)
        Job.objects.filter(pk=locked.pk).update(
            status=JobStatus.QUEUED, error="", message="已重新排队，等待后台处理", progress=0, steps_done=0,
            task_id=str(result.id), finished_at=None, started_at=None, heartbeat_at=None,
        )
    locked.refresh_from_db()
    return locked


# ---- the worker's side ---------------------------------------------------------------------------

class Progress:
    """What a runner reports: n of m done and a sentence; each report is one UPDATE, committed at once."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def step(self, done: int, total: int, message: str = "") -> None:
        percent = 100 * done // total if total else 0
        now = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(steps_done=done, steps_total=total, progress=percent,
                                                  message=message[:300], heartbeat_at=now)
        self.job.steps_done, self.job.steps_total, self.job.progress = done, total, percent


def job_dir(job: Job) -> Path:
    return Path(settings.JOBS_DIR) / str(job.pk)


def write_result(job: Job, name: str, write: Callable[[Path], None]) -> Path:
    """Write the job's result file: `write` fills a temporary file beside it, then one rename publishes it.

    On any error the temporary file is removed and nothing is published.
    """
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix
    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=suffix, dir=folder)
    os.close(fd)
    final = folder / f"result{suffix}"
    try:
        write(Path(tmp))
        os.replace(tmp, final)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    Job.objects.filter(pk=job.pk).update(result_name=name[:200], result_path=str(final))
    job.result_name, job.result_path = name[:200], str(final)
    return final


def result_file(job: Job) -> Path | None:
    """The job's published result file, if it is done and the file is (still) there."""
    if job.status != JobStatus.DONE or not job.result_path:
        return None
    path = Path(job.result_path)
    try:
        path.resolve().relative_to(Path(settings.JOBS_DIR).resolve())
    except ValueError:
        return None
    return path if path.is_file() else None


def remove_result(job: Job) -> None:
    """Drop a previous attempt's result and leftovers (inputs of a batch stay: they are the job's data)."""
    folder = job_dir(job)
    if folder.is_dir():
        for child in folder.iterdir():
            if child.name == "inputs":
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    Job.objects.filter(pk=job.pk).update(result_name="", result_path="")

