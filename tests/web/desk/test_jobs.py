"""The task queue really runs: a job is saved with its task, the worker does it, progress n of m, a failure in
Chinese, a retry, result files published whole or not at all, and each job seen only within its scope."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jixiao.web.desk import jobs, summary
from jixiao.web.desk.models import Job, JobStatus

from ..conftest import World
from .jobs_support import approved, run_worker, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def _start_summary(world: World, user: str = "finance", fmt: str = "xlsx", department: str = "") -> Any:
    return world.client(user).post("/desk/jobs/start/summary/", {"year": "2024", "format": fmt,
                                                                  "department": department})


def test_a_job_is_queued_with_its_task_and_the_worker_runs_it(world: World) -> None:
    approved(world)
    response = _start_summary(world)
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.status, job.kind, job.year, job.owner) == (JobStatus.QUEUED, "summary", 2024, world.users["finance"])
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY" and task.args_kwargs["args"] == [job.pk]

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.steps_done, job.steps_total, job.progress, job.attempts) == (2, 2, 100, 1)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    path = Path(job.result_path)
    assert path.parent == Path(jobs.job_dir(job)) and path.suffix == ".xlsx"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # nothing temporary left beside it

    page = world.client("finance").get(f"/desk/jobs/{job.pk}/")
    assert "已完成" in page.content.decode() and "2 / 2" in page.content.decode()
    download = world.client("finance").get(f"/desk/jobs/{job.pk}/file")
    assert download.status_code == 200
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["年度"] == 2024 and overview["已送审或审核通过"] == 1


def test_a_failed_job_says_why_in_chinese_and_can_be_retried(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    approved(world)
    real = summary.gather
    monkeypatch.setattr(summary, "gather", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("磁盘已满")))
    _start_summary(world)
    job = Job.objects.get()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("内部错误（RuntimeError：磁盘已满）")
    assert job.result_path == "" and not any(jobs.job_dir(job).glob("*"))
    page = world.client("finance").get("/desk/jobs/").content.decode()
    assert "磁盘已满" in page and "重试" in page
    assert world.client("finance").get(f"/desk/jobs/{job.pk}/file").status_code == 404

    monkeypatch.setattr(summary, "gather", real)
    assert world.client("finance").post(f"/desk/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.QUEUED, "")
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    # a job that is done is not retried
    world.client("finance").post(f"/desk/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_user_data_failure_is_its_own_message(world: World) -> None:
    _start_summary(world)  # no evaluations at all in 2024
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.error == "全部主管部门 2024 年度没有自评，无法生成汇总报告。"


def test_result_files_are_published_whole_or_not_at_all(world: World) -> None:
    job = Job.objects.create(kind="summary", owner=world.users["finance"], year=2024)

    def half(path: Path) -> None:
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        jobs.write_result(job, "汇总.xlsx", half)
    assert list(jobs.job_dir(job).iterdir()) == []
    job.refresh_from_db()
    assert job.result_path == ""
    final = jobs.write_result(job, "汇总.xlsx", lambda path: path.write_bytes(b"whole"))
    assert final.read_bytes() == b"whole" and [p.name for p in jobs.job_dir(job).iterdir()] == ["result.xlsx"]
    # published only once done
    assert jobs.result_file(job) is None
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    job.refresh_from_db()
    assert jobs.result_file(job) == final


def test_jobs_and_files_are_seen_only_within_their_scope(world: World) -> None:
    submitted(world, world.unit_a2, "prep_a2")
    response = world.client("dept_a").post("/desk/jobs/start/summary/", {"year": "2024", "format": "xlsx",
                                                                          "department": str(world.dept_a.pk)})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.department == world.dept_a
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    for user, status in (("dept_a", 200), ("finance", 200), ("admin", 200), ("dept_b", 404)):
        assert world.client(user).get(f"/desk/jobs/{job.pk}/").status_code == status, user
        assert world.client(user).get(f"/desk/jobs/{job.pk}/file").status_code == status, user
        assert world.client(user).get(f"/desk/jobs/{job.pk}/progress/").status_code == status, user
    assert f'id="job-{job.pk}"' not in world.client("dept_b").get("/desk/jobs/").content.decode()
    assert f'id="job-{job.pk}"' in world.client("dept_a").get("/desk/jobs/").content.decode()
    # units' own people have no desk; a department reviewer cannot start work for another department or all
    for user in ("prep_a1", "head_a1", "nobody"):
        assert world.client(user).get("/desk/jobs/").status_code == 403, user
        assert world.client(user).get(f"/desk/jobs/{job.pk}/file").status_code == 403, user
    other = world.client("dept_b").post("/desk/jobs/start/summary/", {"year": "2024", "department": str(world.dept_a.pk)})
    assert other.status_code == 404
    everything = world.client("dept_b").post("/desk/jobs/start/summary/", {"year": "2024", "department": ""})
    assert everything.status_code == 403
    assert world.client("dept_b").post(f"/desk/jobs/{job.pk}/retry/").status_code == 404
    assert Job.objects.count() == 1


def test_a_file_outside_the_jobs_folder_is_never_served(world: World, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    job = Job.objects.create(kind="summary", owner=world.users["finance"], year=2024, status=JobStatus.DONE,
                             result_path=str(secret), result_name="secret.txt")
    assert world.client("finance").get(f"/desk/jobs/{job.pk}/file").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker in another process needs a shared database "
                    "(the SQLite test database is in memory; the browser test runs one on SQLite through jixiao serve)")
def test_a_worker_in_another_process_runs_the_job(world: World, jobs_dir: Path) -> None:
    approved(world)
    _start_summary(world)
    job = Job.objects.get()
    settings_db = connection.settings_dict
    url = (f"postgresql://{settings_db['USER']}@{settings_db['HOST'] or '127.0.0.1'}:{settings_db['PORT'] or 5432}/"
           f"{settings_db['NAME']}")
    env = dict(os.environ, DATABASE_URL=url, JIXIAO_JOBS_DIR=str(jobs_dir), DJANGO_SETTINGS_MODULE="jixiao.web.settings")
    subprocess.run([sys.executable, "-m", "django", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
                   env=env, check=True, timeout=120, capture_output=True)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert Path(job.result_path).is_file()
