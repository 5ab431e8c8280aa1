"""The one task the queue runs: `run_job(job_id)`, which hands the job to the runner of its kind.

A runner gets the job and a `Progress`, does its work and publishes its result with
`jobs.write_result`. What it raises becomes the job's Chinese failure reason: a `JobFailed` or an
`InputError` as its own message (the user's data), anything else as an internal error (a bug: the
task is marked failed in the queue too, with its traceback, for the operator).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import timezone
from django_tasks import task

from jixiao.io.errors import InputError
from jixiao.web.desk.jobs import JobFailed, Progress, remove_result
from jixiao.web.desk.models import Job, JobStatus

logger = logging.getLogger(__name__)

Runner = Callable[[Job, Progress], None]


def _runners() -> dict[str, Runner]:
    from jixiao.web.desk import batch, jobs_pdfs, opendata_job, summary

    return {
        "batch_audit": batch.run,
        "department_pdfs": jobs_pdfs.run,
        "summary": summary.run,
        "opendata": opendata_job.run,
    }


def failure_reason(error: BaseException) -> str:
    if isinstance(error, JobFailed):
        return str(error)
    if isinstance(error, InputError):
        return "；".join(p.message for p in error.problems) or str(error)
    if isinstance(error, OSError):
        return f"读写文件失败：{error.strerror or error}"
    return f"内部错误（{type(error).__name__}：{error}），请把任务编号告知系统管理员后重试"


@task()
def run_job(job_id: int) -> str:
    """Run one job to the end: done with its result file, or failed with a Chinese reason and no file."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now,
                                         attempts=job.attempts + 1, message="正在处理", error="")
    job.refresh_from_db()
    try:
        _runners()[job.kind](job, Progress(job))
    except Exception as error:
        remove_result(job)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=failure_reason(error)[:2000],
                                             message="失败", finished_at=timezone.now())
        if isinstance(error, JobFailed | InputError):
            return "failed"
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        raise
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, progress=100, message="已完成",
                                         finished_at=timezone.now())
    return "done"
