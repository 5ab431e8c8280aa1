"""A department's reports as PDFs in one .zip, as a job: every report converted, or the job fails naming it."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from jixiao.report import pdf
from jixiao.web.desk import jobs
from jixiao.web.desk.models import Job, JobStatus

from ..conftest import World
from .jobs_support import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def _start(world: World, user: str = "dept_a") -> Job:
    response = world.client(user).post("/desk/jobs/start/department_pdfs/", {"year": "2024",
                                                                             "department": str(world.dept_a.pk)})
    assert response.status_code == 302
    return Job.objects.get()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_every_report_of_the_department_as_pdf_in_one_zip(world: World) -> None:
    world.evaluation()
    world.evaluation(world.unit_a2, preparer="prep_a2")
    world.evaluation(world.unit_b1, preparer="prep_b1")  # another department: not in the archive
    job = _start(world)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.steps_done, job.steps_total) == (2, 2)
    body = b"".join(world.client("dept_a").get(f"/desk/jobs/{job.pk}/file").streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = sorted(archive.namelist())
        assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
        assert names[0].startswith("商务局本级") or names[1].startswith("商务局本级")
        assert all(archive.read(n).startswith(b"%PDF-") for n in names)


def test_a_report_that_cannot_be_converted_fails_the_job_by_name(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.evaluation()
    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/true")
    monkeypatch.setattr(pdf, "docx_to_pdf_many", lambda pairs: [(pairs[0][0], "LibreOffice 未能转换")])
    job = _start(world)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "以下报告未能转为 PDF：商务局本级" in job.error
    assert job.result_path == "" and list(jobs.job_dir(job).iterdir()) == []  # nothing half-written


def test_a_department_with_nothing_to_pack(world: World) -> None:
    job = _start(world)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "该部门 2024 年度没有自评，无可打包的报告。")
