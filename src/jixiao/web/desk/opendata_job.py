"""The open-data package as a background job: the same files as `jixiao opendata`, in one .zip."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from jixiao.web.desk.jobs import JobFailed, Progress, job_dir, write_result
from jixiao.web.desk.models import Job
from jixiao.web.desk.opendata import write_package


def run(job: Job, progress: Progress) -> None:
    if job.year is None:
        raise JobFailed("需要选择年度。")
    if job.department_id is not None:
        raise JobFailed("开放数据包含全部已审核的自评，只能由财政审核人对全部部门生成。")
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".work-", dir=folder) as work:
        stats = write_package(job.year, Path(work), progress=lambda text: progress.step(0, 2, text))
        if not stats.evaluations:
            raise JobFailed(f"{job.year} 年度没有审核通过的自评，没有可公开的数据。")
        progress.step(1, 2, f"正在打包：自评 {stats.evaluations} 份，指标 {stats.indicators} 个")

        def write(path: Path) -> None:
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for file in stats.files:
                    archive.write(file, file.name)

        write_result(job, f"{job.year}年度绩效自评开放数据.zip", write)
    progress.step(2, 2, "已生成")
